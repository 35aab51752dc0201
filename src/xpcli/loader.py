"""Read a catalog folder into the model: find files, parse, check schemas, build records.

One pass per file. Problems are returned as diagnostics; a file with errors is left out of the
model and named in `Catalog.broken`, so that references to it do not cascade into noise.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from xpcli import schema, shares
from xpcli.diagnostics import Diagnostic, Location, problem
from xpcli.errors import XpcliError
from xpcli.model import (
    EMPTY_HEADER,
    Catalog,
    Department,
    Event,
    EventEntry,
    Header,
    Material,
    MaterialEntry,
    Matter,
    Question,
    Source,
    SpecialProcedure,
    Tree,
    Window,
)
from xpcli.yamlparse import (
    LazyPositions,
    Parsed,
    PositionMap,
    decode,
    explain_with_slips,
    find_slips,
    parse,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
# Sub-folders of matters/ and events/ deeper than this are reported, not walked: a crafted tree
# thousands of levels deep would otherwise exhaust the recursion or the path length.
MAX_FOLDER_DEPTH = 32
# Opening never follows a last symlink (already resolved and checked) and never blocks on a
# FIFO; Windows has neither flag.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
RECORD_FOLDERS = (("matters", "matter"), ("events", "event"))


@dataclass(frozen=True, slots=True)
class LoadResult:
    catalog: Catalog
    diagnostics: tuple[Diagnostic, ...]
    files: int


def read_document(path: Path, rel: str, kind: str, root: Path) -> Parsed:
    """Read, decode, parse and schema-check one file. Only a regular file whose real path is
    inside `root` (the catalog's real path) is opened."""
    return _read_raw(read_confined(path, rel, root), rel, kind)


def _read_raw(raw: bytes | Diagnostic, rel: str, kind: str) -> Parsed:
    if isinstance(raw, Diagnostic):
        return Parsed(None, {}, [raw])
    text, undecodable = decode(raw, rel)
    if text is None:
        assert undecodable is not None
        return Parsed(None, {}, [undecodable])
    parsed = parse(text, rel)
    # A fragment (the parse stopped) would only add noise: missing keys that are not missing.
    if parsed.complete and parsed.data is not None:
        found = schema.check(kind, parsed.data, rel, parsed.positions, parsed.flagged)
        if found:  # a typing slip (`name：`, `　　form:`) explains the errors on its line
            found = explain_with_slips(found, find_slips(text, rel))
        parsed.diagnostics.extend(found)
    return parsed


# Below this many files a second process costs more (fork, sending the parsed files back) than
# it saves; measured on 2 cores: 10,000 matters parse in about half the time.
PARALLEL_FILES = 2_000
# Files per share (xpcli.shares): small enough that neither process waits long for the other's
# last share, large enough that taking one costs nothing (200 matters parse in about 35 ms).
SHARE_FILES = 200

Files = list[tuple[Path, str, str]]  # (path, relative path, kind)


Record = Matter | Event
Loaded = tuple[Parsed, Record | None]  # a file's parse, and its record when it has no error


def read_records(files: Files, root: Path) -> list[Loaded]:
    """`read_document` over `files`, in order, with the record each valid file holds. On a
    large catalog with two usable cores, a forked process reads shares of them too
    (xpcli.shares): the same results, in the same order, as one process."""
    if len(files) < PARALLEL_FILES or shares.usable_cores() < 2:
        return [_with_record(read_document(*file, root), *file[1:]) for file in files]
    split = [files[i : i + SHARE_FILES] for i in range(0, len(files), SHARE_FILES)]
    # Both processes keep the same compact form, so a file's results do not depend on which
    # one read it, and this one holds no positions either (validating 10,000 matters, its peak
    # went from 246 to 183 MB). This one builds the records of its shares as it reads them:
    # building them all afterwards kept it 0.2 s longer busy than its worker.
    read = partial(_read_compact, root=root)
    made = shares.share_out(
        split,
        lambda share: _records(read(share), share),
        read,
        lambda share, sent: _records(sent, share),
    )
    return [loaded for share in made for loaded in share]


def _records(sent: list[_Sent], files: Files) -> list[Loaded]:
    return [
        _with_record(_expand(one, rel), rel, kind)
        for one, (_, rel, kind) in zip(sent, files, strict=True)
    ]


def _with_record(parsed: Parsed, rel: str, kind: str) -> Loaded:
    if _has_errors(parsed):
        return parsed, None
    build = _matter if kind == "matter" else _event
    return parsed, build(parsed.data, Source(rel, _read_only(parsed.positions)))


# A file read in the worker, as sent back: its data, its diagnostics and its bytes, from which
# its positions are found again when asked for (LazyPositions). Sending the positions themselves
# cost more than parsing (pickling and unpickling 5,000 matters' positions: 0.25 s + 0.28 s).
_Sent = tuple[Any, list[Diagnostic], bytes]


def _read_compact(files: Files, root: Path) -> list[_Sent]:
    sent: list[_Sent] = []
    for path, rel, kind in files:
        raw = read_confined(path, rel, root)
        parsed = _read_raw(raw, rel, kind)
        keep = raw if isinstance(raw, bytes) and parsed.data is not None else b""
        sent.append((parsed.data, parsed.diagnostics, keep))
    return sent


def _expand(sent: _Sent, rel: str) -> Parsed:
    data, diagnostics, raw = sent
    return Parsed(data, LazyPositions(raw, rel) if raw else {}, diagnostics)


def read_confined(path: Path, rel: str, root: Path) -> bytes | Diagnostic:
    """The bytes of `path`, or the problem that kept it closed: a symlink out of `root` (a real
    path), a dangling one, anything but a regular file (a FIFO would block, /dev/zero never
    ends), a file over MAX_FILE_BYTES. Checked before opening and again on the open file."""
    where = Location(rel)
    try:
        mode = os.lstat(path).st_mode  # one lstat for a plain file; a symlink costs a stat more
        real = path
        if stat.S_ISLNK(mode):
            followed = _follow(path, where, root)
            if isinstance(followed, Diagnostic):
                return followed
            real, mode = followed, os.stat(followed).st_mode
        if not stat.S_ISREG(mode):
            return problem("not-regular-file", where, kind=_shape(mode))
        fd = os.open(real, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):  # swapped since the stat
                return problem("not-regular-file", where, kind=_shape(opened.st_mode))
            if opened.st_size > MAX_FILE_BYTES:
                return problem("file-too-large", where, size=opened.st_size)
            # Ask for the size fstat gave, plus one byte to notice growth: asking for the whole
            # limit allocated 5 MiB per file (0.15 s of reading 10,000 matters).
            raw = handle.read(opened.st_size + 1)
            if len(raw) > opened.st_size:
                raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
    except OSError as exc:
        return problem("unreadable-file", where, reason=exc.strerror or str(exc))
    if len(raw) > MAX_FILE_BYTES:  # it grew since the fstat
        return problem("file-too-large", where, size=len(raw))
    return raw


def _follow(link: Path, where: Location, real_root: Path) -> Path | Diagnostic:
    """The real path a symlink leads to if it stays inside the catalog; else the problem."""
    target = os.readlink(link)
    try:
        real = link.resolve(strict=True)
    except (FileNotFoundError, RuntimeError):  # nothing there, or a loop of links
        return problem("broken-link", where, target=target)
    if not real.is_relative_to(real_root):
        return problem("outside-catalog", where, target=target)
    return real


def _shape(mode: int) -> str:
    """What a non-regular file is, as a KIND_NAMES key."""
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "file"


def discover(root: Path, folder: str) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """`folder/**/*.yaml` in a stable order (a folder's files, then its sub-folders, by name).

    Symbolic links to folders are not followed (`matters -> /` would walk the machine): each is
    reported, as are folders that cannot be listed, folders deeper than MAX_FOLDER_DEPTH and
    `*.yml` files (they would be skipped silently). Files are only listed here; `read_confined`
    decides what may be opened."""
    found: list[tuple[Path, str]] = []
    problems: list[Diagnostic] = []
    real_root = root.resolve()
    base = root / folder
    try:
        mode = os.lstat(base).st_mode
    except FileNotFoundError:
        return found, problems
    except OSError as exc:
        return found, [
            problem("unreadable-folder", Location(folder), reason=exc.strerror or str(exc))
        ]
    if stat.S_ISLNK(mode):
        return found, [_linked_folder(base, folder, real_root)]
    if not stat.S_ISDIR(mode):
        return found, [problem("not-a-folder", Location(folder), kind=_shape(mode))]
    stack = [(base, 0)]
    while stack:
        directory, depth = stack.pop()
        here = directory.relative_to(root).as_posix()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                problem("unreadable-folder", Location(here), reason=exc.strerror or str(exc))
            )
            continue
        subfolders = []
        for entry in entries:
            rel = f"{here}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if depth >= MAX_FOLDER_DEPTH:
                    problems.append(
                        problem("folder-too-deep", Location(rel), limit=MAX_FOLDER_DEPTH)
                    )
                else:
                    subfolders.append((Path(entry.path), depth + 1))
            elif entry.is_symlink() and _is_dir(entry.path):
                problems.append(_linked_folder(Path(entry.path), rel, real_root))
            elif entry.name.endswith(".yaml"):
                found.append((Path(entry.path), rel))
            elif entry.name.endswith(".yml"):
                problems.append(problem("wrong-extension", Location(rel)))
        stack.extend(reversed(subfolders))
    return found, problems


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _linked_folder(link: Path, rel: str, real_root: Path) -> Diagnostic:
    """A symlink where a folder is expected is never followed; say where it leads."""
    where = Location(rel)
    real = _follow(link, where, real_root)
    if isinstance(real, Diagnostic):
        return real
    if not real.is_dir():
        return problem("not-a-folder", where, kind=_shape(os.stat(real).st_mode))
    return problem("symlinked-folder", where, target=os.readlink(link))


