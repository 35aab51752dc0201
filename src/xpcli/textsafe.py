"""Catalog text made safe for the place it is shown: a terminal, or a pull request's markdown.

The loader rejects control characters in values (`control-character`), but text reaches the
screen from other places too (file names, git revisions, an old revision's catalog in a diff),
so every writer that shows catalog text passes it through one of these.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("[\r\n\u0085\u2028\u2029]+")
# Inline markdown (GitHub flavour): emphasis, code, links, images, tables, strike-through,
# headings, block quotes, list markers, and the backslash itself.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#!|~])")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def printable(text: str) -> str:
    """`text` with control characters (ESC, NUL, BEL...) shown as `\\x1b`, never sent raw to a
    terminal, where ESC sequences could recolour, retitle or rewrite what the user sees; tab and
    line feed stay."""
    return _CONTROL.sub(_visible, text)


def markdown_inline(text: str) -> str:
    """`text` as literal inline markdown: one line (a line break would start a new block: a
    heading, a list, raw HTML), HTML entities for `& < >` (no raw HTML or autolinks), every other
    markdown character escaped, including `|` (table cells)."""
    flat = printable(_LINE_BREAKS.sub(" ", text))
    html = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", html)


def markdown_code(text: str) -> str:
    """`text` for inside a code span in a table cell: one line, no backtick (it would end the
    span), `|` escaped (GitHub splits table cells before it reads code spans)."""
    flat = printable(_LINE_BREAKS.sub(" ", text))
    return flat.replace("`", "'").replace("|", "\\|")


def one_line(text: str) -> str:
    """`text` for a message on one line: line breaks and tabs as `\\n`, `\\t`, `\\r`, control
    characters as `\\x1b`."""
    return printable(text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
