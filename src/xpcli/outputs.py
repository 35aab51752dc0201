"""Where xpcli writes: one file (`write_file`) or one whole folder (`replace_folder`).

Every command that writes output goes through this module, so the promises of
docs/security.md hold for all of them:

- A file is written to a temporary file beside it, then renamed into place: a reader sees the
  old file or the new one, never half of it. A folder, a symlink or a device as the target is
  refused.
- A folder is replaced only when it is missing, empty, or was written by xpcli: it holds our
  manifest (a regular file whose JSON `format` starts with `xpcli-`). Anything else, the
  catalog, a folder containing the catalog or the current folder (`-o .`, `-o ""`), a file or a
  symlink is refused before anything is touched (exit 2).
- Two runs on the same output take turns: a `fcntl.flock` on `.NAME.lock` beside the output
  (inside it for a mount point, whose parent may not be writable).
  Windows has no fcntl: there the lock is skipped and concurrent runs are not serialised.
- Litter of killed runs (`.NAME.new-*`, `.NAME.old-*`, `.NAME.*.tmp`, named by us with
  tempfile's 8-character suffix) is removed by the next run, only while it holds the lock.
- A folder that cannot be renamed (a mount point: EBUSY, EXDEV) is rewritten in place.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import orjson

from xpcli.errors import XpcliError

if sys.platform != "win32":
    import fcntl

# How long a run waits for another run on the same output before giving up.
LOCK_TIMEOUT = 600.0
# A manifest is a few hundred bytes per file (a sha256 and a path): 64 MiB is ~200,000 files.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MANIFEST_FORMAT_PREFIX = "xpcli-"
# tempfile's names: 8 characters of this alphabet.
_TEMP = "[a-z0-9_]{8}"
_UNRENAMABLE = frozenset((errno.EBUSY, errno.EXDEV))
# Not on Windows: there a symlink or FIFO cannot be opened by surprise in the same way.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)


# ---------------------------------------------------------------- one file


# The first bytes of what a command writes: a PDF, an xlsx workbook (a zip), an HTML page.
PDF, XLSX, HTML = b"%PDF-", b"PK\x03\x04", b"<!DOCTYPE html>"
_SIGNATURE_NAMES = {PDF: "PDF", XLSX: "xlsx", HTML: "HTML"}


def check_file(target: Path, signature: bytes | None = None, keep: tuple[Path, ...] = ()) -> None:
    """Refuse a file target that is a folder, a symlink or not a regular file (before a long
    render, so that the user does not wait for a refusal). With a `signature`, the file is a
    document of ours (a PDF, a workbook): it may not land in a `keep` folder (the catalog), and
    an existing file is replaced only when it is a document of the same kind — a mistyped
    `-o catalog/catalog.yaml` or `-o README.md` is refused, not overwritten."""
    if str(target) == "" or os.fspath(target) in (".", ".."):
        raise XpcliError("output-is-folder", path=target)
    if signature is not None:
        _check_not_in(target, keep)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    if stat.S_ISDIR(mode):
        raise XpcliError("output-is-folder", path=target)
    if stat.S_ISLNK(mode):
        raise XpcliError("output-is-symlink", path=target)
    if not stat.S_ISREG(mode):
        raise XpcliError("output-not-regular", path=target)
    if signature is not None and not _starts_with(target, signature):
        raise XpcliError("output-other-file", path=target, kind=_SIGNATURE_NAMES[signature])


def _check_not_in(target: Path, keep: tuple[Path, ...]) -> None:
    real = _real(target)
    for folder in keep:
        if real.is_relative_to(_real(folder)):
            raise XpcliError("output-in-catalog", path=target, catalog=folder)


def _starts_with(path: Path, signature: bytes) -> bool:
    """Whether the file's first bytes (after white space, for HTML) are `signature`."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    return head.lstrip().upper().startswith(signature.upper())


