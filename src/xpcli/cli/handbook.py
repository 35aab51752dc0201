"""`xpcli build-handbook`: the printed handbook (便民服务手册)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import (
    CatalogOption,
    LangOption,
    app,
    err,
    language_of,
    load_valid,
    out,
)
from xpcli.messages import say


class Paper(StrEnum):
    A5 = "A5"
    A4 = "A4"


@app.command("build-handbook")
def build_handbook(
    catalog: CatalogOption = Path("catalog"),
    output: Annotated[Path, typer.Option("--output", "-o", help="PDF to write.")] = Path(
        "dist/handbook.pdf"
    ),
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the HTML the PDF is made from.")
    ] = None,
    paper: Annotated[Paper, typer.Option("--paper", help="A5 (default) or A4.")] = Paper.A5,
    lang: LangOption = None,
) -> None:
    """Render the printed handbook (便民服务手册): trees, one-time notices, guides, QR codes.

    Example: xpcli build-handbook --catalog catalog -o dist/handbook.pdf --paper A5
    """
    language = language_of(lang)
    model = load_valid(catalog)
    from xpcli.handbook import build

    build(model, output=output, html=html, paper=paper.value, console=err)
    out.print(say("wrote", language, path=output), markup=False)
