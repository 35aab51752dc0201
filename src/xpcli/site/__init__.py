"""The static site the handbook's QR codes open (`xpcli build-site`, `xpcli preview`).

- `paths`: the site's base address and where each record's page lives below it;
- `context`: the pages' data (figures from `simplify`, fields from `records`);
- `render`: Jinja2 templates from `templates/site/` → {relative path: bytes};
- `build`: the search index (pagefind), the manifest, the atomic write;
- `serve`: the loopback preview server.

Nothing here prints; importing this package imports none of them.
"""
