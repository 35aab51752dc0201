"""The command line: parse options, call the core, print, choose the exit code.

This is the only module that prints or exits. Exit codes: 0 ok, 1 the catalog has errors
(or, for `diff` and `export --check`, differences), 2 usage or environment problems.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from xpcli import messages
from xpcli.messages import say

app = typer.Typer(
    name="xpcli",
    help="Keep a county's 一件事一次办 service catalog as code: validate it, compute each "
    "event's simplified figures, print the handbook and export JSON for the online channels.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class DiagnosticFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


CatalogOption = Annotated[
    Path,
    typer.Option("--catalog", "-c", help="Catalog folder.", show_default=True),
]
LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of messages: zh or en (default: from the locale)."),
]


def _lang(lang: Lang | None) -> str:
    return lang.value if lang is not None else messages.default_lang()


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    err.print(message, style="bold red")
    raise typer.Exit(code)


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
    language = _lang(lang)
    result = _validated(root, language)
    prefix = "" if str(root) in ("", ".") else root.as_posix().rstrip("/") + "/"
    context = Context(language, result.files, prefix)
    console = out if output_format != DiagnosticFormat.text else _text_console()
    REPORTERS[output_format.value](result.report, context, console)
    raise typer.Exit(EXIT_ERRORS if result.report.failed(strict) else EXIT_OK)


def _text_console() -> Console:
    # Colour only on a terminal; rich already checks isatty, NO_COLOR and TERM=dumb.
    return out


def _validated(root: Path, lang: str):  # -> Validation
    from xpcli.loader import CatalogNotFound
    from xpcli.validate import validate as run

    try:
        return run(root)
    except CatalogNotFound:
        fail(say("no-catalog", lang, path=root))


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="catalog, departments, materials, matter or event.")],
) -> None:
    """Print the JSON Schema of one kind of catalog file.

    Example: xpcli schema matter > matter.schema.json
    """
    from xpcli.schema import KINDS, schema_text

    if kind not in KINDS:
        fail(f"KIND: {kind!r} is not one of {', '.join(KINDS)}")
    out.out(schema_text(kind), end="", highlight=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
