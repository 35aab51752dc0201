"""`xpcli validate`: every problem of a catalog, with file:line:col."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import (
    CatalogOption,
    DiagnosticFormat,
    LangOption,
    app,
    language_of,
    out,
    validated,
)
from xpcli.errors import EXIT_ERRORS, EXIT_OK


@app.command()
def validate(
    path: Annotated[
        Path | None, typer.Argument(help="Catalog folder (same as --catalog).", show_default=False)
    ] = None,
    catalog: CatalogOption = Path("catalog"),
    output_format: Annotated[
        DiagnosticFormat, typer.Option("--format", "-f", help="text, json or github.")
    ] = DiagnosticFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    lang: LangOption = None,
) -> None:
    """Check the catalog: every problem, with file:line:col.

    Example: xpcli validate catalog --format github --strict
    """
    from xpcli.reporters import REPORTERS, Context

    root = path or catalog
    language = language_of(lang)
    result = validated(root)
    prefix = "" if str(root) in ("", ".") else root.as_posix().rstrip("/") + "/"
    context = Context(language, result.files, prefix)
    # rich colours the text format only on a terminal (it checks isatty, NO_COLOR, TERM=dumb).
    REPORTERS[output_format.value](result.report, context, out)
    raise typer.Exit(EXIT_ERRORS if result.report.failed(strict) else EXIT_OK)
