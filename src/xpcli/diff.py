"""What a change does to the catalog: records added, removed, renamed and changed, each event's
figures before → after, and the breaking changes that would strand printed QR codes.

Both sides are read straight from git (`ls-tree` + one `cat-file --batch` process), never by a
checkout; the head side may be the working tree. Pure apart from running git: never prints.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from xpcli.errors import EXIT_USAGE, InvalidCatalog, Term, XpcliError
from xpcli.model import Catalog
from xpcli.simplify import FIGURES, simplify
from xpcli.validate import validate

KINDS = ("departments", "materials", "matters", "events")
# Kinds whose ids are printed into QR codes and may carry former_ids.
STABLE_KINDS = ("matters", "events")
SINGULAR = {
    "departments": "department",
    "materials": "material",
    "matters": "matter",
    "events": "event",
}
URL_FIELDS = ("online.matter_url", "online.event_url")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One record's fate. `change` is added, removed, renamed or changed; `old_id` is set for
    renamed records; `kept_former_id` tells whether the new record lists the old id."""

    kind: str
    id: str
    name: str
    change: str
    fields: tuple[FieldChange, ...] = ()
    old_id: str | None = None
    kept_former_id: bool = True


@dataclass(frozen=True, slots=True)
class Breaking:
    code: str  # removed-id | renamed-without-former-id | url-template-changed
    kind: str
    id: str
    new_id: str | None = None
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True, slots=True)
class FigureChange:
    """An event's figures (before simplification, after simplification) on each side;
    None for the side where the event does not exist."""

    event: str
    name: str
    old: tuple[dict[str, int], dict[str, int]] | None
    new: tuple[dict[str, int], dict[str, int]] | None

    def changed(self) -> list[tuple[str, str, int | None, int | None]]:
        """(stage, figure, old, new) for every figure that differs; stage is before/after."""
        rows = []
        for stage, index in (("after", 1), ("before", 0)):
            for figure in FIGURES:
                old = self.old[index][figure] if self.old else None
                new = self.new[index][figure] if self.new else None
                if old != new:
                    rows.append((stage, figure, old, new))
        return rows


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    base: str
    head: str | None  # None: the working tree
    catalog: str
    header: tuple[FieldChange, ...]
    records: tuple[RecordChange, ...]
    figures: tuple[FigureChange, ...]
    breaking: tuple[Breaking, ...]

    @property
    def empty(self) -> bool:
        return not (self.header or self.records or self.figures)

    def of_kind(self, kind: str) -> tuple[RecordChange, ...]:
        return tuple(r for r in self.records if r.kind == kind)

    def as_json(self) -> dict[str, Any]:
        kinds: dict[str, Any] = {}
        for kind in KINDS:
            groups: dict[str, list] = {"added": [], "removed": [], "renamed": [], "changed": []}
            for r in self.of_kind(SINGULAR[kind]):
                item: dict[str, Any] = {"id": r.id, "name": r.name}
                if r.change == "renamed":
                    item["old_id"] = r.old_id
                    item["kept_former_id"] = r.kept_former_id
                if r.change in ("renamed", "changed"):
                    item["fields"] = [_field_json(f) for f in r.fields]
                groups[r.change].append(item)
            kinds[kind] = groups
        return {
            "base": self.base,
            "head": self.head,
            "catalog": self.catalog,
            "breaking": [
                {
                    "code": b.code,
                    "kind": b.kind,
                    "id": b.id,
                    "new_id": b.new_id,
                    "old": b.old,
                    "new": b.new,
                }
                for b in self.breaking
            ],
            "catalog_fields": [_field_json(f) for f in self.header],
            **kinds,
            "figures": [
                {
                    "event": f.event,
                    "name": f.name,
                    "old": _figures_json(f.old),
                    "new": _figures_json(f.new),
                }
                for f in self.figures
            ],
        }


def _field_json(f: FieldChange) -> dict[str, Any]:
    return {"field": f.field, "old": f.old, "new": f.new}


def _figures_json(pair: tuple[dict[str, int], dict[str, int]] | None) -> dict | None:
    return None if pair is None else {"before": pair[0], "after": pair[1]}


# --- reading a catalog from git -------------------------------------------------------------


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


