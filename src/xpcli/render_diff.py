"""A catalog diff as text for a terminal and as markdown for a pull request's summary.

Pure: returns text in the reader's language; the CLI prints it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from xpcli.compare import (
    COLLECTIONS,
    SINGULAR,
    Breaking,
    CatalogDiff,
    FieldChange,
    FigureChange,
    RecordChange,
)
from xpcli.messages import (
    FIELD_LABELS,
    PUNCTUATION,
    YES_NO,
    aside,
    figure_name,
    joined,
    kind_name,
    say,
)
from xpcli.textsafe import markdown_code, markdown_inline, one_line

CHANGE_ORDER = ("removed", "renamed", "added", "changed")


def _value(value: Any, limit: int = 80) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = one_line(text)  # a newline in a value must not fake a line of the diff
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_label(field: str, diff: CatalogDiff, lang: str) -> str:
    """A field path in the reader's words: `materials.newborn-photo.required` → 申请材料 ›
    新生儿照片 › 必需提交; ids become the names of what they name."""
    labels = FIELD_LABELS[lang]
    if field in labels:
        return labels[field]
    parts = []
    for segment in field.split("."):
        base, sep, rest = segment.partition("（")
        parts.append(labels.get(segment) or diff.names.get(base, base) + sep + rest)
    return " › ".join(p for p in parts if p)


def _readable(value: Any, diff: CatalogDiff, lang: str, limit: int = 80) -> str:
    """A value in the reader's words: true/false as 是/否, ids as names, an entry as its
    fields (`{"after": [...], "condition": null}` → 前置事项：出生医学证明)."""
    text = _words(value, diff, lang)
    text = one_line(text)  # a newline in a value must not fake a line of the diff
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _words(value: Any, diff: CatalogDiff, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if isinstance(value, str):
        return diff.names.get(value, value)
    if isinstance(value, list):
        return "、".join(_words(v, diff, lang) for v in value) if value else "—"
    if isinstance(value, dict):
        shown = [
            f"{_field_label(str(k), diff, lang)}{PUNCTUATION[lang]['colon']}{_words(v, diff, lang)}"
            for k, v in value.items()
            if v not in (None, [], {}, False)
        ]
        return joined(shown, lang) if shown else "—"
    return json.dumps(value, ensure_ascii=False)


def _change_text(f: FieldChange, diff: CatalogDiff, lang: str) -> str:
    old, new = _readable(f.old, diff, lang), _readable(f.new, diff, lang)
    if f.renamed:
        old, new = f.old, f.new
        marks = PUNCTUATION[lang]
        new += f"{marks['open']}{say('diff-renamed-field', lang)}{marks['close']}"
    return f"{_field_label(f.field, diff, lang)}: {old} → {new}"


def _figure_text(change: FigureChange, stage: str, lang: str) -> str:

    parts = []
    for row_stage, figure, old, new in change.changed():
        if row_stage == stage:
            parts.append(f"{figure_name(figure, lang)} {_value(old)} → {_value(new)}")
    return joined(parts, lang)


def _same(text: str) -> str:
    return text


def breaking_text(b: Breaking, lang: str, quote: Callable[[str], str] = _same) -> str:
    """The breaking change in words; `quote` makes the catalog's values safe for the output."""
    return say(
        "diff-" + b.code,
        lang,
        kind=kind_name(b.kind, lang),
        id=quote(str(b.id)),
        new_id=quote(str(b.new_id)),
        old=quote(str(b.old)),
        new=quote(str(b.new)),
    )


def _side(diff: CatalogDiff, lang: str) -> str:

    return diff.head if diff.head is not None else say("diff-working-tree", lang)


def render_text(diff: CatalogDiff, lang: str) -> str:

    lines = [say("diff-title", lang, base=diff.base, head=_side(diff, lang), catalog=diff.catalog)]
    if diff.empty:
        lines.append(say("diff-none", lang))
    for b in diff.breaking:
        lines.append(f"error: {breaking_text(b, lang)}")
    if diff.header:
        lines.append("")
        lines.append(say("diff-heading-catalog", lang))
        lines.extend(f"  ~ {_change_text(f, diff, lang)}" for f in diff.header)
    marks = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    if diff.records or diff.header:
        lines.append(say("diff-legend", lang))
    for kind in COLLECTIONS:
        changes = _ordered(diff.of_kind(SINGULAR[kind]))
        if not changes:
            continue
        lines.append("")
        lines.append(say("diff-heading-" + kind, lang))
        for r in changes:
            label = f"{r.old_id} → {r.id}" if r.change == "renamed" else r.id
            lines.append(f"  {marks[r.change]} {label} {one_line(r.name)}")
            lines.extend(f"      {_change_text(f, diff, lang)}" for f in r.fields)
    if diff.figures:
        lines.append("")
        lines.append(say("diff-heading-figures", lang))
        for change in diff.figures:
            after = _figure_text(change, "after", lang)
            before = _figure_text(change, "before", lang)
            name = one_line(change.name)
            text = f"  {name}: {after}" if after else f"  {name}:"
            if before:
                text += aside(say("diff-stage-before", lang), before, lang)
            lines.append(text)
    return "\n".join(lines) + "\n"


def _ordered(changes: tuple[RecordChange, ...]) -> list[RecordChange]:
    return sorted(changes, key=lambda r: (CHANGE_ORDER.index(r.change), r.id))


def _cell(text: str) -> str:
    """Catalog text as one literal table cell: no markdown, no HTML, no line break (a newline
    in a value would otherwise inject raw markdown into the pull request's comment)."""
    return markdown_inline(text)


def _fields_cell(r: RecordChange, diff: CatalogDiff, lang: str) -> str:
    return "<br>".join(_cell(_change_text(f, diff, lang)) for f in r.fields)


def render_markdown(diff: CatalogDiff, lang: str) -> str:

    title = say(
        "diff-title",
        lang,
        base=_cell(diff.base),
        head=_cell(_side(diff, lang)),
        catalog=_cell(str(diff.catalog)),
    )
    lines = [f"### {title}", ""]
    if diff.empty:
        lines += [say("diff-none", lang), ""]
    if diff.breaking:
        lines += [f"**{say('diff-heading-breaking', lang, count=len(diff.breaking))}**", ""]
        lines += [f"- :x: {breaking_text(b, lang, _cell)}" for b in diff.breaking]
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
            f"| {_cell(_field_label(f.field, diff, lang))} | {_cell(_readable(f.old, diff, lang))} "
            f"| {_cell(_readable(f.new, diff, lang))} |"
            for f in diff.header
        ]
        lines.append("")
    for kind in COLLECTIONS:
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
            old_id, new_id = markdown_code(str(r.old_id)), markdown_code(r.id)
            label = f"`{old_id}` → `{new_id}`" if r.change == "renamed" else f"`{new_id}`"
            lines.append(
                f"| {say('diff-' + r.change, lang)} | {label} | {_cell(r.name)} "
                f"| {_fields_cell(r, diff, lang)} |"
            )
        lines.append("")
    return "\n".join(lines)
