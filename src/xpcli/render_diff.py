"""A catalog diff as text for a terminal and as markdown for a pull request's summary.

Pure: returns text in the reader's language; the CLI prints it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from xpcli.compare import COLLECTIONS, SINGULAR, Breaking, CatalogDiff, FigureChange, RecordChange
from xpcli.messages import aside, figure_name, joined, kind_name, say
from xpcli.textsafe import markdown_code, markdown_inline, one_line

CHANGE_ORDER = ("removed", "renamed", "added", "changed")


def _value(value: Any, limit: int = 80) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = one_line(text)  # a newline in a value must not fake a line of the diff
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        lines.extend(f"  ~ {f.field}: {_value(f.old)} → {_value(f.new)}" for f in diff.header)
    marks = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    for kind in COLLECTIONS:
        changes = _ordered(diff.of_kind(SINGULAR[kind]))
        if not changes:
            continue
        lines.append("")
        lines.append(say("diff-heading-" + kind, lang))
        for r in changes:
            label = f"{r.old_id} → {r.id}" if r.change == "renamed" else r.id
            lines.append(f"  {marks[r.change]} {label} {one_line(r.name)}")
            lines.extend(f"      {f.field}: {_value(f.old)} → {_value(f.new)}" for f in r.fields)
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


def _fields_cell(r: RecordChange) -> str:
    return "<br>".join(
        f"`{markdown_code(f.field)}`: {_cell(_value(f.old))} → {_cell(_value(f.new))}"
        for f in r.fields
    )


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
            f"| `{markdown_code(f.field)}` | {_cell(_value(f.old))} | {_cell(_value(f.new))} |"
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
                f"| {_fields_cell(r)} |"
            )
        lines.append("")
    return "\n".join(lines)