# --- comparing two catalogs -----------------------------------------------------------------


def compare(
    old: Catalog, new: Catalog, base: str = "", head: str | None = None, catalog: str = ""
) -> CatalogDiff:
    """The differences between two valid catalogs."""
    header = tuple(_diff_values("", _header_value(old), _header_value(new)))
    records: list[RecordChange] = []
    breaking: list[Breaking] = []
    for f in header:
        if f.field in URL_FIELDS:
            kind = f.field.split(".")[1].split("_")[0]
            breaking.append(Breaking("url-template-changed", kind, f.field, old=f.old, new=f.new))
    renamed_to: dict[str, dict[str, str]] = {}
    for kind in KINDS:
        olds: dict[str, Any] = dict(getattr(old, kind))
        news: dict[str, Any] = dict(getattr(new, kind))
        pairs = _renames(kind, olds, news)
        renamed_to[kind] = {o: n for o, (n, _) in pairs.items()}
        for old_id, (new_id, kept) in pairs.items():
            record = news[new_id]
            changes = _diff_record(olds[old_id], record)
            records.append(
                RecordChange(
                    SINGULAR[kind], new_id, record.name, "renamed", tuple(changes), old_id, kept
                )
            )
            if kind in STABLE_KINDS and not kept:
                breaking.append(
                    Breaking("renamed-without-former-id", SINGULAR[kind], old_id, new_id=new_id)
                )
        paired_new = {n for n, _ in pairs.values()}
        for record_id in sorted(olds.keys() - news.keys() - pairs.keys()):
            records.append(RecordChange(SINGULAR[kind], record_id, olds[record_id].name, "removed"))
        for record_id in sorted(news.keys() - olds.keys() - paired_new):
            records.append(RecordChange(SINGULAR[kind], record_id, news[record_id].name, "added"))
        for record_id in sorted(olds.keys() & news.keys()):
            changes = _diff_record(olds[record_id], news[record_id])
            if changes:
                records.append(
                    RecordChange(
                        SINGULAR[kind], record_id, news[record_id].name, "changed", tuple(changes)
                    )
                )
        if kind in STABLE_KINDS:
            breaking.extend(_lost_ids(kind, olds, news, pairs))
    return CatalogDiff(
        base=base,
        head=head,
        catalog=catalog,
        header=header,
        records=tuple(records),
        figures=tuple(_figures(old, new, renamed_to["events"])),
        breaking=tuple(breaking),
    )


def _lost_ids(kind: str, olds: dict, news: dict, pairs: dict) -> list[Breaking]:
    """Every id a printed QR code may carry (current and former) must still resolve."""
    known = set(news) | {f for r in news.values() for f in r.former_ids}
    found = []
    for record_id in sorted(olds):
        if record_id in pairs:
            continue  # reported as a rename
        if record_id not in known:
            found.append(Breaking("removed-id", SINGULAR[kind], record_id))
    for record_id in sorted(olds):
        for former in olds[record_id].former_ids:
            if former not in known and former not in olds:
                found.append(Breaking("removed-id", SINGULAR[kind], former))
    return found


def _renames(kind: str, olds: dict, news: dict) -> dict[str, tuple[str, bool]]:
    """old id → (new id, whether the new record lists the old id in former_ids).

    A rename is declared by former_ids; an undeclared one is recognised by an unchanged name
    (one old and one new record with that name)."""
    gone = sorted(olds.keys() - news.keys())
    fresh = sorted(news.keys() - olds.keys())
    pairs: dict[str, tuple[str, bool]] = {}
    for new_id in fresh:
        for former in getattr(news[new_id], "former_ids", ()):
            if former in gone and former not in pairs:
                pairs[former] = (new_id, True)
    taken = {n for n, _ in pairs.values()}
    by_name_old: dict[str, list[str]] = {}
    by_name_new: dict[str, list[str]] = {}
    for i in gone:
        if i not in pairs:
            by_name_old.setdefault(olds[i].name, []).append(i)
    for i in fresh:
        if i not in taken:
            by_name_new.setdefault(news[i].name, []).append(i)
    for name, old_ids in by_name_old.items():
        new_ids = by_name_new.get(name, [])
        if len(old_ids) == 1 and len(new_ids) == 1:
            pairs[old_ids[0]] = (new_ids[0], False)
    return pairs


