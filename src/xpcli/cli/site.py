"""`xpcli build-site`: the static site the handbook's QR codes open."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import CatalogOption, LangOption, app, language_of, load_valid, out
from xpcli.messages import say


@app.command("build-site")
def build_site(
    catalog: CatalogOption = Path("catalog"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Site folder.")] = Path(
        "dist/site"
    ),
    lang: LangOption = None,
) -> None:
    """Write the static site (网站): home with the trees, one page per event (the one-time
    notice, narrowed by the applicant's situations) and per matter, department index, search,
    redirects for former ids, 404 and sitemap. A QR address BASE + P has its page at P/.

    Example: xpcli build-site --catalog catalog -o dist/site
    """
    from xpcli.site.build import site_files, write_site

    language = language_of(lang)
    from xpcli.outputs import check_folder
    from xpcli.site.build import MANIFEST

    check_folder(output, MANIFEST, keep=(catalog,))  # refuse before the build, not after it
    files = site_files(load_valid(catalog))
    write_site(files, output, catalog)
    pages = sum(1 for path in files if path.endswith(".html"))
    out.print(say("wrote-site", language, pages=pages, count=len(files), path=output), markup=False)
