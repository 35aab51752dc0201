"""The JSON export for the online channels ("同源发布、同步更新").

`export_files` turns a valid catalog into {relative path: bytes}, deterministically;
`write_export` swaps a complete new folder into place (through xpcli.outputs);
`compare_export` lists what differs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import orjson

from xpcli import shares
from xpcli.errors import XpcliError
from xpcli.export_schema import SCHEMAS, export_schema
from xpcli.model import Catalog, Event, Matter
from xpcli.outputs import NOFOLLOW, NONBLOCK, replace_folder
from xpcli.records import event_record, matter_record, window_record

FORMAT = "xpcli-export/1"
MANIFEST = "manifest.json"  # how xpcli.outputs recognises an export folder it may replace


def dump(data: Any) -> bytes:
    """Fixed key order (insertion), UTF-8 without ASCII escapes, two-space indent, one trailing
    newline: the bytes of `json.dumps(data, ensure_ascii=False, indent=2)`, but orjson writes
    them ~10x faster (the standard library falls back to pure Python when indenting)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


# Below this many records one process is quicker than forking a second one.
PARALLEL_RECORDS = 2_000
# Events per share (xpcli.shares): 50 events' records take about 20 ms.
SHARE_EVENTS = 50


def export_files(catalog: Catalog) -> dict[str, bytes]:
    """Every file of the export. Drafts are never published; retired records are, with their
    status, so that a QR code already printed lands on "no longer handled"."""
    events = [e for e in _ordered_events(catalog) if _published(e)]
    if len(catalog.matters) + len(catalog.events) < PARALLEL_RECORDS or shares.usable_cores() < 2:
        return _files(catalog, _event_files(catalog, events), _matter_files(catalog))
    # The events' records (their simplification: 0.6 s of 1.2 s for 10,000 matters) are made in
    # shares by both processes, this one once it has made the matters'. A forked process sends
    # back only the files' bytes (pickling its records took longer than making them); their
    # records are read back from those bytes, the same data, so the same files. With both cores
    # free the export of 10,000 matters took 3.6 s against 4.5 s (medians of 7), for about
    # 100 MB more (summed PSS 420 MB); with a core held by another program it lost 0.5 s.
    split = [events[i : i + SHARE_EVENTS] for i in range(0, len(events), SHARE_EVENTS)]
    matters: list[Records] = []
    made = shares.share_out(
        split,
        lambda share: _event_files(catalog, share),
        lambda share: _event_files(catalog, share)[1],
        lambda share, files: _read_back(files),
        first=lambda: matters.append(_matter_files(catalog)),
    )
    records = [record for share, _ in made for record in share]
    return _files(catalog, (records, {k: v for _, f in made for k, v in f.items()}), matters[0])


Records = tuple[list[dict[str, Any]], dict[str, bytes]]  # the records, and their own files


def _event_files(catalog: Catalog, events: list[Event]) -> Records:
    records = [event_record(catalog, e) for e in events]
    return records, {f"events/{e['id']}.json": dump(e) for e in records}


def _read_back(files: dict[str, bytes]) -> Records:
    return [orjson.loads(data) for data in files.values()], files


def _matter_files(catalog: Catalog) -> Records:
    published = sorted(filter(_published, catalog.matters.values()), key=lambda m: m.id)
    matters = [matter_record(catalog, m) for m in published]
    return matters, {f"matters/{m['id']}.json": dump(m) for m in matters}


