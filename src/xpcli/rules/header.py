"""catalog.yaml's online URL templates."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog
from xpcli.rules import rule
from xpcli.site.paths import base_problem, site_base
from xpcli.textsafe import one_line


@rule
def url_templates(catalog: Catalog) -> Iterator[Diagnostic]:
    """`matter_url` and `event_url` are https URLs with a host, contain `{id}`, and hold no
    white space (a tab, a newline, U+3000) or control character: they are printed into QR
    codes and a pull request's comment."""
    if "catalog.yaml" in catalog.broken:
        return
    header = catalog.header
    for key, template in (("matter_url", header.matter_url), ("event_url", header.event_url)):
        if not is_url_template(template):
            yield problem(
                "bad-url-template",
                header.source.at("online", key),
                key=key,
                value=one_line(template),
            )


@rule
def site_base_holds_the_templates(catalog: Catalog) -> Iterator[Diagnostic]:
    """The site's base (`online.site_base`, or the templates' common prefix) is an https folder
    address under which both templates lie, so `xpcli build-site` has a page for every QR code."""
    if "catalog.yaml" in catalog.broken:
        return
    header = catalog.header
    if not is_url_template(header.matter_url) or not is_url_template(header.event_url):
        return  # bad-url-template says it
    if base_problem(header) is not None:
        key = "site_base" if header.site_base else "matter_url"
        yield problem("bad-site-base", header.source.at("online", key), value=site_base(header))


def is_url_template(template: str) -> bool:
    if "{id}" not in template:
        return False
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in template):
        return False
    try:
        parts = urlsplit(template.replace("{id}", "id"))
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced [ in the host
        return False
    return parts.scheme == "https" and bool(host)
