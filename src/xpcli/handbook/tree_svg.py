"""The tree diagram (树状图): root → numbered events (each with its QR code) → matters, as SVG.

The layout is computed in millimetres for the page box it must fit. It tries the largest
legible type first and adds columns before shrinking; QR codes never shrink below the size
phones read from print. Only when even the smallest setting cannot hold every event does the
tree continue on a further page ("（续）"), so a large tree still fits legibly.

Text widths are estimated, not measured: a CJK character is one em wide, anything else at most
0.62 em. The estimate errs on the wide side, so text never runs past its box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from xpcli.handbook.qr import QR_STROKE, make_qr

FONT = "Noto Sans CJK SC"
ACCENT = "#9b1c1f"
INK = "#222222"
MUTED = "#666666"
LINE = "#8a6d5a"
LEAF_FILL = "#f7f1ea"

FONT_SIZES = (3.2, 3.0, 2.8, 2.6, 2.45, 2.3, 2.2)  # mm: about 9 pt down to 6.2 pt
QR_SIZES = (20.0, 18.0)  # mm: both decode from a 150 dpi render
MAX_COLUMNS = 3
GUTTER = 4.0
SPINE = 2.0  # x of a column's spine inside the column
CELL_INDENT = 5.0  # where an event cell starts inside its column
LINE_HEIGHT = 1.28  # em
NO_LINE_START = set("，。、；：？！）》」』”’%,.;:!?)]")


@dataclass(frozen=True, slots=True)
class DiagramMatter:
    name: str
    situational: bool  # a matter handled only in a situation (情形): dashed link


@dataclass(frozen=True, slots=True)
class DiagramEvent:
    number: int
    name: str
    url: str
    matters: tuple[DiagramMatter, ...]


@dataclass(frozen=True, slots=True)
class Diagram:
    """One page of a tree: its SVG markup, its height and the type size used."""

    svg: str
    height_mm: float
    font_mm: float
    continued: bool


def text_width(text: str, size: float) -> float:
    """Estimated advance of `text` at font size `size` (same unit)."""
    return size * sum(_char_em(c) for c in text)


def _char_em(char: str) -> float:
    if unicodedata.east_asian_width(char) in ("W", "F", "A") or ord(char) >= 0x2E80:
        return 1.0
    return 0.62


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking by character; closing punctuation never starts a line."""
    lines: list[str] = []
    current = ""
    for char in text:
        if current and text_width(current + char, size) > width and char not in NO_LINE_START:
            lines.append(current)
            current = char
        else:
            current += char
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True, slots=True)
class _Style:
    font: float  # matter text, mm
    qr: float
    columns: int
    column_width: float

    @property
    def event_font(self) -> float:
        return self.font * 1.12

    @property
    def root_font(self) -> float:
        return self.font * 1.45

    @property
    def badge(self) -> float:
        return self.event_font * 1.55

    @property
    def cell_width(self) -> float:
        return self.column_width - CELL_INDENT

    @property
    def event_text_width(self) -> float:
        return self.cell_width - self.badge - 4.0

    @property
    def leaf_x(self) -> float:  # the leaves' spine, relative to the cell
        return self.qr + 2.5

    @property
    def leaf_text_width(self) -> float:
        return self.cell_width - self.leaf_x - 3.8


@dataclass(frozen=True, slots=True)
class _Cell:
    event: DiagramEvent
    title: list[str]
    node_height: float
    leaves: list[tuple[DiagramMatter, list[str]]]
    height: float  # including the gap below


def _cell(event: DiagramEvent, style: _Style) -> _Cell:
    title = wrap(event.name, style.event_font, style.event_text_width)
    node_height = max(style.badge + 2.0, len(title) * style.event_font * LINE_HEIGHT + 2.4)
    leaves = [
        (matter, wrap(matter.name, style.font, style.leaf_text_width)) for matter in event.matters
    ]
    leaves_height = sum(len(lines) * style.font * LINE_HEIGHT + 1.0 for _, lines in leaves)
    body = max(style.qr, leaves_height + 1.0)
    return _Cell(event, title, node_height, leaves, node_height + 1.5 + body + 3.5)


def _root_height(style: _Style) -> float:
    return style.root_font * 2.2


