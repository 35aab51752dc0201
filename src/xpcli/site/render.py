"""The site's pages as {relative path: bytes}: Jinja2 templates from `templates/site/` in the
handbook's sandboxed, autoescaped, strict environment, plus the static assets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import jinja2

from xpcli.errors import XpcliError
from xpcli.handbook.pdf import environment
from xpcli.model import Catalog
from xpcli.resources import templates_dir
from xpcli.site.context import DEPARTMENTS, HOME, NOT_FOUND, SEARCH, Site, build_context
from xpcli.site.paths import relative, root_of, url_of

ASSETS = "assets"
SITEMAP = "sitemap.xml"
SEARCH_BUNDLE = "pagefind"
# Names the site itself uses at its root; a record whose address falls on one is refused.
RESERVED = (ASSETS, SEARCH_BUNDLE, "departments", "search", NOT_FOUND, SITEMAP)


def render_site(catalog: Catalog) -> dict[str, bytes]:
    """Every file of the site except the search index (which pagefind builds from these)."""
    site = build_context(catalog)
    env = _environment()
    files: dict[str, bytes] = {}

    def page(path: str, template: str, **values: Any) -> None:
        if path in files:
            raise XpcliError("site-path-taken", path=path)
        files[path] = _render(env, template, site, path, **values)

    page(HOME, "home.html.j2")
    page(DEPARTMENTS, "departments.html.j2")
    page(SEARCH, "search.html.j2")
    # served at any missing address: its links start from the site's absolute path
    files[NOT_FOUND] = _render(
        env, "404.html.j2", site, NOT_FOUND, root=urlsplit(site.base).path or "/"
    )
    for department in site.departments:
        page(department.page, "department.html.j2", department=department)
    for event in site.events:
        _check_free(event.page)
        page(event.page, "event.html.j2", event=event)
    for matter in site.matters:
        _check_free(matter.page)
        page(matter.page, "matter.html.j2", matter=matter)
    for retired in site.retired:
        _check_free(retired.page)
        page(retired.page, "retired.html.j2", retired=retired)
    for redirect in site.redirects:
        _check_free(redirect.page)
        page(redirect.page, "redirect.html.j2", redirect=redirect)
    files[SITEMAP] = _render(env, "sitemap.xml.j2", site, SITEMAP, urls=_sitemap(site))
    for asset in sorted((templates_dir("site") / ASSETS).iterdir()):
        if asset.is_file():
            files[f"{ASSETS}/{asset.name}"] = asset.read_bytes()
    return files


def _check_free(path: str) -> None:
    if path.split("/", 1)[0] in RESERVED:
        raise XpcliError("site-path-taken", path=path)


def _sitemap(site: Site) -> list[str]:
    pages = [HOME, DEPARTMENTS, SEARCH, *(d.page for d in site.departments)]
    pages += [e.page for e in site.events] + [m.page for m in site.matters]
    return [url_of(p, site.base) for p in pages]


def _environment() -> jinja2.Environment:
    env = environment([templates_dir("site")])
    # tojson (JSON-LD, the page's data for its script): sorted keys, readable Chinese
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def _render(
    env: jinja2.Environment,
    template: str,
    site: Site,
    path: str,
    root: str | None = None,
    **values: Any,
) -> bytes:
    """One page; links are relative to it (`href(target)`), or start from `root` when given."""
    if root is None:
        href: Callable[[str], str] = lambda target: relative(path, target)  # noqa: E731
    else:
        href = lambda target: root + relative(HOME, target).removeprefix("./")  # noqa: E731
    try:
        text = env.get_template(template).render(
            site=site,
            path=path,
            root=root if root is not None else root_of(path),
            href=href,
            canonical=url_of(path, site.base),
            home=HOME,
            departments=DEPARTMENTS,
            search=SEARCH,
            **values,
        )
    except jinja2.TemplateNotFound as exc:
        raise XpcliError("handbook-template-missing", name=exc.name) from exc
    except jinja2.TemplateError as exc:
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        where = f"{filename}:{line}" if filename else "?"
        raise XpcliError("handbook-template-error", where=where, problem=str(exc)) from exc
    return text.encode("utf-8")
