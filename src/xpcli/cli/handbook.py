"""`xpcli build-handbook`: the printed handbook (便民服务手册)."""

from __future__ import annotations

import re
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
from xpcli.errors import XpcliError
from xpcli.messages import say


class Paper(StrEnum):
    A5 = "A5"
    A4 = "A4"


def _millimetres(text: str) -> float:
    """`3mm`, `3 mm` or `3` → 3.0; at most 10 mm (a print shop asks for 2–5)."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*", text)
    if not found or float(found[1]) > 10:
        raise XpcliError("handbook-bad-bleed", bleed=text)
    return float(found[1])


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
    bleed: Annotated[
        str,
        typer.Option("--bleed", help="Bleed around each page with crop marks, e.g. 3mm (0: none)."),
    ] = "0",
    pad: Annotated[
        int,
        typer.Option(
            "--pad",
            min=1,
            max=64,
            help="Add notes pages so the page count is a multiple of this (4: saddle stitch).",
        ),
    ] = 1,
    all_matters: Annotated[
        bool,
        typer.Option(
            "--all-matters",
            help="Print every active matter's guide, grouped by department (a guide book).",
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Render the printed handbook (便民服务手册): trees, one-time notices, guides, QR codes.

    Example: xpcli build-handbook --catalog catalog -o dist/handbook.pdf --bleed 3mm --pad 4
    """
    language = language_of(lang)
    bleed_mm = _millimetres(bleed)
    model = load_valid(catalog)
    from xpcli.handbook import PrintOptions, build

    options = PrintOptions(paper.value, bleed_mm, pad, all_matters)
    with err.status(say("handbook-stage-data", language)) as status:

        def progress(stage: str, done: int, total: int) -> None:
            text = say(f"handbook-stage-{stage}", language)
            status.update(f"{text} {done}/{total}" if stage == "layout" else text)

        result = build(model, output=output, html=html, options=options, progress=progress)
    for warning in result.warnings:
        err.print(f"weasyprint: {warning}", markup=False, highlight=False)
    out.print(say("handbook-wrote", language, path=output, pages=result.pages), markup=False)
