"""`xpcli stats`: the catalog-wide report."""

from __future__ import annotations

from enum import StrEnum
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
    print_json,
    print_layout,
)
from xpcli.errors import XpcliError
from xpcli.messages import say


class StatsFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def stats(
    catalog: CatalogOption = Path("catalog"),
    output_format: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="text, json, csv or xlsx.")
    ] = StatsFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The xlsx file (needed with --format xlsx)."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Catalog-wide report: per event before → after, totals, averages and counts.

    Example: xpcli stats --format csv > report.csv
    """
    from xpcli.stats import catalog_stats

    language = language_of(lang)
    if output_format == StatsFormat.xlsx:
        from xpcli.outputs import XLSX, check_file

        if output is None:
            raise XpcliError("stats-needs-output")
        check_file(output, XLSX, keep=(catalog,))
    report = catalog_stats(load_valid(catalog))
    if output_format == StatsFormat.xlsx and output is not None:
        from xpcli.outputs import XLSX, write_file
        from xpcli.terminal import stats_workbook

        write_file(output, stats_workbook(report, language), XLSX, keep=(catalog,))
        out.print(say("wrote-stats", language, path=output), markup=False)
    elif output_format == StatsFormat.json:
        print_json(report.as_json())
    elif output_format == StatsFormat.csv:
        from xpcli.terminal import stats_csv

        out.out(stats_csv(report, language), end="", highlight=False)
    else:
        from xpcli.terminal import indicator_view, stats_view

        print_layout(*stats_view(report), indicator_view(report, language))
