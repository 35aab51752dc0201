"""`xpcli ledger -o 台账.xlsx`: the 基础清单台账 spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import CatalogOption, LangOption, app, language_of, load_valid, out
from xpcli.messages import say


@app.command()
def ledger(
    catalog: CatalogOption = Path("catalog"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Ledger file (.xlsx).")] = Path(
        "dist/台账.xlsx"
    ),
    lang: LangOption = None,
) -> None:
    """Write the 基础清单台账 (xlsx): 事项清单 with the national element names, 材料清单,
    一件事清单 with each event's figures, 部门 and 窗口. `xpcli import` reads it back.

    Example: xpcli ledger -o 台账.xlsx
    """
    from xpcli.ledger import ledger_sheets, workbook_bytes
    from xpcli.outputs import XLSX, check_file, write_file

    language = language_of(lang)
    check_file(output, XLSX, keep=(catalog,))
    valid = load_valid(catalog)
    write_file(output, workbook_bytes(ledger_sheets(valid)), XLSX, keep=(catalog,))
    out.print(say("wrote-ledger", language, matters=len(valid.matters), path=output), markup=False)
