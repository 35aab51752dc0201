"""The printed handbook (便民服务手册): `build(catalog, output=, html=, paper=, console=)`.

Jinja2 templates (the package's defaults, overridden file by file by a catalog's own
`templates/` folder) render HTML from data prepared in `context`; WeasyPrint renders the PDF.
"""

from xpcli.handbook.pdf import BuildResult, build

__all__ = ["BuildResult", "build"]
