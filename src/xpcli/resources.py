"""Where the default templates are: inside the wheel, or at the top of a source checkout.

The templates live in the repository's top-level `templates/` (so a county that forks xpcli
finds them where the layout says) and hatch's `force-include` copies them into the wheel as
`xpcli/templates/`. An editable install has no copy, so the source tree's folder is used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def templates_root() -> Path:
    shipped = _PACKAGE / "templates"
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent.parent / "templates"


def templates_dir(kind: str) -> Path:
    """`templates/handbook` or `templates/site`."""
    return templates_root() / kind