def _partition(heights: Sequence[float], columns: int) -> list[int]:
    """Split the cells, in order, into at most `columns` runs with the lowest tallest run.
    Returns the run lengths."""
    n = len(heights)
    columns = max(1, min(columns, n))
    prefix = [0.0]
    for h in heights:
        prefix.append(prefix[-1] + h)
    inf = float("inf")
    # best[k][i]: lowest tallest run for the first i cells in k runs
    best = [[inf] * (n + 1) for _ in range(columns + 1)]
    cut = [[0] * (n + 1) for _ in range(columns + 1)]
    best[0][0] = 0.0
    for k in range(1, columns + 1):
        for i in range(1, n + 1):
            for j in range(k - 1, i):
                value = max(best[k - 1][j], prefix[i] - prefix[j])
                if value < best[k][i] - 1e-9:
                    best[k][i], cut[k][i] = value, j
    k = min(range(1, columns + 1), key=lambda c: (best[c][n], c))
    runs: list[int] = []
    i = n
    while k > 0:
        j = cut[k][i]
        runs.append(i - j)
        i, k = j, k - 1
    return [r for r in reversed(runs) if r]


def _plan(events: Sequence[DiagramEvent], style: _Style) -> tuple[list[list[_Cell]], float]:
    cells = [_cell(e, style) for e in events]
    runs = _partition([c.height for c in cells], style.columns) if cells else []
    columns: list[list[_Cell]] = []
    start = 0
    for run in runs:
        columns.append(cells[start:start + run])
        start += run
    tallest = max((sum(c.height for c in col) for col in columns), default=10.0)
    return columns, _root_height(style) + 7.0 + tallest


def _styles(width: float) -> list[_Style]:
    found = []
    for font in FONT_SIZES:
        for qr in QR_SIZES:
            for columns in range(1, MAX_COLUMNS + 1):
                column_width = (width - (columns - 1) * GUTTER) / columns
                style = _Style(font, qr, columns, column_width)
                if style.leaf_text_width >= 9 * font and style.event_text_width >= 6 * font:
                    found.append(style)
    return found


def layout(
    title: str, events: Sequence[DiagramEvent], width: float, height: float
) -> list[Diagram]:
    """The pages of one tree: usually one; more only when nothing smaller fits."""
    styles = _styles(width)
    if not styles:
        raise ValueError(f"a tree diagram needs more than {width:.0f} mm of width")
    for style in styles:
        columns, needed = _plan(events, style)
        if needed <= height:
            return [_draw(title, columns, style, width, needed, continued=False)]
    # Even the smallest type cannot hold every event on one page: continue on further pages.
    smallest = styles[-1]
    pages: list[Diagram] = []
    remaining = list(events)
    while remaining:
        count = len(remaining)
        while count > 1 and _plan(remaining[:count], smallest)[1] > height:
            count -= 1
        columns, needed = _plan(remaining[:count], smallest)
        pages.append(_draw(title, columns, smallest, width, needed, continued=bool(pages)))
        remaining = remaining[count:]
    return pages


