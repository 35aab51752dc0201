"""The printed handbook (便民服务手册): `build(catalog, output=, html=, options=, progress=)`.

Jinja2 templates (the package's defaults, overridden file by file by a catalog's own
`templates/` folder) render HTML from the data in `data` (built by `context`); WeasyPrint lays
out the book in parts and `merge` joins them into one PDF.
"""

from xpcli.handbook.pdf import BuildResult, PrintOptions, build

__all__ = ["BuildResult", "PrintOptions", "build"]
