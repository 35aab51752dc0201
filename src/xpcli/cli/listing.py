"""`xpcli list events|matters|materials|departments`: find ids and names."""

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
from xpcli.errors import EXIT_ERRORS, Term, XpcliError


class ListKind(StrEnum):
    events = "events"
    matters = "matters"
    materials = "materials"
    departments = "departments"


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


class Status(StrEnum):
    active = "active"
    draft = "draft"
    retired = "retired"


@app.command("list")
def list_records(
    kind: Annotated[ListKind, typer.Argument(help="events, matters, materials or departments.")],
    catalog: CatalogOption = Path("catalog"),
    tree: Annotated[
        str | None, typer.Option("--tree", help="Only this tree's events (and their matters).")
    ] = None,
    department: Annotated[
        str | None,
        typer.Option("--department", help="Only records of this department (id or name)."),
    ] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="Only events or matters of this status.")
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text, json or csv.")
    ] = ListFormat.text,
    lang: LangOption = None,
) -> None:
    """List the records of one kind with their ids, to find the id a command needs.

    Example: xpcli list matters --department public-security --format csv > 事项.csv
    """
    from xpcli.lookup import find, listing

    language = language_of(lang)
    model = load_valid(catalog)
    trees = {t.id for t in model.trees}
    if tree is not None and tree not in trees:
        raise XpcliError("unknown-id", exit_code=EXIT_ERRORS, kind=Term("tree"), id=tree, ids="")
    if department is not None:
        department = find(model.departments, "department", department).id
    rows = listing(model, kind.value, tree, department, status.value if status else None)
    if output_format == ListFormat.json:
        print_json([dict(r) for r in rows.rows])
    elif output_format == ListFormat.csv:
        from xpcli.terminal import listing_csv

        out.out(listing_csv(rows, language), end="", highlight=False)
    else:
        from xpcli.terminal import listing_table

        print_layout(listing_table(rows, language))
