"""Reading a large catalog on two cores gives exactly what one core gives (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NEWBORN
from xpcli import loader
from xpcli.export import export_files
from xpcli.validate import validate


def _run(root: Path) -> tuple[list[str], dict[str, bytes]]:
    result = validate(root)
    report = [repr(d) for d in result.report.diagnostics]
    return report, export_files(result.catalog)


@pytest.mark.parametrize("root", [NEWBORN, Path(__file__).parent.parent / "catalog"])
def test_parallel_reading_is_identical_to_serial(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (root / "catalog.yaml").is_file():
        pytest.skip("no catalog")
    monkeypatch.setattr(loader, "_usable_cores", lambda: 1)
    serial = _run(root)
    monkeypatch.setattr(loader, "_usable_cores", lambda: 2)
    monkeypatch.setattr(loader, "PARALLEL_FILES", 2)  # every folder is split in two
    assert _run(root) == serial


def test_parallel_reading_keeps_the_problems_of_bad_files(
    catalog_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (catalog_dir / "matters" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(loader, "_usable_cores", lambda: 1)
    serial = [repr(d) for d in validate(catalog_dir).report.diagnostics]
    monkeypatch.setattr(loader, "_usable_cores", lambda: 2)
    monkeypatch.setattr(loader, "PARALLEL_FILES", 2)
    assert [repr(d) for d in validate(catalog_dir).report.diagnostics] == serial
    assert any("broken.yaml" in d for d in serial)