def _text(x: float, y: float, lines: list[str], size: float, **attrs: str) -> str:
    """Lines of text; `y` is the top of the first line."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    out = []
    for i, line in enumerate(lines):
        baseline = y + size * (0.9 + i * LINE_HEIGHT)
        out.append(
            f'<text x="{x:.2f}" y="{baseline:.2f}" font-size="{size:.2f}"{extra}>'
            f"{escape(line)}</text>"
        )
    return "".join(out)


def _draw(
    title: str,
    columns: list[list[_Cell]],
    style: _Style,
    width: float,
    height: float,
    continued: bool,
) -> Diagram:
    parts: list[str] = []
    add = parts.append
    label = title + ("（续）" if continued else "")
    # Root
    root_font = style.root_font
    root_w = min(width, text_width(label, root_font) + 10.0)
    root_h = _root_height(style)
    root_x = (width - root_w) / 2
    add(
        f'<rect x="{root_x:.2f}" y="0.3" width="{root_w:.2f}" height="{root_h:.2f}" '
        f'rx="1.6" fill="{ACCENT}"/>'
    )
    add(
        f'<text x="{width / 2:.2f}" y="{0.3 + root_h / 2 + root_font * 0.36:.2f}" '
        f'font-size="{root_font:.2f}" font-weight="bold" fill="#fff" text-anchor="middle">'
        f"{escape(label)}</text>"
    )
    top = root_h + 0.3
    bus_y = top + 3.5
    spines = [
        c * (style.column_width + GUTTER) + SPINE for c in range(len(columns))
    ]
    stroke = f'stroke="{LINE}" stroke-width="0.35" fill="none"'
    if columns:
        add(f'<path d="M{width / 2:.2f} {top:.2f}V{bus_y:.2f}" {stroke}/>')
        left, right = min(spines[0], width / 2), max(spines[-1], width / 2)
        add(f'<path d="M{left:.2f} {bus_y:.2f}H{right:.2f}" {stroke}/>')
    else:
        add(
            f'<text x="{width / 2:.2f}" y="{top + 8:.2f}" font-size="{style.font:.2f}" '
            f'fill="{MUTED}" text-anchor="middle">（本目录暂无“一件事”）</text>'
        )
    for col, cells in enumerate(columns):
        x0 = col * (style.column_width + GUTTER)
        spine = spines[col]
        y = bus_y + 3.5
        last_mid = bus_y
        for cell in cells:
            cx = x0 + CELL_INDENT
            mid = y + cell.node_height / 2
            last_mid = mid
            add(f'<path d="M{spine:.2f} {mid:.2f}H{cx:.2f}" {stroke}/>')
            parts.extend(_draw_cell(cell, cx, y, style))
            y += cell.height
        add(f'<path d="M{spine:.2f} {bus_y:.2f}V{last_mid:.2f}" {stroke}/>')
    body = "".join(parts)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tree-diagram" role="img" '
        f'xml:lang="zh-CN" width="{width:.2f}mm" height="{height:.2f}mm" '
        f'viewBox="0 0 {width:.2f} {height:.2f}" font-family="{FONT}" fill="{INK}">'
        f"<title>{escape(label)}：树状图</title>{body}</svg>"
    )
    return Diagram(svg, height, style.font, continued)


def _draw_cell(cell: _Cell, x: float, y: float, style: _Style) -> list[str]:
    out: list[str] = []
    ef = style.event_font
    w = style.cell_width
    # Event node: numbered badge and name
    out.append(
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{cell.node_height:.2f}" '
        f'rx="1.2" fill="{LEAF_FILL}" stroke="{ACCENT}" stroke-width="0.4"/>'
    )
    r = style.badge / 2
    bx, by = x + 1.2 + r, y + cell.node_height / 2
    out.append(f'<circle cx="{bx:.2f}" cy="{by:.2f}" r="{r:.2f}" fill="{ACCENT}"/>')
    number = str(cell.event.number)
    num_size = ef * (1.0 if len(number) == 1 else 0.85)
    out.append(
        f'<text x="{bx:.2f}" y="{by + num_size * 0.36:.2f}" font-size="{num_size:.2f}" '
        f'font-weight="bold" fill="#fff" text-anchor="middle">{number}</text>'
    )
    text_h = len(cell.title) * ef * LINE_HEIGHT
    ty = y + (cell.node_height - text_h) / 2 + ef * 0.05
    out.append(_text(x + 2.4 + 2 * r, ty, cell.title, ef, font_weight="bold", fill=ACCENT))
    # QR code, below the node on the left
    body_y = y + cell.node_height + 1.5
    symbol = make_qr(cell.event.url)
    scale = style.qr / symbol.modules
    out.append(
        f'<g transform="translate({x:.2f} {body_y:.2f}) scale({scale:.5f})">'
        f'<rect width="{symbol.modules}" height="{symbol.modules}" fill="#fff"/>'
        f'<path {QR_STROKE} d="{symbol.path}"/></g>'
    )
    # Matter leaves, right of the QR code, hanging from a small spine under the node
    lx = x + style.leaf_x
    ly = body_y + 0.5
    fs = style.font
    stroke = f'stroke="{LINE}" stroke-width="0.3" fill="none"'
    last = body_y
    for matter, lines in cell.leaves:
        mid = ly + fs * 0.62
        dash = ' stroke-dasharray="0.8 0.6"' if matter.situational else ""
        out.append(f'<path d="M{lx:.2f} {mid:.2f}H{lx + 2.2:.2f}" {stroke}{dash}/>')
        colour = MUTED if matter.situational else INK
        out.append(_text(lx + 3.0, ly, lines, fs, fill=colour))
        last = mid
        ly += len(lines) * fs * LINE_HEIGHT + 1.0
    if cell.leaves:
        out.append(f'<path d="M{lx:.2f} {y + cell.node_height:.2f}V{last:.2f}" {stroke}/>')
    return out
