"""The command line's shared part: the app, its one error handler, the consoles and the
options every command takes. Each command lives in a module of its own beside this one.

This package is the only code that prints or exits. Exit codes: 0 ok, 1 the catalog has errors
(or, for `diff` and `export --check`, differences), 2 usage or environment problems.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from xpcli import messages
from xpcli.errors import InvalidCatalog, XpcliError
from xpcli.messages import say

if TYPE_CHECKING:
    from xpcli.model import Catalog
    from xpcli.validate import Validation

# The reader's language once a command has read its --lang, for the error handler.
_language: ContextVar[str | None] = ContextVar("xpcli_language", default=None)


class XpcliGroup(TyperGroup):
    """The one error handler: every expected failure is an `XpcliError`, worded here in the
    reader's language and turned into its exit code; commands only parse, call and print."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click: its Context is not public
        token = _language.set(None)
        try:
            return super().invoke(ctx)
        except XpcliError as exc:
            language = _language.get() or messages.default_lang()
            if isinstance(exc, InvalidCatalog):
                from xpcli.reporters import REPORTERS, Context

                REPORTERS["text"](exc.report, Context(language, exc.files), err)
            err.print(say(exc.code, language, **exc.params), style="bold red", markup=False)
            ctx.exit(exc.exit_code)
        finally:
            _language.reset(token)


app = typer.Typer(
    name="xpcli",
    cls=XpcliGroup,
    help="Keep a county's 一件事一次办 service catalog as code: validate it, compute each "
    "event's simplified figures, print the handbook and export JSON for the online channels.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


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


def language_of(lang: Lang | None) -> str:
    """The reader's language, remembered for the error handler."""
    language = lang.value if lang is not None else messages.default_lang()
    _language.set(language)
    return language


def validated(root: Path) -> Validation:
    from xpcli.validate import validate as run

    return run(root)


def load_valid(root: Path) -> Catalog:
    """The catalog for commands that need a valid one: its errors are printed, then exit 1."""
    result = validated(root)
    if result.report.errors:
        raise InvalidCatalog(result.report, result.files)
    return result.catalog


def print_json(data: object) -> None:
    import json

    out.out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
