"""`xpcli init` and `xpcli new`: a new catalog, a new record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import (
    CatalogOption,
    LangOption,
    app,
    language_of,
    out,
)
from xpcli.messages import say


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="New repository folder (missing or empty).")
    ],
    county: Annotated[
        str | None,
        typer.Option("--id", help="The catalog's id (default: from the folder name)."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Start a county's own catalog repository: catalog/ (both trees, departments, materials and
    one example event with two matters, commented in the --lang language), .gitignore, a
    pre-commit hook and a GitHub Actions workflow pinned to this version of xpcli. The catalog
    validates with --strict at once; the workflow checks pull requests and builds the handbook
    and the export on main.

    Example: xpcli init xingping-catalog --id xingping --lang zh
    """
    from xpcli.county_repo import init_repo

    language = language_of(lang)
    written = init_repo(directory, county, language)
    out.print(
        say("scaffold-initialised", language, count=len(written), path=directory), markup=False
    )


new_app = typer.Typer(
    help="Write a commented template for a new matter or event.", no_args_is_help=True
)
app.add_typer(new_app, name="new")


def _new(kind: str, record_id: str, catalog: Path, department: str | None, lang: str) -> None:
    from xpcli.scaffold import new_record

    path = new_record(catalog, kind, record_id, department, lang)
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
    _new("matter", matter_id, catalog, department, language_of(lang))


@new_app.command("event")
def new_event(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The new event's id.")],
    catalog: CatalogOption = Path("catalog"),
    lang: LangOption = None,
) -> None:
    """Write events/ID.yaml from a commented template; never overwrites.

    Example: xpcli new event marriage --catalog catalog
    """
    _new("event", event_id, catalog, None, language_of(lang))
