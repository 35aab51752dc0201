"""`xpcli show event|matter`: one event's figures or one matter's guide."""

from __future__ import annotations

from collections.abc import Mapping
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
)
from xpcli.errors import EXIT_ERRORS, Term, XpcliError


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


show_app = typer.Typer(help="Show one event's figures or one matter's guide.", no_args_is_help=True)
app.add_typer(show_app, name="show")
FormatOption = Annotated[ShowFormat, typer.Option("--format", "-f", help="text or json.")]


def _known(records: Mapping[str, object], kind: str, record_id: str) -> None:
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

    language_of(lang)
    model = load_valid(catalog)
    _known(model.events, "event", event_id)
    result = simplify(model, event_id)
    if output_format == ShowFormat.json:
        print_json(result.as_json())
    else:
        from xpcli.terminal import event_view

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

    language_of(lang)
    model = load_valid(catalog)
    _known(model.matters, "matter", matter_id)
    if output_format == ShowFormat.json:
        print_json(matter_record(model, model.matters[matter_id]))
    else:
        from xpcli.terminal import matter_view

        out.print(matter_view(model, model.matters[matter_id]), soft_wrap=False)
