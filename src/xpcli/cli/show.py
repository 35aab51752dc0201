"""`xpcli show event|matter`: one event's figures or one matter's guide, found by id or name."""

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
    print_json,
    print_layout,
)


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


show_app = typer.Typer(help="Show one event's figures or one matter's guide.", no_args_is_help=True)
app.add_typer(show_app, name="show")
FormatOption = Annotated[ShowFormat, typer.Option("--format", "-f", help="text or json.")]


@show_app.command("event")
def show_event(
    query: Annotated[
        str, typer.Argument(metavar="ID", help="Event id or name, e.g. newborn or 新生儿出生.")
    ],
    catalog: CatalogOption = Path("catalog"),
    output_format: FormatOption = ShowFormat.text,
    lang: LangOption = None,
) -> None:
    """An event's one-time notice: before/after figures, merged checklist, rounds. The event is
    named by its id, a former id, its name, or a part of the name that only it has.

    Example: xpcli show event 新生儿出生 --format json
    """
    from xpcli.lookup import find
    from xpcli.simplify import simplify

    language_of(lang)
    model = load_valid(catalog)
    event = find(model.events, "event", query)
    result = simplify(model, event.id)
    if output_format == ShowFormat.json:
        print_json(result.as_json())
    else:
        from xpcli.terminal import event_view

        print_layout(event_view(model, result))


@show_app.command("matter")
def show_matter(
    query: Annotated[str, typer.Argument(metavar="ID", help="Matter id or name, e.g. 出生登记.")],
    catalog: CatalogOption = Path("catalog"),
    output_format: FormatOption = ShowFormat.text,
    lang: LangOption = None,
) -> None:
    """One matter's guide (办事指南) and the events that use it. The matter is named by its id,
    a former id, its name, or a part of the name that only it has.

    Example: xpcli show matter 出生登记
    """
    from xpcli.lookup import events_using, find
    from xpcli.records import matter_record

    language_of(lang)
    model = load_valid(catalog)
    matter = find(model.matters, "matter", query)
    events = events_using(model, matter.id)
    if output_format == ShowFormat.json:
        print_json(
            {
                **matter_record(model, matter),
                "events": [{"id": e.id, "name": e.name} for e in events],
            }
        )
    else:
        from xpcli.terminal import matter_view

        print_layout(matter_view(model, matter, events))
