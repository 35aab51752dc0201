"""catalog.yaml's online URL templates."""

from __future__ import annotations

from collections.abc import Iterator

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog
from xpcli.rules import rule
from xpcli.site.paths import base_problem, site_base


@rule
def url_templates(catalog: Catalog) -> Iterator[Diagnostic]:
    """`matter_url` and `event_url` are https and contain `{id}`."""
    if "catalog.yaml" in catalog.broken:
        return
    header = catalog.header
    for key, template in (("matter_url", header.matter_url), ("event_url", header.event_url)):
        if _bad_template(template):
            yield problem(
                "bad-url-template", header.source.at("online", key), key=key, value=template
            )


@rule
def site_base_holds_the_templates(catalog: Catalog) -> Iterator[Diagnostic]:
    """The site's base (`online.site_base`, or the templates' common prefix) is an https folder
    address under which both templates lie, so `xpcli build-site` has a page for every QR code."""
    if "catalog.yaml" in catalog.broken:
        return
    header = catalog.header
    if _bad_template(header.matter_url) or _bad_template(header.event_url):
        return  # bad-url-template says it
    if base_problem(header) is not None:
        key = "site_base" if header.site_base else "matter_url"
        yield problem("bad-site-base", header.source.at("online", key), value=site_base(header))


def _bad_template(template: str) -> bool:
    return not template.startswith("https://") or "{id}" not in template or " " in template
