"""xpcli.outputs: what an output may replace, atomic files, the lock, litter, mount points."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from tests.conftest import NEWBORN, runner
from xpcli import outputs
from xpcli.cli import app
from xpcli.errors import XpcliError
from xpcli.export import export_files, write_export
from xpcli.validate import validate

MANIFEST = "manifest.json"


def export(catalog: Path, target: str | Path, *extra: str) -> tuple[int, str]:
    args = ["export", "--catalog", str(catalog), "-o", str(target), "--lang", "en", *extra]
    result = runner.invoke(app, args)
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (symlinks not followed), to prove nothing was touched."""
    found = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            rel = path.relative_to(folder).as_posix()
            found[rel] = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
    return found


@pytest.fixture
def files() -> dict[str, bytes]:
    return export_files(validate(NEWBORN).catalog)


# ---------------------------------------------------------------- what a folder output may be


def test_a_folder_that_is_not_an_export_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "docs"
    (target / "sub").mkdir(parents=True)
    (target / "thesis.docx").write_bytes(b"four years of work")
    (target / "sub" / "notes.txt").write_text("notes")
    before = snapshot(tmp_path)
    code, output = export(NEWBORN, target)
    assert code == 2
    assert "xpcli did not write" in output and "manifest.json" in output
    assert snapshot(tmp_path) == before


def test_a_folder_with_a_foreign_manifest_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "manifest.json").write_text('{"name": "a web app manifest"}')
    assert export(NEWBORN, target)[0] == 2
    assert (target / "manifest.json").read_text() == '{"name": "a web app manifest"}'


@pytest.mark.parametrize("where", ["catalog", "parent", "grandparent"])
def test_the_catalog_or_a_folder_containing_it_is_refused(tmp_path: Path, where: str) -> None:
    catalog = tmp_path / "repo" / "catalog"
    shutil.copytree(NEWBORN, catalog)
    target = {"catalog": catalog, "parent": catalog.parent, "grandparent": tmp_path}[where]
    # even when it looks like an export: the catalog must never be swapped out
    (target / MANIFEST).write_text('{"format": "xpcli-export/1"}')
    before = snapshot(tmp_path)
    code, output = export(catalog, target)
    assert code == 2
    assert "is the catalog" in output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("option", ["", "."])
def test_the_current_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    """`-o .` in the repository root, and `-o ""` (an unset variable) which means the same."""
    repo = tmp_path / "repo"
    shutil.copytree(NEWBORN, repo / "catalog")
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[core]\n")
    monkeypatch.chdir(repo)
    before = snapshot(tmp_path)
    code, output = export(Path("catalog"), option)
    assert code == 2
    assert "current folder" in output
    assert snapshot(tmp_path) == before


def test_the_current_folder_is_refused_even_when_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "empty"
    here.mkdir()
    monkeypatch.chdir(here)
    assert export(NEWBORN, "")[0] == 2
    assert list(here.iterdir()) == []


def test_an_existing_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "api"
    target.write_text("a file the user wrote")
    code, output = export(NEWBORN, target)
    assert code == 2 and "is a file" in output
    assert target.read_text() == "a file the user wrote"


@pytest.mark.parametrize("points_to", ["folder", "export", "file", "nothing"])
def test_a_symlink_is_refused(tmp_path: Path, files: dict[str, bytes], points_to: str) -> None:
    real = tmp_path / "real"
    if points_to == "folder":
        real.mkdir()
        (real / "keep.txt").write_text("keep")
    elif points_to == "export":
        write_export(files, real)
    elif points_to == "file":
        real.write_text("keep")
    link = tmp_path / "api"
    link.symlink_to(real)
    before = snapshot(tmp_path)
    code, output = export(NEWBORN, link)
    assert code == 2 and "symbolic link" in output
    assert snapshot(tmp_path) == before


def test_missing_empty_and_earlier_exports_are_written(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    missing = tmp_path / "a" / "b" / "api"
    assert export(NEWBORN, missing)[0] == 0
    assert snapshot(missing) == files
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export(NEWBORN, empty)[0] == 0
    assert snapshot(empty) == files
    # an earlier export, stale files included, is replaced by exactly the new one
    (missing / "matters" / "gone.json").write_text("{}")
    (missing / "catalog.json").write_text("old")
    assert export(NEWBORN, missing)[0] == 0
    assert snapshot(missing) == files
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["api"]


def test_the_export_folder_is_published_readable(tmp_path: Path) -> None:
    export(NEWBORN, tmp_path / "api")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "api").stat().st_mode & 0o777 == 0o777 & ~mask