def load_catalog(root: Path) -> LoadResult:
    if not root.is_dir():
        raise XpcliError("no-catalog", path=root)  # a usage problem, not a catalog error
    with _collector_paused():
        return _load(root)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading builds millions of small dicts, lists and records and no reference cycle: the
    cyclic garbage collector only walked them again and again (15% of parsing 10,000 matters,
    more of building their records). It runs again once the catalog is read."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was read goes straight to the oldest generation (freeze then unfreeze moves
        # lists, it walks no object): else the next collections walked all of it three times
        # over (0.15 s of the rules that run next on 10,000 matters).
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _load(root: Path) -> LoadResult:
    real_root = root.resolve()
    diagnostics: list[Diagnostic] = []
    broken: set[str] = set()

    def document(name: str, kind: str) -> Parsed | None:
        path = root / name
        if not os.path.lexists(path):
            diagnostics.append(problem("missing-file", Location(name), file=name))
            broken.add(kind if kind != "catalog" else "catalog.yaml")
            return None
        parsed = read_document(path, name, kind, real_root)
        diagnostics.extend(parsed.diagnostics)
        if _has_errors(parsed):
            broken.add(kind if kind != "catalog" else "catalog.yaml")
            return None
        return parsed

    header_doc = document("catalog.yaml", "catalog")
    departments_doc = document("departments.yaml", "departments")
    materials_doc = document("materials.yaml", "materials")
    windows = _windows(root, diagnostics, broken)
    header, trees = _header(header_doc) if header_doc else (EMPTY_HEADER, ())
    departments = _listed(departments_doc, "departments", "department", _department, diagnostics)
    materials = _listed(materials_doc, "materials", "material", _material, diagnostics)

    records: dict[str, dict[str, Any]] = {"matter": {}, "event": {}}
    found = [(kind, *discover(root, folder)) for folder, kind in RECORD_FOLDERS]
    every = [(path, rel, kind) for kind, files, _ in found for path, rel in files]
    loaded = iter(read_records(every, real_root))  # one split over both folders
    file_count = 3 + len(every)
    for kind, files, stray in found:
        diagnostics.extend(stray)
        seen: dict[str, str] = {}
        for (path, rel), (parsed, record) in zip(files, loaded, strict=False):
            diagnostics.extend(parsed.diagnostics)
            stem = path.name[: -len(".yaml")]
            if record is None:
                broken.add(f"{kind}:{stem}")
                continue
            if record.id != stem:
                diagnostics.append(
                    problem("id-mismatch", record.source.at("id"), id=record.id, stem=stem)
                )
            if record.id in seen:
                diagnostics.append(
                    problem(
                        "duplicate-id",
                        record.source.at("id"),
                        kind=kind,
                        id=record.id,
                        first=seen[record.id],
                    )
                )
                continue
            seen[record.id] = rel
            records[kind][record.id] = record

    catalog = Catalog(
        root=str(root),
        header=header,
        trees=trees,
        departments=MappingProxyType(departments),
        materials=MappingProxyType(materials),
        matters=MappingProxyType(records["matter"]),
        events=MappingProxyType(records["event"]),
        broken=frozenset(broken),
        windows=MappingProxyType(windows),
    )
    return LoadResult(catalog, tuple(diagnostics), file_count + (root / "windows.yaml").is_file())


