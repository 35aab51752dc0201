"""`diff` as a use case: read both sides from git, validate each, compare them.

The parts live beside it: `gitread` (the only code that runs git), `compare` (two loaded
catalogs, no git) and `render_diff` (text and markdown).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from xpcli.compare import CatalogDiff, compare
from xpcli.errors import EXIT_USAGE, InvalidCatalog, Term, XpcliError
from xpcli.gitread import extract, locate, resolve_revision
from xpcli.model import Catalog
from xpcli.validate import validate


def _load_side(root: Path, side: str, revision: str | Term) -> Catalog:
    result = validate(root)
    if result.report.errors:
        raise InvalidCatalog(
            result.report,
            result.files,
            "diff-invalid-side",
            exit_code=EXIT_USAGE,
            side=Term(f"diff-side-{side}"),
            revision=revision,
        )
    return result.catalog


def diff_revisions(catalog: Path, base: str, head: str | None = None) -> CatalogDiff:
    """Compare the catalog at `base` with `head` (None: the working tree)."""
    top, rel = locate(catalog)
    base_commit = resolve_revision(top, base, "base")
    head_commit = resolve_revision(top, head, "head") if head is not None else None
    with tempfile.TemporaryDirectory(prefix="xpcli-diff-") as tmp:
        old_root = Path(tmp, "base")
        extract(top, rel, base_commit, old_root, "base")
        old = _load_side(old_root, "base", base)
        if head is None:
            if not Path(catalog).is_dir():
                raise XpcliError(
                    "diff-no-catalog-at",
                    side=Term("diff-side-head"),
                    revision=Term("diff-working-tree"),
                    path=str(catalog),
                )
            new = _load_side(Path(catalog), "head", Term("diff-working-tree"))
        else:
            assert head_commit is not None
            new_root = Path(tmp, "head")
            extract(top, rel, head_commit, new_root, "head")
            new = _load_side(new_root, "head", head)
    return compare(old, new, base=base, head=head, catalog=rel or ".")