def _header_value(catalog: Catalog) -> dict[str, Any]:
    h = catalog.header
    return {
        "catalog": {
            "id": h.id,
            "title": h.title,
            "region": h.region,
            "region_code": h.region_code,
            "publisher": h.publisher,
            "edition": h.edition,
            "hotline": h.hotline,
        },
        "online": {"matter_url": h.matter_url, "event_url": h.event_url},
        "service_center": {
            "name": h.center_name,
            "address": h.center_address,
            "hours": h.center_hours,
            "phone": h.center_phone,
        },
        "trees": {t.id: {"title": t.title, "events": list(t.events)} for t in catalog.trees},
    }


def _plain(value: Any) -> Any:
    """A record's value as JSON data; entry lists become mappings keyed by what they name."""
    if hasattr(value, "__dataclass_fields__"):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if f.name not in ("source", "material", "matter")
        }
    if isinstance(value, tuple):
        if value and hasattr(value[0], "material"):
            return {_entry_key(e.material, e.condition): _plain(e) for e in value}
        if value and hasattr(value[0], "matter"):
            return {e.matter: _plain(e) for e in value}
        return [_plain(v) for v in value]
    return value


def _entry_key(material: str, condition: str | None) -> str:
    return material if condition is None else f"{material}（{condition}）"


def _diff_record(old: Any, new: Any) -> list[FieldChange]:
    a, b = _plain(old), _plain(new)
    a.pop("id", None)
    b.pop("id", None)
    return _diff_values("", a, b)


def _diff_values(prefix: str, old: Any, new: Any) -> list[FieldChange]:
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[FieldChange] = []
        for key in [*old, *(k for k in new if k not in old)]:
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in new:
                found.append(FieldChange(path, old[key], None))
            elif key not in old:
                found.append(FieldChange(path, None, new[key]))
            else:
                found.extend(_diff_values(path, old[key], new[key]))
        return found
    return [FieldChange(prefix, old, new)]


def _figures(old: Catalog, new: Catalog, renamed: dict[str, str]) -> list[FigureChange]:
    def figures(catalog: Catalog, event_id: str) -> tuple[dict[str, int], dict[str, int]]:
        result = simplify(catalog, event_id)
        return result.before.as_dict(), result.after.as_dict()

    found = []
    seen_new: set[str] = set()
    for event_id in sorted(old.events):
        new_id = renamed.get(event_id, event_id)
        before = figures(old, event_id)
        after = figures(new, new_id) if new_id in new.events else None
        seen_new.add(new_id)
        if before != after:
            name = (new.events[new_id] if after else old.events[event_id]).name
            found.append(FigureChange(new_id if after else event_id, name, before, after))
    for event_id in sorted(set(new.events) - seen_new):
        found.append(
            FigureChange(event_id, new.events[event_id].name, None, figures(new, event_id))
        )
    return found


# --- rendering (pure: returns text) ---------------------------------------------------------

CHANGE_ORDER = ("removed", "renamed", "added", "changed")


def _value(value: Any, limit: int = 80) -> str:
    import json

    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _figure_text(change: FigureChange, stage: str, lang: str) -> str:
    from xpcli.messages import say

    parts = []
    for row_stage, figure, old, new in change.changed():
        if row_stage == stage:
            parts.append(f"{say('diff-figure-' + figure, lang)} {_value(old)} → {_value(new)}")
    return ("；" if lang == "zh" else "; ").join(parts)


def breaking_text(b: Breaking, lang: str) -> str:
    from xpcli.messages import kind_name, say

    return say(
        "diff-" + b.code,
        lang,
        kind=kind_name(b.kind, lang),
        id=b.id,
        new_id=b.new_id,
        old=b.old,
        new=b.new,
    )


def _side(diff: CatalogDiff, lang: str) -> str:
    from xpcli.messages import say

    return diff.head if diff.head is not None else say("diff-working-tree", lang)


def _fields_text(r: RecordChange, lang: str, joiner: str, code: bool) -> str:
    quote = "`" if code else ""
    return joiner.join(
        f"{quote}{f.field}{quote}: {_value(f.old)} → {_value(f.new)}" for f in r.fields
    )


