"""`xpcli import`: a county's 实施清单 (xlsx, xls, ods, csv, the platforms' AUDIT_* JSON) into
the catalog. `plan_import` reads and merges without writing; `write_plan` writes the files of a
plan that has no problems; `preview` compares the catalog before and after, for `--dry-run`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from xpcli.compare import CatalogDiff, compare
from xpcli.errors import XpcliError
from xpcli.importer.plan import ImportPlan, plan_import
from xpcli.importer.rows import Problem
from xpcli.outputs import write_file
from xpcli.validate import validate

__all__ = ["ImportPlan", "Problem", "plan_import", "preview", "write_plan"]
CATALOG_PARTS = ("catalog.yaml", "departments.yaml", "materials.yaml", "windows.yaml")


def write_plan(root: Path, plan: ImportPlan) -> None:
    """Write every file of the plan, each atomically; refuse a path that leaves the catalog."""
    if plan.problems:
        raise XpcliError("import-has-problems", count=len(plan.problems))
    real_root = root.resolve()
    targets = {rel: _inside(real_root, rel) for rel in plan.files}
    for rel, data in plan.files.items():
        write_file(targets[rel], data)


def _inside(real_root: Path, rel: str) -> Path:
    target = real_root / rel
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.resolve().is_relative_to(real_root) or target.is_symlink():
        raise XpcliError("import-outside-catalog", path=rel)
    return target


def preview(root: Path, plan: ImportPlan, inputs: list[Path]) -> CatalogDiff | None:
    """The difference the plan makes, in the words of `xpcli diff` (None when either side is
    not a valid catalog: then the list of files is all there is to show)."""
    with tempfile.TemporaryDirectory(prefix="xpcli-import-") as temp:
        staged = Path(temp) / "catalog"
        staged.mkdir()
        for name in CATALOG_PARTS:
            if (root / name).is_file():
                shutil.copy2(root / name, staged / name)
        for folder in ("matters", "events"):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, staged / folder, symlinks=True)
        for rel, data in plan.files.items():
            (staged / rel).parent.mkdir(parents=True, exist_ok=True)
            (staged / rel).write_bytes(data)
        before, after = validate(root), validate(staged)
        if before.report.failed() or after.report.failed():
            return None
        names = ", ".join(path.name for path in inputs)
        return compare(before.catalog, after.catalog, root.as_posix(), names, root.as_posix())
