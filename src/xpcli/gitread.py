"""Reading a catalog as it was at a git revision: `ls-tree` plus one `cat-file --batch`
process, never a checkout, so the working tree and the index are left alone.

The only module of xpcli that runs git. It never prints.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from xpcli.errors import Term, XpcliError


def _git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(repo), *args], input=data, capture_output=True, env=_env(), check=False
    )


def locate(catalog: Path) -> tuple[Path, str]:
    """The repository's top folder and the catalog's path inside it (posix, "" for the top)."""
    absolute = Path(os.path.abspath(catalog))
    existing = absolute
    while not existing.is_dir() and existing != existing.parent:
        existing = existing.parent
    try:
        done = _git(existing, "rev-parse", "--show-toplevel")
    except FileNotFoundError as exc:
        raise XpcliError("diff-no-git") from exc
    if done.returncode != 0:
        _refused_ownership(done, existing)
        raise XpcliError("diff-not-a-repo", path=catalog)
    top = Path(done.stdout.decode().strip())
    try:
        rel = absolute.resolve().relative_to(top.resolve()).as_posix()
    except ValueError as exc:
        raise XpcliError("diff-not-a-repo", path=catalog) from exc
    return top, "" if rel == "." else rel


def _refused_ownership(done: subprocess.CompletedProcess, folder: Path) -> None:
    """git (2.35.2 and later) refuses a repository owned by another user: say so, with its
    own remedy, rather than "not inside a git repository"."""
    said = done.stderr.decode("utf-8", "replace")
    if "dubious ownership" in said:
        named = re.search(r"repository at '([^']*)'", said)
        raise XpcliError("diff-dubious-ownership", path=named.group(1) if named else folder)


def resolve_revision(top: Path, revision: str, side: str) -> str:
    if revision.startswith("-"):
        raise XpcliError("diff-bad-revision", side=Term(f"diff-side-{side}"), revision=revision)
    done = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}")
    if done.returncode != 0:
        raise XpcliError("diff-bad-revision", side=Term(f"diff-side-{side}"), revision=revision)
    return done.stdout.decode().strip()


def extract(top: Path, rel: str, commit: str, target: Path, side: str) -> int:
    """Write the catalog folder at `commit` into the new folder `target`; return the number
    of files.

    A crafted commit can name anything in its tree (`..`, empty names: git itself accepts
    them), so every path is checked to be plain names under the catalog before it is written,
    and written only into folders made here (no symlink is ever created, none is followed).
    Sizes come first from `cat-file --batch-check`: a file over the catalog limit, or a catalog
    over MAX_TOTAL_BYTES, is reported without reading a byte of it. Each blob is then streamed
    to its file. The blobs go to disk rather than into memory so that the catalog at a revision
    is read by the one loader (discovery, confinement, limits) the working tree uses."""
    revision = commit[:12]
    blobs = _list_blobs(top, rel, commit, side)
    if not blobs:
        raise XpcliError("diff-no-catalog-at", side=_side(side), revision=revision, path=rel or ".")
    _check_sizes(top, blobs, side, revision)
    try:
        _write_blobs(top, blobs, target, side, revision)
    except OSError as exc:  # a crafted tree: one name twice, or a file where a folder is
        raise XpcliError(
            "diff-cannot-extract",
            side=_side(side),
            revision=revision,
            path=exc.filename,
            reason=exc.strerror or exc,
        ) from exc
    return len(blobs)


def _write_blobs(
    top: Path, blobs: list[tuple[str, str]], target: Path, side: str, revision: str
) -> None:
    target.mkdir()
    for _sha, inner in blobs:
        folder = target.joinpath(*inner.split("/")[:-1])
        folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as wanted:
        wanted.write("".join(f"{sha}\n" for sha, _ in blobs).encode())
        wanted.seek(0)
        command = ["git", "-C", str(top), "cat-file", "--batch"]
        with subprocess.Popen(
            command, stdin=wanted, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env()
        ) as batch:
            assert batch.stdout is not None
            try:
                for sha, inner in blobs:
                    _copy_blob(batch.stdout, sha, target / inner, side, revision, inner)
            finally:
                batch.stdout.close()
                batch.kill()


# A catalog of 10,000 matters is about 30 MB; a revision holding more than this is not read.
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_FILES = 100_000
_CHUNK = 1024 * 1024


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def _side(side: str) -> Term:
    return Term(f"diff-side-{side}")


def _list_blobs(top: Path, rel: str, commit: str, side: str) -> list[tuple[str, str]]:
    """(sha, path inside the catalog) of every regular file of the catalog at `commit`."""
    spec = ["--", rel] if rel else []
    listed = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, *spec)
    if listed.returncode != 0:
        raise _git_failed("ls-tree", listed)
    prefix = f"{rel}/" if rel else ""
    blobs: list[tuple[str, str]] = []
    for line in listed.stdout.split(b"\0"):
        if not line:
            continue
        meta, _, raw_path = line.partition(b"\t")
        fields = meta.decode("ascii", "replace").split()
        name = raw_path.decode("utf-8", "surrogateescape")
        if len(fields) != 3:
            raise XpcliError(
                "diff-git-failed", command="ls-tree", problem=line[:200].decode("utf-8", "replace")
            )
        mode, kind, sha = fields
        if kind != "blob" or mode not in ("100644", "100755"):
            continue  # submodules and symlinks are not catalog files
        if not name.startswith(prefix):
            continue  # the catalog path itself is a file at this revision: no catalog there
        if not _plain(name[len(prefix) :]):
            raise XpcliError(
                "diff-unsafe-path", side=_side(side), revision=commit[:12], path=repr(name)
            )
        blobs.append((sha, name[len(prefix) :]))
    if len(blobs) > MAX_FILES:
        raise XpcliError(
            "diff-too-large",
            side=_side(side),
            revision=commit[:12],
            count=len(blobs),
            size="?",
            limit=f"{MAX_FILES} files",
        )
    return blobs


def _plain(path: str) -> bool:
    """Plain names joined by "/": no "", ".", ".." component, no backslash or NUL, not
    absolute. Anything else could write outside the temporary folder."""
    return all(
        part not in ("", ".", "..") and "\\" not in part and "\0" not in part
        for part in path.split("/")
    )


def _check_sizes(top: Path, blobs: list[tuple[str, str]], side: str, revision: str) -> None:
    """Every object exists, is a blob, and is within the limits: asked before reading any."""
    from xpcli.loader import MAX_FILE_BYTES

    query = "".join(f"{sha}\n" for sha, _ in blobs).encode()
    checked = _git(top, "cat-file", "--batch-check", data=query)
    if checked.returncode != 0:
        raise _git_failed("cat-file --batch-check", checked)
    answers = checked.stdout.decode("ascii", "replace").splitlines()
    if len(answers) != len(blobs):
        raise XpcliError(
            "diff-git-failed",
            command="cat-file --batch-check",
            problem=f"{len(answers)} answers for {len(blobs)} objects",
        )
    total = 0
    for (sha, inner), answer in zip(blobs, answers, strict=True):
        parts = answer.split()
        if len(parts) != 3 or parts[1] != "blob" or not parts[2].isdigit():
            raise XpcliError(
                "diff-missing-object", side=_side(side), revision=revision, sha=sha, path=inner
            )
        size = int(parts[2])
        if size > MAX_FILE_BYTES:
            raise XpcliError(
                "diff-file-too-large", side=_side(side), revision=revision, path=inner, size=size
            )
        total += size
    if total > MAX_TOTAL_BYTES:
        raise XpcliError(
            "diff-too-large",
            side=_side(side),
            revision=revision,
            count=len(blobs),
            size=total,
            limit=f"{MAX_TOTAL_BYTES} bytes",
        )


def _copy_blob(
    stream: IO[bytes], sha: str, path: Path, side: str, revision: str, inner: str
) -> None:
    """Copy one object of `cat-file --batch` into a new file (never an existing one, never
    through a symlink): the header line, exactly `size` bytes, then a newline."""
    header = stream.readline(200).split()
    if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
        raise XpcliError(
            "diff-missing-object", side=_side(side), revision=revision, sha=sha, path=inner
        )
    left = int(header[2])
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o644), "wb") as out:
        while left:
            chunk = stream.read(min(left, _CHUNK))
            if not chunk:
                raise XpcliError(
                    "diff-git-failed",
                    command="cat-file --batch",
                    problem=f"{inner}: the object ended early",
                )
            out.write(chunk)
            left -= len(chunk)
    stream.read(1)  # the newline after each object


def _git_failed(command: str, done: subprocess.CompletedProcess) -> XpcliError:
    problem = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return XpcliError("diff-git-failed", command=command, problem=" ".join(problem)[:500])
