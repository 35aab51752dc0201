"""Write catalog YAML in the house style, and change an existing file without losing its
comments.

Decision: an existing matter file is *patched*, key by key. Only the top-level keys whose value
the import changes are rewritten (a changed one-line value keeps its `# comment`); every other
line, comment and blank line stays byte for byte. A new file is rendered whole, in the order and
style of hand-written files (block lists, `steps: [..]` in flow style, codes and phones quoted).
Every result is parsed back and compared with the data it must hold; a mismatch stops the import
before anything is written (`import-cannot-patch`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from xpcli.yamlparse import parse, resolve_plain

MATTER_ORDER = (
    "id",
    "name",
    "code",
    "local_code",
    "url",
    "type",
    "department",
    "legal_basis",
    "conditions",
    "materials",
    "outputs",
    "steps",
    "legal_days",
    "promised_days",
    "visits",
    "online",
    "fee",
    "location",
    "phone",
    "window",
    "special_procedures",
    "faq",
    "result",
    "former_ids",
    "status",
)
ENTRY_ORDER = (
    "material",
    "form",
    "copies",
    "required",
    "tolerance",
    "commitment",
    "condition",
    "note",
)
QUOTED = frozenset(("code", "local_code", "phone"))  # house style: codes and phones in quotes
FLOW_LISTS = frozenset(("steps", "outputs", "former_ids"))
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]|$)")


def scalar(value: Any, key: str = "", flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if key in QUOTED or not _plain_safe(text, flow):
        return json.dumps(text, ensure_ascii=False)
    return text


def _plain_safe(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text or "\n" in text:
        return False
    if flow and _FLOW_UNSAFE.search(text):
        return False
    if any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text):
        return False
    value, ambiguous = resolve_plain(text)
    return value == text and not ambiguous


def render_value(key: str, value: Any) -> list[str]:
    """The lines of one top-level `key: value`."""
    if isinstance(value, list):
        if not value:
            return [f"{key}: []"]
        if key in FLOW_LISTS:
            return [f"{key}: [{', '.join(scalar(v, flow=True) for v in value)}]"]
        lines = [f"{key}:"]
        for item in value:
            if isinstance(item, dict):
                if key == "special_procedures":
                    pairs = ", ".join(f"{k}: {scalar(v, k, flow=True)}" for k, v in item.items())
                    lines.append(f"  - {{{pairs}}}")
                    continue
                ordered = _ordered(item, ENTRY_ORDER) if key == "materials" else item
                first = True
                for k, v in ordered.items():
                    lines.append(f"{'  - ' if first else '    '}{k}: {scalar(v, k)}")
                    first = False
            else:
                lines.append(f"  - {scalar(item)}")
        return lines
    return [f"{key}: {scalar(value, key)}"]


def _ordered(data: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    known = {k: data[k] for k in order if k in data}
    return {**known, **{k: v for k, v in data.items() if k not in known}}


def render_record(data: dict[str, Any], order: tuple[str, ...] = MATTER_ORDER) -> str:
    lines: list[str] = []
    for key, value in _ordered(data, order).items():
        lines.extend(render_value(key, value))
    return "\n".join(lines) + "\n"


def patch(text: str, updates: dict[str, Any], order: tuple[str, ...] = MATTER_ORDER) -> str:
    """`text` with each top-level key of `updates` set to its value (None: removed)."""
    lines = text.splitlines()
    for key, value in updates.items():
        segments = _segments(lines)
        if key in segments:
            start, end = segments[key]
            if value is None:
                del lines[start:end]
            else:
                lines[start:end] = _keep_comment(lines[start:end], render_value(key, value))
        elif value is not None:
            at = _insert_at(segments, key, order, len(lines))
            lines[at:at] = render_value(key, value)
    return "\n".join(lines) + "\n"


def _segments(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line, end) of its value; trailing comments and blank lines
    belong to the next key (a comment above a key speaks about that key)."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _TOP_KEY.match(line))]
    segments: dict[str, tuple[int, int]] = {}
    for n, (start, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        segments[key] = (start, end)
    return segments


def _keep_comment(old: list[str], new: list[str]) -> list[str]:
    """A one-line value's trailing `# comment` survives its new value."""
    if len(old) == 1 and len(new) == 1:
        found = re.match(r"^[^\"'#]*?(\s+#.*)$", old[0])
        if found:
            return [new[0] + found.group(1)]
    return new


def _insert_at(
    segments: dict[str, tuple[int, int]], key: str, order: tuple[str, ...], end: int
) -> int:
    position = order.index(key) if key in order else len(order)
    before = [k for k in order[:position] if k in segments]
    if before:
        return segments[before[-1]][1]
    after = [segments[k][0] for k in order[position + 1 :] if k in segments]
    return min(after) if after else end


def append_items(text: str | None, key: str, items: list[dict[str, Any]], head: str) -> str:
    """departments.yaml / materials.yaml / windows.yaml with `items` added at the end of the
    list; a missing file is written with `head` (a comment) above it."""
    rendered = render_value(key, items)[1:]
    if text is None:
        return head + f"{key}:\n" + "\n".join(rendered) + "\n"
    lines = text.splitlines()
    segments = _segments(lines)
    start, end = segments[key]
    if lines[start].strip() == f"{key}: []":
        lines[start:end] = [f"{key}:", *rendered]
    else:
        lines[end:end] = rendered
    return "\n".join(lines) + "\n"


def parses_to(text: str, data: Any) -> bool:
    parsed = parse(text, "check.yaml")
    return parsed.complete and not parsed.diagnostics and parsed.data == data
