"""`xpcli diff BASE [HEAD]`: what a change does to the catalog."""

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
    out,
    print_json,
)
from xpcli.errors import EXIT_ERRORS, XpcliError


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    base: Annotated[str, typer.Argument(help="Git revision to compare with, e.g. main.")],
    head: Annotated[
        str | None,
        typer.Argument(
            help="Git revision with the change (default: the working tree).", show_default=False
        ),
    ] = None,
    catalog: CatalogOption = Path("catalog"),
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, markdown or json.")
    ] = DiffFormat.text,
    lang: LangOption = None,
) -> None:
    """What a change does to the catalog, read straight from git: records added, removed,
    renamed and changed, field by field, and each event's figures before → after. Exit 1 on a
    breaking change (an id removed or renamed without former_ids, a changed online URL
    template); exit 2 for a bad revision or an invalid catalog on either side.

    Example: xpcli diff origin/main --format markdown >> $GITHUB_STEP_SUMMARY
    """
    from xpcli.diff import diff_revisions
    from xpcli.render_diff import breaking_text, render_markdown, render_text

    language = language_of(lang)
    result = diff_revisions(catalog, base, head)
    if output_format == DiffFormat.json:
        print_json(result.as_json())
    elif output_format == DiffFormat.markdown:
        out.out(render_markdown(result, language), end="", highlight=False)
    else:
        out.out(render_text(result, language), end="", highlight=False)
    if result.breaking:
        if output_format != DiffFormat.text:
            for item in result.breaking:
                err.print(breaking_text(item, language), highlight=False, markup=False)
        raise XpcliError("diff-breaking-summary", exit_code=EXIT_ERRORS, count=len(result.breaking))