def _files(catalog: Catalog, event_files: Records, matter_files: Records) -> dict[str, bytes]:
    header = catalog.header
    events, matters = event_files[0], matter_files[0]
    by_id = {e["id"]: e for e in events}
    trees = [
        {
            "id": t.id,
            "title": t.title,
            "events": [_tree_event(by_id[e]) for e in t.events if e in by_id],
        }
        for t in catalog.trees
    ]
    departments = [
        {"id": d.id, "name": d.name, "short_name": d.short_name, "phone": d.phone}
        for d in catalog.departments.values()
    ]
    materials = [
        {"id": m.id, "name": m.name, "kind": m.kind, "issuer": m.issuer, "e_license": m.e_license}
        for m in catalog.materials.values()
    ]
    redirects = {
        "matters": _redirects(filter(_published, catalog.matters.values()), catalog.matter_url),
        "events": _redirects(filter(_published, catalog.events.values()), catalog.event_url),
    }
    whole = {
        "format": FORMAT,
        "catalog": {
            "id": header.id,
            "title": header.title,
            "region": header.region,
            "region_code": header.region_code,
            "publisher": header.publisher,
            "edition": header.edition,
            "hotline": header.hotline,
        },
        "online": {"matter_url": header.matter_url, "event_url": header.event_url},
        "service_center": {
            "name": header.center_name,
            "address": header.center_address,
            "hours": header.center_hours,
            "phone": header.center_phone,
        },
        "trees": trees,
        "events": events,
        "matters": matters,
        "materials": materials,
        "departments": departments,
        "windows": [window_record(w) for w in catalog.windows.values()],
    }
    files: dict[str, bytes] = {
        "catalog.json": dump(whole),
        "trees.json": dump(trees),
        "departments.json": dump(departments),
        "materials.json": dump(materials),
        "redirects.json": dump(redirects),
    }
    files.update(event_files[1])
    files.update(matter_files[1])
    files.update({f"schema/{kind}.json": dump(export_schema(kind)) for kind in SCHEMAS})
    manifest = {
        "format": FORMAT,
        "catalog": header.id,
        "edition": header.edition,
        "counts": {
            "events": len(events),
            "matters": len(matters),
            "materials": len(materials),
            "departments": len(departments),
            "trees": len(trees),
            "redirects": len(redirects["matters"]) + len(redirects["events"]),
        },
        "files": {path: hashlib.sha256(files[path]).hexdigest() for path in sorted(files)},
    }
    files[MANIFEST] = dump(manifest)
    return files


def _published(record: Event | Matter) -> bool:
    return record.status != "draft"


def _tree_event(event: dict[str, Any]) -> dict[str, Any]:
    """An event as a tree lists it: enough to draw the tree with its figures."""
    figures = event["simplification"]
    return {
        "id": event["id"],
        "name": event["name"],
        "status": event["status"],
        "url": event["url"],
        **{k: figures[k] for k in ("before", "after", "reduction")},
    }


def _ordered_events(catalog: Catalog) -> list:
    printed = catalog.events_in_print_order()
    seen = {e.id for e in printed}
    rest = sorted((e for e in catalog.events.values() if e.id not in seen), key=lambda e: e.id)
    return printed + rest


def _redirects(records: Any, url: Any) -> dict[str, str]:
    return {
        former: url(r.id) for r in sorted(records, key=lambda r: r.id) for former in r.former_ids
    }


def write_export(files: dict[str, bytes], target: Path, catalog: Path | None = None) -> None:
    """Replace the folder `target` by the export (only an empty folder or an earlier export:
    see xpcli.outputs); `catalog` is never inside what is replaced."""
    replace_folder(target, files, MANIFEST, keep=(catalog,) if catalog is not None else ())


def compare_export(files: dict[str, bytes], target: Path) -> list[tuple[str, str]]:
    """(change, path) for every file that differs: added, removed or changed. Only regular
    files are read (a symlink or a FIFO in the folder is a difference, never opened)."""
    present = _present(target)
    changes = []
    for rel in sorted(set(files) | set(present)):
        if rel not in present:
            changes.append(("missing", rel))
        elif rel not in files:
            changes.append(("extra", rel))
        elif not present[rel] or _read(target / rel, len(files[rel]) + 1) != files[rel]:
            changes.append(("changed", rel))
    return changes


def _present(target: Path) -> dict[str, bool]:
    """{relative path: is a regular file} of everything in the folder, symlinks not followed."""
    found: dict[str, bool] = {}

    def fail(exc: OSError) -> None:
        raise XpcliError("cannot-read", path=exc.filename, reason=exc.strerror or exc)

    if not target.is_dir():
        return found
    for directory, subdirs, names in os.walk(target, onerror=fail):
        base = Path(directory)
        for name in names + [d for d in subdirs if (base / d).is_symlink()]:
            rel = (base / name).relative_to(target).as_posix()
            found[rel] = (base / name).is_file() and not (base / name).is_symlink()
    return found


def _read(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file (O_NOFOLLOW, O_NONBLOCK: never a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            return handle.read(limit)
    except OSError as exc:
        raise XpcliError("cannot-read", path=path, reason=exc.strerror or exc) from exc
