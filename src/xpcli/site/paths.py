"""Where each page of the site lives: the site's base address and a record's path below it.

A QR code encodes `online.matter_url` / `online.event_url` with the id filled in. When that
address is `BASE + P`, its page is the file `P/index.html` of the built site (or `P` itself when
P already names an .html file), so any static web server publishing the folder at BASE answers
every printed code.
"""

from __future__ import annotations

import os
import posixpath
from urllib.parse import urlsplit

from xpcli.model import Header

ID = "{id}"


def site_base(header: Header) -> str:
    """`online.site_base`, else the common prefix of the two URL templates up to the last `/`
    before `{id}` (`https://h.cn/x/` for `https://h.cn/x/matters/{id}` and `…/x/events/{id}`)."""
    if header.site_base:
        return header.site_base
    heads = [t.split(ID, 1)[0] for t in (header.matter_url, header.event_url)]
    common = os.path.commonprefix(heads)  # noqa: RUF071  (characters: the cut is by "/")
    return common[: common.rfind("/") + 1]


def base_problem(header: Header) -> str | None:
    """Why the site cannot be published at its base, or None: the base must be an https
    address with a host, ending in `/`, and both templates must lie below it with no query."""
    base = site_base(header)
    parts = urlsplit(base)
    if parts.scheme != "https" or not parts.netloc or not base.endswith("/"):
        return "base"
    if parts.query or parts.fragment or any(c.isspace() for c in base):
        return "base"
    for template in (header.matter_url, header.event_url):
        if not template.startswith(base):
            return "outside"
        tail = template[len(base) :]
        if "?" in tail or "#" in tail:
            return "outside"
    return None


def page_path(url: str, base: str) -> str | None:
    """The relative path of the page file for `url`, or None when `url` is not below `base`."""
    if not url.startswith(base):
        return None
    rest = url[len(base) :].strip("/")
    if "?" in rest or "#" in rest:
        return None
    if rest.endswith((".html", ".htm")):
        return rest
    return f"{rest}/index.html" if rest else "index.html"


def relative(source: str, target: str) -> str:
    """A link from the page file `source` to the page file `target`, both relative to the site
    root; `…/index.html` becomes its folder (`../events/newborn/`)."""
    start = posixpath.dirname(source) or "."
    link = posixpath.relpath(target, start)
    if link == "index.html":
        return "./"
    if link.endswith("/index.html"):
        return link[: -len("index.html")]
    return link


def root_of(page: str) -> str:
    """The link from a page file to the site root (`../../` for `events/newborn/index.html`)."""
    depth = page.count("/")
    return "../" * depth if depth else "./"


def url_of(page: str, base: str) -> str:
    """The public address of a page file."""
    if page == "index.html":
        return base
    if page.endswith("/index.html"):
        return base + page[: -len("index.html")]
    return base + page
