"""Build the site: `site_files(catalog)`, then `write_site(files, target)`.

The pages are rendered in memory (`render.render_site`), indexed by pagefind in a scratch
folder (Chinese included: the extended binary segments it), listed with their SHA-256 in
`xpcli-site.json` and swapped into place as a whole, so a failed build leaves the previous site
as it was. Same catalog, same bytes. This package never prints.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

from xpcli.errors import XpcliError
from xpcli.export import dump
from xpcli.model import Catalog
from xpcli.outputs import replace_folder
from xpcli.site.paths import site_base
from xpcli.site.render import SEARCH_BUNDLE, render_site

FORMAT = "xpcli-site/1"
MANIFEST = "xpcli-site.json"
INSTALL_PAGEFIND = "pip install 'pagefind[extended]'"
PAGEFIND_SECONDS = 600  # 1,000 matters index in about 3 s; never wait for ever


def site_files(catalog: Catalog) -> dict[str, bytes]:
    """Every file of the site of a valid catalog: pages, assets, search index, manifest."""
    files = render_site(catalog)
    files.update(search_index(files))
    manifest = {
        "format": FORMAT,
        "catalog": catalog.header.id,
        "edition": catalog.header.edition,
        "base": site_base(catalog.header),
        "pages": sum(1 for path in files if path.endswith(".html")),
        "files": {path: hashlib.sha256(files[path]).hexdigest() for path in sorted(files)},
    }
    files[MANIFEST] = dump(manifest)
    return files


def write_site(files: dict[str, bytes], target: Path, catalog: Path | None = None) -> None:
    """Swap the complete new site into place. Only a missing or empty folder, or one holding
    our manifest, is replaced; never the catalog or a folder containing it (exit 2)."""
    replace_folder(target, files, MANIFEST, keep=(catalog,) if catalog is not None else ())


def search_index(pages: dict[str, bytes]) -> dict[str, bytes]:
    """pagefind's bundle for these pages ({"pagefind/…": bytes}), built in a scratch folder:
    only pages marked `data-pagefind-body` (events and matters) are indexed."""
    with tempfile.TemporaryDirectory(prefix="xpcli-site-") as scratch:
        root = Path(scratch)
        for rel, content in pages.items():
            if rel.endswith(".html"):
                path = root / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        _pagefind(root)
        bundle = root / SEARCH_BUNDLE
        return {
            f"{SEARCH_BUNDLE}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
            for p in sorted(bundle.rglob("*"))
            if p.is_file()
        }


def pagefind_executable() -> Path:
    """The pagefind binary shipped by `pagefind[extended]` (CJK segmentation) or `pagefind`."""
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found = __import__(module).get_executable()
        except (ImportError, FileNotFoundError):
            continue
        return Path(found)
    raise XpcliError("site-no-pagefind", command=INSTALL_PAGEFIND)


def _pagefind(folder: Path) -> None:
    """pagefind writes its bundle into `folder/pagefind/` (pages marked data-pagefind-body)."""
    command = [
        str(pagefind_executable()),
        "--site",
        str(folder),
        "--output-subdir",
        SEARCH_BUNDLE,
        "--silent",
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PAGEFIND_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise XpcliError("site-pagefind-failed", problem=str(exc)) from exc
    if done.returncode != 0:
        problem = (done.stderr or done.stdout).strip()[-2000:]
        raise XpcliError("site-pagefind-failed", problem=problem)


__all__ = ["FORMAT", "MANIFEST", "pagefind_executable", "site_files", "write_site"]
