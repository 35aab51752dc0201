"""The command line's shared part: the app, its one error handler, the consoles and the
options every command takes. Each command lives in a module of its own beside this one.

This package is the only code that prints or exits. Exit codes: 0 ok, 1 the catalog has errors
(or, for `diff` and `export --check`, differences), 2 usage or environment problems.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from typer._click import exceptions as click_errors
from typer.core import TyperGroup

from xpcli import __version__, messages
from xpcli.cli import i18n
from xpcli.errors import InvalidCatalog, XpcliError
from xpcli.messages import say

if TYPE_CHECKING:
    from xpcli.model import Catalog
    from xpcli.validate import Validation

# The reader's language: from --lang wherever it stands, else from the locale.
_language: ContextVar[str | None] = ContextVar("xpcli_language", default=None)

# The order of `xpcli --help`: a clerk's day first, set-up last. A command missing here is
# listed after these, in the order it was registered.
COMMAND_ORDER = (
    "validate",
    "show",
    "list",
    "stats",
    "build-handbook",
    "build-site",
    "preview",
    "export",
    "ledger",
    "diff",
    "import",
    "init",
    "new",
    "schema",
)


def _only_lang(argv: Sequence[str]) -> bool:
    """Whether the arguments are nothing but `--lang X` (or `--lang=X`)."""
    rest = [
        arg
        for i, arg in enumerate(argv)
        if arg != "--lang" and not arg.startswith("--lang=") and (i == 0 or argv[i - 1] != "--lang")
    ]
    return not rest


class XpcliGroup(TyperGroup):
    """The one error handler: every expected failure is an `XpcliError`, worded here in the
    reader's language and turned into its exit code; commands only parse, call and print.
    Help and usage errors are worded in the same language (cli/i18n.py)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        requested = i18n.requested_language(argv)
        language = requested or messages.default_lang()
        i18n.localize(self, language)
        if requested and _only_lang(argv):
            argv = []  # `xpcli --lang zh` alone: the help page, in Chinese
        token = _language.set(requested)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.ClickException as exc:
            if not standalone_mode:
                raise
            if isinstance(exc, click_errors.NoArgsIsHelpError):
                exc.show()
            else:
                err.print(i18n.usage_error_text(exc, language), markup=False, highlight=False)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            err.print(say("usage-aborted", language), markup=False)
            sys.exit(1)
        except OSError as exc:
            if exc.errno != errno.EPIPE:  # a closed pipe (`| head`) is not an error
                raise
            sys.exit(1)
        finally:
            _language.reset(token)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self.commands)
        ordered = [n for n in COMMAND_ORDER if n in names]
        return ordered + [n for n in names if n not in ordered]

    def invoke(self, ctx: Any) -> Any:  # typer vendors click: its Context is not public
        try:
            return super().invoke(ctx)
        except XpcliError as exc:
            language = _language.get() or messages.default_lang()
            if isinstance(exc, InvalidCatalog):
                from xpcli.reporters import REPORTERS, Context

                REPORTERS["text"](exc.report, Context(language, exc.files), err)
            err.print(say(exc.code, language, **exc.params), style="bold red", markup=False)
            ctx.exit(exc.exit_code)


app = typer.Typer(
    name="xpcli",
    cls=XpcliGroup,
    no_args_is_help=True,
    add_completion=True,
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
    """The reader's language (--lang before or after the command, else the locale),
    remembered for the error handler."""
    language = lang.value if lang is not None else _language.get() or messages.default_lang()
    _language.set(language)
    return language


def _print_version(value: bool) -> None:
    if value:
        out.print(f"xpcli {__version__}", markup=False)
        raise typer.Exit()


@app.callback(cls=XpcliGroup)
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_print_version, is_eager=True
        ),
    ] = False,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", help="Language of messages: zh or en (default: from the locale)."),
    ] = None,
) -> None:
    """Keep a county's 一件事一次办 service catalog as code: validate it, compute each event's
    simplified figures, print the handbook and export JSON for the online channels."""
    language_of(lang)


def validated(root: Path) -> Validation:
    from xpcli.validate import validate as run

    return run(root)


def load_valid(root: Path) -> Catalog:
    """The catalog for commands that need a valid one: its errors are printed, then exit 1."""
    result = validated(root)
    if result.report.errors:
        raise InvalidCatalog(result.report, result.files)
    return result.catalog


def print_layout(*renderables: object) -> None:
    """Rich tables on standard output. Redirected to a file (`xpcli stats > report.txt`) they
    are laid out as wide as their content, so no name is cut to fit 80 columns."""
    if out.is_terminal:
        for renderable in renderables:
            out.print(renderable, soft_wrap=False)
        return
    wide = Console(width=4000, highlight=False, emoji=False, color_system=None)
    with wide.capture() as captured:
        for renderable in renderables:
            wide.print(renderable, soft_wrap=False)
    text = "".join(line.rstrip() + "\n" for line in captured.get().splitlines())
    out.out(text, end="", highlight=False)


def print_json(data: object) -> None:
    import json

    out.out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)


def main() -> None:
    # A terminal or pipe that cannot encode Chinese (PYTHONIOENCODING=ascii, a Latin-1 locale)
    # gets \u escapes instead of a UnicodeEncodeError traceback in every message.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