def _read_only(positions: PositionMap) -> PositionMap:
    return positions if isinstance(positions, LazyPositions) else MappingProxyType(positions)


def _has_errors(parsed: Parsed) -> bool:
    return any(d.severity == "error" for d in parsed.diagnostics)


def _header(parsed: Parsed) -> tuple[Header, tuple[Tree, ...]]:
    data = parsed.data
    source = Source("catalog.yaml", MappingProxyType(parsed.positions))
    meta, online, center = data["catalog"], data["online"], data["service_center"]
    header = Header(
        id=meta["id"],
        title=meta["title"],
        region=meta["region"],
        region_code=meta["region_code"],
        publisher=meta["publisher"],
        edition=meta["edition"],
        hotline=meta.get("hotline"),
        matter_url=online["matter_url"],
        event_url=online["event_url"],
        center_name=center["name"],
        center_address=center["address"],
        center_hours=center["hours"],
        center_phone=center.get("phone"),
        source=source,
        site_base=online.get("site_base"),
    )
    trees = tuple(
        Tree(t["id"], t["title"], tuple(t["events"]), source.child("trees", i))
        for i, t in enumerate(data["trees"])
    )
    return header, trees


def _listed(
    parsed: Parsed | None, key: str, kind: str, build: Any, diagnostics: list[Diagnostic]
) -> dict[str, Any]:
    """The records of departments.yaml or materials.yaml by id; the first of a duplicate id
    wins and each later one is reported."""
    if parsed is None:
        return {}
    source = Source(f"{key}.yaml", MappingProxyType(parsed.positions))
    records: dict[str, Any] = {}
    for i, item in enumerate(parsed.data[key]):
        record = records.get(item["id"])
        if record is not None:
            first = f"{source.file}:{record.source.at('id').line}"
            diagnostics.append(
                problem(
                    "duplicate-id", source.at(key, i, "id"), kind=kind, id=item["id"], first=first
                )
            )
        else:
            records[item["id"]] = build(item, source.child(key, i))
    return records


