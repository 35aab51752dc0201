"""The command line: parse options, call the core, print, choose the exit code.

This is the only module that prints or exits. Exit codes: 0 ok, 1 the catalog has errors
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
from xpcli.errors import EXIT_ERRORS, EXIT_OK, InvalidCatalog, Term, XpcliError
from xpcli.messages import say

if TYPE_CHECKING:
    from xpcli.model import Catalog
    from xpcli.validate import Validation

# The reader's language once a command has read its --lang, for the error handler.
_language: ContextVar[str | None] = ContextVar("xpcli_language", default=None)


class XpcliGroup(TyperGroup):
    """The one error handler: every expected failure is an `XpcliError`, worded here in the
    reader's language and turned into its exit code; commands only parse, call and print."""

    def invoke(self, ctx: typer.Context) -> Any:
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


def _lang(lang: Lang | None) -> str:
    """The reader's language, remembered for the error handler."""
    language = lang.value if lang is not None else messages.default_lang()
    _language.set(language)
    return language


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
    result = _validated(root)
    prefix = "" if str(root) in ("", ".") else root.as_posix().rstrip("/") + "/"
    context = Context(language, result.files, prefix)
    # rich colours the text format only on a terminal (it checks isatty, NO_COLOR, TERM=dumb).
    REPORTERS[output_format.value](result.report, context, out)
    raise typer.Exit(EXIT_ERRORS if result.report.failed(strict) else EXIT_OK)


def _validated(root: Path) -> Validation:
    from xpcli.validate import validate as run

    return run(root)


def load_valid(root: Path) -> Catalog:
    """The catalog for commands that need a valid one: its errors are printed, then exit 1."""
    result = _validated(root)
    if result.report.errors:
        raise InvalidCatalog(result.report, result.files)
    return result.catalog


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
    language = _lang(lang)
    model = load_valid(catalog)
    from xpcli.handbook import build

    build(model, output=output, html=html, paper=paper.value, console=err)
    out.print(say("wrote", language, path=output))


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class StatsFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


show_app = typer.Typer(help="Show one event's figures or one matter's guide.", no_args_is_help=True)
app.add_typer(show_app, name="show")
FormatOption = Annotated[ShowFormat, typer.Option("--format", "-f", help="text or json.")]


def _print_json(data: object) -> None:
    import json

    out.out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)


def _known(records: dict[str, Any], kind: str, record_id: str) -> None:
    """An unknown `record_id` is an error (exit 1) naming the closest ids."""
    from xpcli.diagnostics import closest

    if record_id in records:
        return
    near = closest(record_id, records, n=3, cutoff=0.4)
    code = "unknown-id-closest" if near else "unknown-id"
    raise XpcliError(
        code, exit_code=EXIT_ERRORS, kind=Term(kind), id=record_id, ids=", ".join(near)
    )


@show_app.command("event")
def show_event(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="Event id, e.g. newborn.")],
    catalog: CatalogOption = Path("catalog"),
    output_format: FormatOption = ShowFormat.text,
    lang: LangOption = None,
) -> None:
    """An event's one-time notice: before/after figures, merged checklist, rounds.

    Example: xpcli show event newborn --format json
    """
    from xpcli.simplify import simplify

    _lang(lang)
    model = load_valid(catalog)
    _known(model.events, "event", event_id)
    result = simplify(model, event_id)
    if output_format == ShowFormat.json:
        _print_json(result.as_json())
    else:
        from xpcli.views import event_view

        out.print(event_view(model, result), soft_wrap=False)


@show_app.command("matter")
def show_matter(
    matter_id: Annotated[str, typer.Argument(metavar="ID", help="Matter id.")],
    catalog: CatalogOption = Path("catalog"),
    output_format: FormatOption = ShowFormat.text,
    lang: LangOption = None,
) -> None:
    """One matter's guide (办事指南).

    Example: xpcli show matter newborn-household-registration
    """
    from xpcli.records import matter_record

    _lang(lang)
    model = load_valid(catalog)
    _known(model.matters, "matter", matter_id)
    if output_format == ShowFormat.json:
        _print_json(matter_record(model, model.matters[matter_id]))
    else:
        from xpcli.views import matter_view

        out.print(matter_view(model, model.matters[matter_id]), soft_wrap=False)


