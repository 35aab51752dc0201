"""catalog.yaml's online URL templates."""

from __future__ import annotations

from collections.abc import Iterator

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog
from xpcli.rules import rule


@rule
def url_templates(catalog: Catalog) -> Iterator[Diagnostic]:
    """`matter_url` and `event_url` are https and contain `{id}`."""
    if "catalog.yaml" in catalog.broken:
        return
    header = catalog.header
    for key, template in (("matter_url", header.matter_url), ("event_url", header.event_url)):
        if not template.startswith("https://") or "{id}" not in template or " " in template:
            yield problem(
                "bad-url-template", header.source.at("online", key), key=key, value=template
            )