def test_paths_to_write_are_plain(tmp_path: Path) -> None:
    for rel in ("../x", "/etc/x", "a/../../x", "a//b", "./a", ""):
        with pytest.raises(ValueError):
            outputs.replace_folder(tmp_path / "out", {rel: b"", MANIFEST: b"{}"}, MANIFEST)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- one file


def test_a_file_output_refuses_folders_symlinks_and_devices(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "elsewhere.pdf")
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    cases = {
        folder: "output-is-folder",
        Path(""): "output-is-folder",
        link: "output-is-symlink",
        fifo: "output-not-regular",
        Path("/dev/null"): "output-not-regular",
    }
    for target, code in cases.items():
        with pytest.raises(XpcliError) as caught:
            outputs.write_file(target, b"%PDF")
        assert caught.value.code == code, target
    assert not (tmp_path / "elsewhere.pdf").exists()


def test_a_document_output_replaces_only_a_document_of_its_kind(tmp_path: Path) -> None:
    """A mistyped `-o README.md` for a PDF or a workbook is refused, not overwritten."""
    readme = tmp_path / "README.md"
    readme.write_text("# our notes\n", encoding="utf-8")
    old_pdf = tmp_path / "old.pdf"
    old_pdf.write_bytes(b"%PDF-1.7 an earlier handbook")
    with pytest.raises(XpcliError) as caught:
        outputs.write_file(readme, b"%PDF-1.7 new", outputs.PDF)
    assert (caught.value.code, caught.value.params["kind"]) == ("output-other-file", "PDF")
    assert readme.read_text(encoding="utf-8") == "# our notes\n"
    with pytest.raises(XpcliError):
        outputs.write_file(old_pdf, b"PK\x03\x04 a workbook", outputs.XLSX)
    outputs.write_file(old_pdf, b"%PDF-1.7 new", outputs.PDF)
    assert old_pdf.read_bytes() == b"%PDF-1.7 new"


