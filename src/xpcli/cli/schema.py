"""`xpcli schema KIND`: the JSON Schema of one kind of catalog file."""

from __future__ import annotations

from typing import Annotated

import typer

from xpcli.cli.app import LangOption, app, language_of, print_json
from xpcli.errors import XpcliError


@app.command()
def schema(
    kind: Annotated[
        str, typer.Argument(help="catalog, departments, materials, windows, matter or event.")
    ],
    lang: LangOption = None,
) -> None:
    """Print the JSON Schema of one kind of catalog file.

    Example: xpcli schema matter > matter.schema.json
    """
    from xpcli.schema import FILE_KINDS, schema
    from xpcli.schema_docs import described

    language_of(lang)
    if kind not in FILE_KINDS:
        raise XpcliError("bad-kind", kind=kind, allowed=", ".join(FILE_KINDS))
    print_json(described(schema(kind)))