def _windows(root: Path, diagnostics: list[Diagnostic], broken: set[str]) -> dict[str, Window]:
    """windows.yaml is optional: a catalog without it names no windows."""
    path = root / "windows.yaml"
    if not os.path.lexists(path):  # a folder or a FIFO by that name is reported, not skipped
        return {}
    parsed = read_document(path, "windows.yaml", "windows", root.resolve())
    diagnostics.extend(parsed.diagnostics)
    if _has_errors(parsed):
        broken.add("windows")
        return {}
    return _listed(parsed, "windows", "window", _window, diagnostics)


def _window(d: dict[str, Any], source: Source) -> Window:
    return Window(d["id"], d["name"], d.get("address"), d.get("hours"), d.get("phone"), source)


def _department(d: dict[str, Any], source: Source) -> Department:
    return Department(d["id"], d["name"], d.get("short_name"), d.get("phone"), source)


def _material(d: dict[str, Any], source: Source) -> Material:
    return Material(
        d["id"], d["name"], d["kind"], d.get("issuer"), d.get("e_license", False), source
    )


def _matter(d: dict[str, Any], source: Source) -> Matter:
    entries = tuple(
        MaterialEntry(
            material=e["material"],
            form=e["form"],
            copies=e.get("copies", 1),
            required=e.get("required", True),
            tolerance=e.get("tolerance", False),
            condition=e.get("condition"),
            note=e.get("note"),
            commitment=e.get("commitment", False),
            source=source.child("materials", i),
        )
        for i, e in enumerate(d.get("materials", ()))  # a draft may have none yet
    )
    return Matter(
        id=d["id"],
        name=d["name"],
        code=d.get("code"),
        local_code=d.get("local_code"),
        url=d.get("url"),
        type=d.get("type"),
        department=d["department"],
        legal_basis=tuple(d.get("legal_basis", ())),
        conditions=tuple(d.get("conditions", ())),
        materials=entries,
        outputs=tuple(d.get("outputs", ())),
        steps=tuple(d.get("steps", ())),
        legal_days=d.get("legal_days"),
        promised_days=d.get("promised_days"),
        visits=d.get("visits"),
        online=d.get("online"),
        fee=d.get("fee", "不收费"),
        location=d.get("location"),
        phone=d.get("phone"),
        window=d.get("window"),
        special_procedures=tuple(
            SpecialProcedure(p["name"], p.get("days")) for p in d.get("special_procedures", ())
        ),
        faq=tuple(Question(q["question"], q["answer"]) for q in d.get("faq", ())),
        result=d.get("result"),
        former_ids=tuple(d.get("former_ids", ())),
        status=d.get("status", "active"),
        source=source,
        replaced_by=d.get("replaced_by"),
    )


def _event(d: dict[str, Any], source: Source) -> Event:
    entries = tuple(
        EventEntry(
            matter=e["matter"],
            after=tuple(e.get("after", ())),
            condition=e.get("condition"),
            source=source.child("matters", i),
        )
        for i, e in enumerate(d["matters"])
    )
    return Event(
        id=d["id"],
        name=d["name"],
        tree=d["tree"],
        summary=d["summary"],
        lead_department=d["lead_department"],
        matters=entries,
        combined_form=d.get("combined_form"),
        promised_days=d.get("promised_days"),
        visits=d.get("visits"),
        window=d.get("window"),
        former_ids=tuple(d.get("former_ids", ())),
        status=d.get("status", "active"),
        source=source,
        replaced_by=d.get("replaced_by"),
    )