@app.command()
def stats(
    catalog: CatalogOption = Path("catalog"),
    output_format: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="text, json or csv.")
    ] = StatsFormat.text,
    lang: LangOption = None,
) -> None:
    """Catalog-wide report: per event before → after, totals, averages and counts.

    Example: xpcli stats --format csv > report.csv
    """
    from xpcli.stats import catalog_stats

    _lang(lang)
    report = catalog_stats(load_valid(catalog))
    if output_format == StatsFormat.json:
        _print_json(report.as_json())
    elif output_format == StatsFormat.csv:
        from xpcli.views import stats_csv

        out.out(stats_csv(report), end="", highlight=False)
    else:
        from xpcli.views import stats_view

        for renderable in stats_view(report):
            out.print(renderable, soft_wrap=False)


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

    language = _lang(lang)
    files = export_files(load_valid(catalog))
    if check:
        changes = compare_export(files, output)
        for change, rel in changes:
            out.print(f"{change}: {output.as_posix()}/{rel}", highlight=False)
        if changes:
            raise XpcliError("export-stale", exit_code=EXIT_ERRORS, count=len(changes), path=output)
        out.print(say("export-current", language, path=output))
        return
    write_export(files, output)
    out.print(say("wrote-export", language, count=len(files), path=output))


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="catalog, departments, materials, matter or event.")],
) -> None:
    """Print the JSON Schema of one kind of catalog file.

    Example: xpcli schema matter > matter.schema.json
    """
    from xpcli.schema import KINDS, schema_text

    if kind not in KINDS:
        raise XpcliError("bad-kind", kind=kind, allowed=", ".join(KINDS))
    out.out(schema_text(kind), end="", highlight=False)


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
    from xpcli.diff import breaking_text, diff_revisions, render_markdown, render_text

    language = _lang(lang)
    result = diff_revisions(catalog, base, head)
    if output_format == DiffFormat.json:
        _print_json(result.as_json())
    elif output_format == DiffFormat.markdown:
        out.out(render_markdown(result, language), end="", highlight=False)
    else:
        out.out(render_text(result, language), end="", highlight=False)
    if result.breaking:
        if output_format != DiffFormat.text:
            for item in result.breaking:
                err.print(breaking_text(item, language), highlight=False, markup=False)
        raise XpcliError("diff-breaking-summary", exit_code=EXIT_ERRORS, count=len(result.breaking))


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="New catalog folder.")],
    county: Annotated[
        str | None,
        typer.Option("--id", help="The catalog's id (default: from the folder name)."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Start a new county's catalog: catalog.yaml with both trees, departments, materials and
    one example event with two matters. It validates with --strict at once.

    Example: xpcli init catalog --id xingping
    """
    from xpcli.scaffold import init_catalog

    language = _lang(lang)
    written = init_catalog(directory, county)
    out.print(
        say("scaffold-initialised", language, count=len(written), path=directory), markup=False
    )


new_app = typer.Typer(
    help="Write a commented template for a new matter or event.", no_args_is_help=True
)
app.add_typer(new_app, name="new")


def _new(kind: str, record_id: str, catalog: Path, department: str | None, lang: str) -> None:
    from xpcli.scaffold import new_record

    path = new_record(catalog, kind, record_id, department)
    out.print(say("scaffold-created", lang, path=path), markup=False)


@new_app.command("matter")
def new_matter(
    matter_id: Annotated[str, typer.Argument(metavar="ID", help="The new matter's id.")],
    catalog: CatalogOption = Path("catalog"),
    department: Annotated[
        str | None,
        typer.Option(
            "--department",
            help="Department id: fills the template and names the sub-folder of matters/.",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Write matters/[DEPT/]ID.yaml from a commented template; never overwrites.

    Example: xpcli new matter newborn-name-registration --department public-security
    """
    _new("matter", matter_id, catalog, department, _lang(lang))


@new_app.command("event")
def new_event(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The new event's id.")],
    catalog: CatalogOption = Path("catalog"),
    lang: LangOption = None,
) -> None:
    """Write events/ID.yaml from a commented template; never overwrites.

    Example: xpcli new event marriage --catalog catalog
    """
    _new("event", event_id, catalog, None, _lang(lang))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