def render_text(diff: CatalogDiff, lang: str) -> str:
    from xpcli.messages import say

    lines = [say("diff-title", lang, base=diff.base, head=_side(diff, lang), catalog=diff.catalog)]
    if diff.empty:
        lines.append(say("diff-none", lang))
    for b in diff.breaking:
        lines.append(f"error: {breaking_text(b, lang)}")
    if diff.header:
        lines.append("")
        lines.append(say("diff-heading-catalog", lang))
        lines.extend(f"  ~ {f.field}: {_value(f.old)} → {_value(f.new)}" for f in diff.header)
    marks = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    for kind in KINDS:
        changes = _ordered(diff.of_kind(SINGULAR[kind]))
        if not changes:
            continue
        lines.append("")
        lines.append(say("diff-heading-" + kind, lang))
        for r in changes:
            label = f"{r.old_id} → {r.id}" if r.change == "renamed" else r.id
            lines.append(f"  {marks[r.change]} {label} {r.name}")
            lines.extend(f"      {f.field}: {_value(f.old)} → {_value(f.new)}" for f in r.fields)
    if diff.figures:
        lines.append("")
        lines.append(say("diff-heading-figures", lang))
        for change in diff.figures:
            after = _figure_text(change, "after", lang)
            before = _figure_text(change, "before", lang)
            text = f"  {change.name}: {after}" if after else f"  {change.name}:"
            if before:
                text += (
                    f" （{say('diff-stage-before', lang)}：{before}）"
                    if lang == "zh"
                    else f" ({say('diff-stage-before', lang)}: {before})"
                )
            lines.append(text)
    return "\n".join(lines) + "\n"


def _ordered(changes: tuple[RecordChange, ...]) -> list[RecordChange]:
    return sorted(changes, key=lambda r: (CHANGE_ORDER.index(r.change), r.id))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(diff: CatalogDiff, lang: str) -> str:
    from xpcli.messages import say

    title = say("diff-title", lang, base=diff.base, head=_side(diff, lang), catalog=diff.catalog)
    lines = [f"### {title}", ""]
    if diff.empty:
        lines += [say("diff-none", lang), ""]
    if diff.breaking:
        lines += [f"**{say('diff-heading-breaking', lang, count=len(diff.breaking))}**", ""]
        lines += [f"- :x: {breaking_text(b, lang)}" for b in diff.breaking]
        lines.append("")
    if diff.figures:
        lines += [
            f"#### {say('diff-heading-figures', lang)}",
            "",
            f"| {say('diff-col-event', lang)} | {say('diff-stage-after', lang)} "
            f"| {say('diff-stage-before', lang)} |",
            "|---|---|---|",
        ]
        for change in diff.figures:
            after = _figure_text(change, "after", lang) or say("diff-unchanged", lang)
            before = _figure_text(change, "before", lang) or say("diff-unchanged", lang)
            lines.append(f"| {_cell(change.name)} | {_cell(after)} | {_cell(before)} |")
        lines.append("")
    if diff.header:
        lines += [
            f"#### {say('diff-heading-catalog', lang)}",
            "",
            f"| {say('diff-col-field', lang)} | {say('diff-col-old', lang)} "
            f"| {say('diff-col-new', lang)} |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{f.field}` | {_cell(_value(f.old))} | {_cell(_value(f.new))} |"
            for f in diff.header
        ]
        lines.append("")
    for kind in KINDS:
        changes = _ordered(diff.of_kind(SINGULAR[kind]))
        if not changes:
            continue
        lines += [
            f"#### {say('diff-heading-' + kind, lang)}",
            "",
            f"| {say('diff-col-change', lang)} | id | {say('diff-col-name', lang)} "
            f"| {say('diff-col-fields', lang)} |",
            "|---|---|---|---|",
        ]
        for r in changes:
            label = f"`{r.old_id}` → `{r.id}`" if r.change == "renamed" else f"`{r.id}`"
            lines.append(
                f"| {say('diff-' + r.change, lang)} | {label} | {_cell(r.name)} "
                f"| {_cell(_fields_text(r, lang, '<br>', True))} |"
            )
        lines.append("")
    return "\n".join(lines)