def write_file(
    target: Path, data: bytes, signature: bytes | None = None, keep: tuple[Path, ...] = ()
) -> None:
    """Write `data` to `target` atomically: a temporary file beside it, fsync, rename.
    `signature` and `keep` as for `check_file`."""
    check_file(target, signature, keep)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked(target):
            _clean_litter(target.parent, target.name)
            check_file(target, signature, keep)  # again: another run may have changed it
            _write_atomic(target, data)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc


def _write_atomic(target: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are published
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- one folder


def check_folder(target: Path, manifest: str, keep: tuple[Path, ...] = ()) -> None:
    """Refuse a folder target xpcli may not replace; touch nothing. `keep` lists folders that
    must survive (the catalog): the target may be neither one of them nor contain one."""
    real = _real(target)  # `-o ""` arrives as Path("."): the current folder, refused below
    here = Path.cwd().resolve()
    if here.is_relative_to(real):
        raise XpcliError("output-contains-cwd", path=target)
    for folder in keep:
        if _real(folder).is_relative_to(real):
            raise XpcliError("output-contains-catalog", path=target, catalog=folder)
    _check_kind(target, manifest)


def replace_folder(
    target: Path, files: Mapping[str, bytes], manifest: str, keep: tuple[Path, ...] = ()
) -> None:
    """Replace the folder `target` by exactly `files` ({relative posix path: bytes}, which
    must include `manifest`), building it beside the target and swapping it in."""
    if manifest not in files:
        raise ValueError(f"the files to write must include their manifest {manifest}")
    for rel in files:
        _check_relative(rel)
    check_folder(target, manifest, keep)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked(target):
            _clean_litter(target.parent, target.name)
            if _check_kind(target, manifest):
                _clean_litter(target, target.name)
            if target.is_dir() and os.path.ismount(target):
                _rewrite_in_place(target, files, manifest)
            else:
                _swap_in(target, files, manifest)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc


def _check_kind(target: Path, manifest: str) -> bool:
    """True when `target` exists (an empty folder or ours), False when missing; else refuse."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    if stat.S_ISLNK(mode):
        raise XpcliError("output-is-symlink", path=target)
    if not stat.S_ISDIR(mode):
        raise XpcliError("output-is-file", path=target)
    litter = litter_pattern(target.name)  # a run killed while rewriting in place leaves some
    try:
        with os.scandir(target) as entries:
            empty = all(litter.fullmatch(e.name) or e.name == _lock_name(target) for e in entries)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    if not empty and not is_ours(target, manifest):
        raise XpcliError("output-not-ours", path=target, manifest=manifest)
    return True


def is_ours(folder: Path, manifest: str) -> bool:
    """The folder holds our manifest: a regular file whose JSON `format` starts with xpcli-."""
    try:
        fd = os.open(folder / manifest, os.O_RDONLY | NOFOLLOW | NONBLOCK)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        raw = handle.read(MAX_MANIFEST_BYTES + 1)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False
    form = data.get("format") if isinstance(data, dict) else None
    return isinstance(form, str) and form.startswith(MANIFEST_FORMAT_PREFIX)


def _swap_in(target: Path, files: Mapping[str, bytes], manifest: str) -> None:
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        fresh.chmod(0o777 & ~_umask())  # mkdtemp makes it private; exports are published
        _fill(fresh, files, manifest)
        if not target.exists():
            os.replace(fresh, target)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        try:
            os.replace(target, old / target.name)
        except OSError as exc:
            old.rmdir()
            if exc.errno not in _UNRENAMABLE:
                raise
            _rewrite_in_place(target, files, manifest)  # a bind mount ismount() missed
            return
        try:
            os.replace(fresh, target)
        except OSError:
            os.replace(old / target.name, target)  # put the old folder back
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)


def _rewrite_in_place(target: Path, files: Mapping[str, bytes], manifest: str) -> None:
    """For a folder that cannot be renamed: build beside the old files inside it, then delete
    the old files and move the new ones up. Not atomic; the manifest goes last and comes last,
    so a run killed half-way leaves a folder that the next run still recognises or that holds
    only our litter."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target))
    try:
        staging.chmod(0o777 & ~_umask())
        _fill(staging, files, manifest)
        for entry in _manifest_last(os.listdir(target), manifest):
            if entry not in (staging.name, _lock_name(target)):
                _remove(target / entry)
        for entry in _manifest_last(os.listdir(staging), manifest):
            os.replace(staging / entry, target / entry)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _manifest_last(names: list[str], manifest: str) -> list[str]:
    return sorted(names, key=lambda name: name == manifest)


def _fill(folder: Path, files: Mapping[str, bytes], manifest: str) -> None:
    for sub in sorted({rel.rpartition("/")[0] for rel in files} - {""}):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    base = str(folder)
    for rel in _manifest_last(list(files), manifest):
        with open(f"{base}/{rel}", "xb") as handle:
            handle.write(files[rel])


def _check_relative(rel: str) -> None:
    """A path to write must stay inside the folder: plain names joined by '/'."""
    parts = rel.split("/")
    if not rel or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
        raise ValueError(f"not a plain relative path: {rel!r}")


# ---------------------------------------------------------------- lock and litter


@contextmanager
def locked(target: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `.NAME.lock` beside `target` (the folder must exist).

    The lock file is removed on release. A run that was waiting on the removed file notices
    that the path now names another file (or none) and locks again, so two runs never both
    hold it. Gives up with `output-busy` after `timeout` seconds (LOCK_TIMEOUT by default)."""
    if sys.platform == "win32":  # pragma: no cover - not serialised (see the module's doc)
        yield
        return
    lock = lock_path(target)
    deadline = time.monotonic() + (LOCK_TIMEOUT if timeout is None else timeout)
    while True:
        flags = os.O_RDWR | os.O_CREAT | NOFOLLOW | os.O_CLOEXEC
        fd = os.open(lock, flags, 0o666)
        if _acquire(fd, deadline):
            try:
                same = os.stat(lock, follow_symlinks=False)
            except FileNotFoundError:
                same = None
            mine = os.fstat(fd)
            if same is not None and (same.st_dev, same.st_ino) == (mine.st_dev, mine.st_ino):
                break
        else:
            os.close(fd)
            raise XpcliError("output-busy", path=target, lock=lock)
        os.close(fd)
    try:
        yield
    finally:
        with suppress(OSError):
            lock.unlink()
        os.close(fd)


def lock_path(target: Path) -> Path:
    """`.NAME.lock` beside the output; inside it when the output is a mount point, whose parent
    (often /mnt or /srv, owned by root) may not be writable by the user who writes the output."""
    if target.is_dir() and not target.is_symlink() and os.path.ismount(target):
        return target / _lock_name(target)
    return target.parent / _lock_name(target)


def _lock_name(target: Path) -> str:
    return f".{target.name}.lock"


def _acquire(fd: int, deadline: float) -> bool:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


@functools.lru_cache(maxsize=64)
def litter_pattern(name: str) -> re.Pattern[str]:
    """Names of our temporary files and folders for the output `name`."""
    quoted = re.escape(name)
    return re.compile(rf"\.{quoted}\.(?:(?:new|old)-{_TEMP}|{_TEMP}\.tmp)")


def _clean_litter(folder: Path, name: str) -> None:
    """Remove what killed runs left for the output `name` in `folder`. Call with the lock
    held: then no other run of ours is using these names."""
    pattern = litter_pattern(name)
    with os.scandir(folder) as entries:
        stale = [Path(e.path) for e in entries if pattern.fullmatch(e.name)]
    for path in stale:
        _remove(path)


def _remove(path: Path) -> None:
    """Delete a file or a whole folder; a symlink is removed itself, never followed."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- helpers


def _real(path: Path) -> Path:
    """The real path of `path` without following `path` itself (it may be a symlink)."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name if absolute.name else absolute.resolve()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, exc: OSError) -> XpcliError:
    return XpcliError("cannot-write", path=path, reason=exc.strerror or exc)
