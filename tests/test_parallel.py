"""Reading and exporting a large catalog on two cores gives exactly what one core gives
(issue 14): the same report, byte for byte, and the same export files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NEWBORN, run_cli
from xpcli import export, loader, shares
from xpcli.export import export_files
from xpcli.validate import validate
from xpcli.yamlparse import LazyPositions, parse

REPO_CATALOG = Path(__file__).parent.parent / "catalog"


def _run(root: Path) -> tuple[list[str], dict[str, bytes]]:
    result = validate(root)
    report = [repr(d) for d in result.report.diagnostics]
    return report, export_files(result.catalog) if not result.report.errors else {}


def _serial(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dict[str, bytes]]:
    monkeypatch.setattr(shares, "usable_cores", lambda: 1)
    serial = _run(root)
    monkeypatch.setattr(shares, "usable_cores", lambda: 2)
    # Every folder and every export is shared out, one file or one event a share.
    monkeypatch.setattr(loader, "PARALLEL_FILES", 2)
    monkeypatch.setattr(loader, "SHARE_FILES", 1)
    monkeypatch.setattr(export, "PARALLEL_RECORDS", 2)
    monkeypatch.setattr(export, "SHARE_EVENTS", 1)
    return serial


def _all_to_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked process takes every share, so all that is read or made comes back from it."""
    take = shares._take
    monkeypatch.setattr(
        shares, "_take", lambda ends, from_start: None if from_start else take(ends, from_start)
    )


@pytest.mark.parametrize("worker_only", [False, True])
@pytest.mark.parametrize("root", [NEWBORN, REPO_CATALOG])
def test_parallel_reading_is_identical_to_serial(
    root: Path, worker_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (root / "catalog.yaml").is_file():
        pytest.skip("no catalog")
    serial = _serial(root, monkeypatch)
    if worker_only:
        _all_to_the_worker(monkeypatch)
    parallel = _run(root)
    assert parallel[1], "the catalog exports"
    assert parallel == serial


@pytest.mark.parametrize("worker_only", [False, True])
def test_parallel_reading_keeps_the_problems_of_bad_files(
    catalog_dir: Path, worker_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    (catalog_dir / "matters" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    serial = _serial(catalog_dir, monkeypatch)
    if worker_only:
        _all_to_the_worker(monkeypatch)
    assert _run(catalog_dir) == serial
    assert any("broken.yaml" in d for d in serial[0])


@pytest.mark.parametrize("worker_only", [False, True])
def test_rules_locate_problems_in_files_read_by_the_worker(
    catalog_dir: Path, worker_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file read by the worker comes back without its positions; a rule that reports in it
    finds the same line and column as one process does."""
    event = catalog_dir / "events" / "newborn.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("after: [birth-medical-certificate]", "after: [nobody]"))
    matter = catalog_dir / "matters" / "vaccination-certificate.yaml"
    text = matter.read_text(encoding="utf-8")
    matter.write_text(text.replace("id: vaccination-certificate\n", "id: vaccination\n", 1))
    serial = _serial(catalog_dir, monkeypatch)
    if worker_only:
        _all_to_the_worker(monkeypatch)
    assert _run(catalog_dir) == serial
    assert any("after-not-in-event" in d and "newborn.yaml" in d for d in serial[0])
    assert any("id-mismatch" in d and "vaccination-certificate.yaml" in d for d in serial[0])


@pytest.mark.parametrize("form", ["text", "json", "github"])
def test_the_printed_report_is_the_same_bytes(
    catalog_dir: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = catalog_dir / "events" / "newborn.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("after: [birth-medical-certificate]", "after: [nobody]"))
    (catalog_dir / "matters" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    args = ("validate", catalog_dir, "--format", form, "--lang", "en")
    _serial(catalog_dir, monkeypatch)
    monkeypatch.setattr(shares, "usable_cores", lambda: 1)
    serial = run_cli(*args)
    monkeypatch.setattr(shares, "usable_cores", lambda: 2)
    _all_to_the_worker(monkeypatch)
    parallel = run_cli(*args)
    assert "nobody" in serial.output
    assert (parallel.exit_code, parallel.output) == (serial.exit_code, serial.output)


def test_lazy_positions_are_the_positions_of_the_parse() -> None:
    raw = (NEWBORN / "events" / "newborn.yaml").read_bytes()
    parsed = parse(raw.decode("utf-8"), "events/newborn.yaml")
    lazy = LazyPositions(raw, "events/newborn.yaml")
    assert dict(lazy) == parsed.positions
    assert ("matters", 1, "after", 0) in lazy
    assert lazy[("matters", 1, "after", 0)] == parsed.positions[("matters", 1, "after", 0)]


def test_every_share_is_done_once_in_order() -> None:
    made = shares.share_out(
        list(range(50)),
        lambda i: ("here", i),
        lambda i: ("there", i),
        lambda i, theirs: (theirs[0] + " and back", theirs[1]),
    )
    assert [i for _, i in made] == list(range(50))
    assert {where for where, _ in made} <= {"here", "there and back"}


def test_the_worker_can_take_every_share(monkeypatch: pytest.MonkeyPatch) -> None:
    _all_to_the_worker(monkeypatch)
    made = shares.share_out(list(range(5)), lambda i: i, lambda i: -i, lambda i, theirs: -theirs)
    assert made == list(range(5))


def test_a_killed_reading_process_is_an_error_not_a_hang() -> None:
    """The forked process that reads shares is killed (the OOM killer): the pool would start
    another and wait for ever for the share the first one held; an error instead (exit 2)."""
    import os
    import time

    from xpcli import shares
    from xpcli.errors import XpcliError

    def here(share: int) -> int:
        time.sleep(0.02)  # slower than the worker, so that it takes shares too
        return share

    def there(share: int) -> int:
        os._exit(9)  # as if killed while it read this share

    with pytest.raises(XpcliError) as raised:
        shares.share_out(list(range(50)), here, there, lambda s, r: r)
    assert raised.value.code == "read-worker-gone"
    assert raised.value.exit_code == 2