@pytest.mark.parametrize("command", ["ledger", "stats"])
def test_a_spreadsheet_is_never_written_over_a_catalog_file(
    catalog_dir: Path, command: str
) -> None:
    target = catalog_dir / "catalog.yaml"
    before = target.read_bytes()
    args = [command, "--catalog", str(catalog_dir), "-o", str(target), "--lang", "en"]
    if command == "stats":
        args += ["--format", "xlsx"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "inside the catalog" in result.output
    assert target.read_bytes() == before


def test_build_handbook_never_writes_over_a_catalog_file_or_a_foreign_file(
    catalog_dir: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me\n", encoding="utf-8")
    for target, words in (
        (catalog_dir / "catalog.yaml", "inside the catalog"),
        (notes, "not a PDF"),
    ):
        before = target.read_bytes()
        args = ["build-handbook", "--catalog", str(catalog_dir), "-o", str(target), "--lang", "en"]
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert words in result.output
        assert target.read_bytes() == before


def test_build_handbook_refuses_a_folder_output_before_rendering(tmp_path: Path) -> None:
    """A message and exit 2, not a traceback after a render of many seconds."""
    (tmp_path / "out.pdf").mkdir()
    for option in (["-o", str(tmp_path / "out.pdf")], ["--html", str(tmp_path / "out.pdf")]):
        args = ["build-handbook", "--catalog", str(NEWBORN), "--lang", "en", *option]
        if option[0] == "--html":
            args += ["-o", str(tmp_path / "fine.pdf")]
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "is a folder" in result.output
        assert not (tmp_path / "fine.pdf").exists()


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "handbook.pdf"
    target.write_bytes(b"old")

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", full)
    with pytest.raises(XpcliError) as caught:
        outputs.write_file(target, b"new")
    assert caught.value.code == "cannot-write"
    assert "No space left" in str(caught.value.params["reason"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handbook.pdf"]
    assert target.read_bytes() == b"old"


def test_a_file_is_replaced_atomically_and_readable(tmp_path: Path) -> None:
    target = tmp_path / "dist" / "handbook.pdf"
    outputs.write_file(target, b"one")
    outputs.write_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["handbook.pdf"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


# ---------------------------------------------------------------- litter and the lock


def test_litter_of_killed_runs_is_removed_and_nothing_else(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    dist = tmp_path / "dist"
    (dist / ".api.new-abcd1234" / "matters").mkdir(parents=True)
    (dist / ".api.old-k_9z0q1x" / "api").mkdir(parents=True)
    (dist / ".api.old-k_9z0q1x" / "api" / "catalog.json").write_text("{}")
    (dist / ".handbook.pdf.x1y2z3w4.tmp").write_bytes(b"%PDF-half")
    (dist / ".api.lock").write_text("")  # a killed run's lock file is reused, then removed
    keep = [".api.new-mine", ".other.new-abcd1234", ".api.old-abcd1234.bak", "notes.txt"]
    for name in keep:
        (dist / name).write_text("not ours")
    write_export(files, dist / "api")
    outputs.write_file(dist / "handbook.pdf", b"%PDF")
    assert sorted(p.name for p in dist.iterdir()) == sorted([*keep, "api", "handbook.pdf"])


def test_litter_is_left_alone_without_the_lock(tmp_path: Path) -> None:
    """Cleaning needs the lock: while another run holds it, its temporary files are its own."""
    (tmp_path / ".api.new-abcd1234").mkdir()
    with outputs.locked(tmp_path / "api"):
        with pytest.raises(XpcliError) as caught, outputs.locked(tmp_path / "api", timeout=0.2):
            pass  # pragma: no cover
        assert caught.value.code == "output-busy"
    assert (tmp_path / ".api.new-abcd1234").is_dir()
    assert not (tmp_path / ".api.lock").exists()


def test_concurrent_exports_take_turns(tmp_path: Path, files: dict[str, bytes]) -> None:
    target = tmp_path / "api"
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        try:
            for _ in range(5):
                write_export(files, target)
        except BaseException as exc:  # pragma: no cover - what the test is looking for
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert snapshot(target) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api"]


# ---------------------------------------------------------------- a folder that cannot be renamed


def test_an_output_that_cannot_be_renamed_is_rewritten_in_place(
    tmp_path: Path, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "api"
    write_export(files, target)
    (target / "matters" / "gone.json").write_text("{}")
    real_replace = os.replace

    def busy(src: str | Path, dst: str | Path) -> None:
        if Path(src) == target:
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        real_replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", busy)
    write_export(files, target)
    assert snapshot(target) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api"]


def test_a_killed_in_place_rewrite_is_finished_by_the_next_run(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    """Killed after deleting the old files, before moving the new ones up: only our litter."""
    target = tmp_path / "api"
    (target / ".api.new-abcd1234" / "matters").mkdir(parents=True)
    write_export(files, target)
    assert snapshot(target) == files


def test_a_real_mount_point_is_written(tmp_path: Path, files: dict[str, bytes]) -> None:
    target = tmp_path / "api"
    target.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "xpcli-test", str(target)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); "
            "test_an_output_that_cannot_be_renamed_is_rewritten_in_place covers it"
        )
    try:
        write_export(files, target)
        write_export(files, target)
        assert os.path.ismount(target)
        assert snapshot(target) == files
    finally:
        subprocess.run(["umount", str(target)], check=True)


# ---------------------------------------------------------------- export --check reads safely


def test_check_with_an_unreadable_file_is_a_message(
    tmp_path: Path, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads through chmod 000, so the refusal is simulated at os.open (the permission
    tests that drop root are in test_security.py)."""
    target = tmp_path / "api"
    write_export(files, target)
    real_open = os.open

    def denied(path: str | Path, flags: int, *args: int) -> int:
        if Path(path).name == "catalog.json":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr("xpcli.export.os.open", denied)
    code, output = export(NEWBORN, target, "--check")
    assert code == 2
    assert "cannot read" in output and "catalog.json" in output and "Permission denied" in output


def test_check_never_opens_a_fifo_or_follows_a_symlink(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    target = tmp_path / "api"
    write_export(files, target)
    (target / "catalog.json").unlink()
    os.mkfifo(target / "catalog.json")  # opening it for reading would block for ever
    (target / "trees.json").unlink()
    (target / "trees.json").symlink_to("/dev/zero")  # reading it would never end
    (target / "matters" / "elsewhere").symlink_to(tmp_path)
    code, output = export(NEWBORN, target, "--check")
    assert code == 1
    assert "changed: " in output and "catalog.json" in output and "trees.json" in output
    assert "extra: " in output and "matters/elsewhere" in output


def test_a_mount_point_whose_parent_the_user_cannot_write(files: dict[str, bytes]) -> None:
    """The usual mount: /srv (root's) holds the user's volume. The lock and the rewrite stay
    inside the volume. Runs as `nobody` (see test_security.unprivileged)."""
    from tests.test_security import unprivileged

    base = Path(tempfile.mkdtemp(prefix="xpcli-mount-"))
    base.chmod(0o755)  # root's: nobody cannot create anything beside the mount
    target = base / "api"
    target.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,uid=65534,gid=65534,mode=0755", "x", str(target)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        shutil.rmtree(base)
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")

    def export_twice(folder: str) -> list[str]:
        write_export(files, Path(folder))
        write_export(files, Path(folder))
        return sorted(snapshot(Path(folder)))

    try:
        assert unprivileged(export_twice, str(target)) == sorted(files)
        assert os.listdir(base) == ["api"]
    finally:
        subprocess.run(["umount", str(target)], check=True)
        shutil.rmtree(base)
