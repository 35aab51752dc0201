"""Reading a catalog as it was at a git revision: `ls-tree` plus one `cat-file --batch`
process, never a checkout, so the working tree and the index are left alone.

The only module of xpcli that runs git. It never prints.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from xpcli.errors import Term, XpcliError


def _git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    return subprocess.run(
        ["git", "-C", str(repo), *args], input=data, capture_output=True, env=env, check=False
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
        raise XpcliError("diff-not-a-repo", path=catalog)
    top = Path(done.stdout.decode().strip())
    try:
        rel = absolute.resolve().relative_to(top.resolve()).as_posix()
    except ValueError as exc:
        raise XpcliError("diff-not-a-repo", path=catalog) from exc
    return top, "" if rel == "." else rel


def resolve_revision(top: Path, revision: str, side: str) -> str:
    if revision.startswith("-"):
        raise XpcliError("diff-bad-revision", side=Term(f"diff-side-{side}"), revision=revision)
    done = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}")
    if done.returncode != 0:
        raise XpcliError("diff-bad-revision", side=Term(f"diff-side-{side}"), revision=revision)
    return done.stdout.decode().strip()


def extract(top: Path, rel: str, commit: str, target: Path, side: str) -> int:
    """Write the catalog folder at `commit` into `target`; return the number of files."""
    spec = ["--", rel] if rel else []
    listed = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, *spec)
    if listed.returncode != 0:
        raise XpcliError("diff-bad-revision", side=Term(f"diff-side-{side}"), revision=commit)
    blobs: list[tuple[str, str]] = []
    for line in listed.stdout.split(b"\0"):
        if not line:
            continue
        meta, _, path = line.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind != "blob" or mode == "120000":  # submodules and symlinks are not catalog files
            continue
        name = path.decode("utf-8", "surrogateescape")
        inner = name[len(rel) + 1 :] if rel else name
        blobs.append((sha, inner))
    if not blobs:
        raise XpcliError(
            "diff-no-catalog-at",
            side=Term(f"diff-side-{side}"),
            revision=commit[:12],
            path=rel or ".",
        )
    batch = _git(top, "cat-file", "--batch", data="".join(f"{s}\n" for s, _ in blobs).encode())
    if batch.returncode != 0:
        raise XpcliError("diff-bad-revision", side=Term(f"diff-side-{side}"), revision=commit)
    stream, offset = batch.stdout, 0
    for _sha, inner in blobs:
        end = stream.index(b"\n", offset)
        size = int(stream[offset:end].split()[2])
        content = stream[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1  # the object, then a newline
        path = target / inner
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return len(blobs)
