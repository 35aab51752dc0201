"""`xpcli export`: the JSON the online channels publish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import (
    CatalogOption,
    LangOption,
    app,
    language_of,
    load_valid,
    out,
)
from xpcli.errors import EXIT_ERRORS, XpcliError
from xpcli.messages import say


@app.command()
def export(
    catalog: CatalogOption = Path("catalog"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Export folder.")] = Path(
        "dist/api"
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Compare with the folder; write nothing.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Write the JSON the online channels publish: catalog, one file per record, redirects,
    manifest and schemas. With --check, exit 1 listing what differs from the folder.

    Example: xpcli export --catalog catalog -o dist/api --check
    """
    from xpcli.export import compare_export, export_files, write_export

    language = language_of(lang)
    files = export_files(load_valid(catalog))
    if check:
        changes = compare_export(files, output)
        for change, rel in changes:
            out.print(f"{change}: {output.as_posix()}/{rel}", highlight=False, markup=False)
        if changes:
            raise XpcliError("export-stale", exit_code=EXIT_ERRORS, count=len(changes), path=output)
        out.print(say("export-current", language, path=output), markup=False)
        return
    write_export(files, output, catalog)
    out.print(say("wrote-export", language, count=len(files), path=output), markup=False)
