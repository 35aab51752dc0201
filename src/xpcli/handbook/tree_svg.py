"""The tree diagram (树状图): root → numbered events (each with its QR code) → matters, as SVG.

The layout is computed in millimetres for the page box it must fit. Each event is a cell: its
numbered node on top, its QR code on the right, its matters hanging from a spine on the left,
one per line. When that does not fit, the type shrinks; columns are added before the type gets
small. QR codes never shrink below the size phones read from print. Only when even the smallest
setting cannot hold every event does the tree continue on a further page ("（续）"); an event
taller than a page continues there too, its remaining matters under "name（续）".

Text widths are estimated, not measured: a CJK character is one em wide, anything else at most
0.62 em. The estimate errs on the wide side, so text never runs past its box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

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
GUTTER = 3.0
SPINE = 1.2  # x of a column's spine inside the column
CELL_INDENT = 3.6  # where an event cell starts inside its column
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
    used = 0.0
    for char in text:
        advance = size * _char_em(char)
        if current and used + advance > width and char not in NO_LINE_START:
            lines.append(current)
            current, used = char, advance
        else:
            current += char
            used += advance
    if current:
        lines.append(current)
    return lines or [""]


LIST, FLOW = "list", "flow"
MARKER = 1.1  # side of a flow leaf's square marker, mm
SPINE_X = 1.6  # a cell's leaf spine, from the cell's left
TEXT_X = 4.0  # where leaf text starts, from the cell's left


@dataclass(frozen=True, slots=True)
class _Style:
    mode: str
    font: float  # matter text, mm
    qr: float
    columns: int
    column_width: float

    @property
    def event_font(self) -> float:
        return self.font * 1.12

    @property
    def root_font(self) -> float:
        return max(self.font * 1.45, 3.4)

    @property
    def badge(self) -> float:
        return self.event_font * 1.55

    @property
    def cell_width(self) -> float:
        return self.column_width - CELL_INDENT

    @property
    def node_width(self) -> float:  # the node sits left of the QR code
        return self.cell_width - self.qr - 1.5

    @property
    def event_text_width(self) -> float:
        return self.node_width - self.badge - 3.6

    @property
    def line(self) -> float:
        return self.font * (LINE_HEIGHT if self.mode == LIST else 1.34)

    def text_width_at(self, top: float) -> float:
        """Width for leaf text on a line whose top is `top` below the cell's top: beside the
        QR code (top right of the cell), or the full cell below it."""
        if top < self.qr + 0.4:
            return self.node_width - TEXT_X
        return self.cell_width - TEXT_X - 0.5


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of leaf text on one line: `x`, `top` relative to the cell body."""

    x: float
    top: float
    text: str
    situational: bool
    first: bool  # the start of a leaf: gets the marker or the connector


@dataclass(frozen=True, slots=True)
class _Cell:
    event: DiagramEvent
    title: list[str]
    node_height: float
    pieces: list[_Piece]
    lines: list[tuple[float, bool]]  # (top, dashed) of the lines hung from the spine
    height: float  # including the gap below


def _leaves_list(
    event: DiagramEvent, style: _Style, top: float
) -> tuple[list[_Piece], list[tuple[float, bool]]]:
    pieces: list[_Piece] = []
    tops: list[tuple[float, bool]] = []
    for matter in event.matters:
        lines = wrap(matter.name, style.font, style.text_width_at(top))
        for i, text in enumerate(lines):
            pieces.append(_Piece(0.0, top, text, matter.situational, i == 0))
            if i == 0:
                tops.append((top, matter.situational))
            top += style.line
        top += 0.9
    return pieces, tops


def _leaves_flow(
    event: DiagramEvent, style: _Style, top: float
) -> tuple[list[_Piece], list[tuple[float, bool]]]:
    pieces: list[_Piece] = []
    gap = style.font * 0.9
    lead = MARKER + 0.7
    x = 0.0
    for matter in event.matters:
        first = True
        rest = matter.name
        while rest:
            width = style.text_width_at(top)
            room = width - x - (lead if first else 0.0)
            if (
                x > 0
                and text_width(rest, style.font) > room
                and (first or text_width(rest[:1], style.font) > room)
            ):
                top += style.line
                x = 0.0
                continue
            chunk = wrap(rest, style.font, max(room, style.font))[0]
            pieces.append(_Piece(x, top, chunk, matter.situational, first))
            x += (lead if first else 0.0) + text_width(chunk, style.font)
            rest = rest[len(chunk) :]
            first = False
            if rest:
                top += style.line
                x = 0.0
        x += gap
    # the spine reaches the lines that start with a leaf, not continued ones
    tops = [(p.top, p.situational) for p in pieces if p.first and p.x == 0.0]
    return pieces, tops


def _cell(event: DiagramEvent, style: _Style) -> _Cell:
    """Positions relative to the cell's top left: node top left, QR code top right, the
    matters below the node, beside the QR code and then below it."""
    title = wrap(event.name, style.event_font, style.event_text_width)
    node_height = max(style.badge + 2.0, len(title) * style.event_font * LINE_HEIGHT + 2.4)
    first = node_height + 1.2
    if style.mode == LIST:
        pieces, tops = _leaves_list(event, style, first)
    else:
        pieces, tops = _leaves_flow(event, style, first)
    text_bottom = (max(p.top for p in pieces) + style.line) if pieces else node_height
    body = max(style.qr, text_bottom + 0.4)
    return _Cell(event, title, node_height, pieces, tops, body + 2.8)


def _root_height(style: _Style) -> float:
    return style.root_font * 1.9


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
        columns.append(cells[start : start + run])
        start += run
    tallest = max((sum(c.height for c in col) for col in columns), default=10.0)
    return columns, _root_height(style) + 5.6 + tallest


def _styles(width: float) -> list[_Style]:
    """Candidate settings, most legible first."""
    # One leaf per line (LIST) only: a print shop and readers asked for it; FLOW stays for
    # callers that ask for it explicitly.
    order = [(LIST, f) for f in FONT_SIZES]
    found = []
    for mode, font in order:
        for qr in QR_SIZES:
            for columns in range(1, MAX_COLUMNS + 1):
                column_width = (width - (columns - 1) * GUTTER) / columns
                style = _Style(mode, font, qr, columns, column_width)
                if style.text_width_at(0) >= 8 * font and style.event_text_width >= 6 * font:
                    found.append(style)
    return found


def layout(
    title: str, events: Sequence[DiagramEvent], width: float, height: float
) -> list[Diagram]:
    """The pages of one tree: usually one; more only when nothing smaller fits."""
    styles = _styles(width)
    if not styles:
        raise ValueError(f"a tree diagram needs more than {width:.0f} mm of width")
    # First look for a setting where every event's name fits on one line of its node.
    for one_line_titles in (True, False):
        for style in styles:
            if one_line_titles and any(
                text_width(e.name, style.event_font) > style.event_text_width for e in events
            ):
                continue
            columns, needed = _plan(events, style)
            if needed <= height:
                return [_draw(title, columns, style, width, needed, continued=False)]
    # Even the smallest type cannot hold every event on one page: continue on further pages.
    smallest = min(styles, key=lambda s: (s.font, s.qr, -s.columns))
    pages: list[Diagram] = []
    remaining = list(events)
    while remaining:
        count = 1  # grow the page one event at a time: cost stays linear in the tree's size
        while count < len(remaining) and _plan(remaining[: count + 1], smallest)[1] <= height:
            count += 1
        if _plan(remaining[:1], smallest)[1] > height:
            # one event taller than a page: its matters continue on the next page
            head, tail = _split_event(remaining[0], smallest, height)
            remaining[:1] = [head, tail]
        columns, needed = _plan(remaining[:count], smallest)
        pages.append(_draw(title, columns, smallest, width, needed, continued=bool(pages)))
        remaining = remaining[count:]
    return pages


def _split_event(
    event: DiagramEvent, style: _Style, height: float
) -> tuple[DiagramEvent, DiagramEvent]:
    """The most matters of `event` that fit a page, and the rest under the name "…（续）"."""
    keep = 1
    while (
        keep < len(event.matters) - 1
        and _plan([replace(event, matters=event.matters[: keep + 1])], style)[1] <= height
    ):
        keep += 1
    rest = event.matters[keep:]
    name = event.name if event.name.endswith("（续）") else f"{event.name}（续）"
    return replace(event, matters=event.matters[:keep]), replace(event, name=name, matters=rest)


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
    bus_y = top + 2.8
    spines = [c * (style.column_width + GUTTER) + SPINE for c in range(len(columns))]
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
        y = bus_y + 2.5
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
    # The event's node: numbered badge and name
    out.append(
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{style.node_width:.2f}" '
        f'height="{cell.node_height:.2f}" rx="1.2" fill="{LEAF_FILL}" stroke="{ACCENT}" '
        f'stroke-width="0.4"/>'
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
    # The QR code, top right of the cell, beside the node
    symbol = make_qr(cell.event.url)
    scale = style.qr / symbol.modules
    out.append(
        f'<g transform="translate({x + style.cell_width - style.qr:.2f} {y:.2f}) '
        f'scale({scale:.5f})">'
        f'<rect width="{symbol.modules}" height="{symbol.modules}" fill="#fff"/>'
        f'<path {QR_STROKE} d="{symbol.path}"/></g>'
    )
    # The matters, hanging from a spine under the node's left end
    fs = style.font
    spine = x + SPINE_X
    stroke = f'stroke="{LINE}" stroke-width="0.3" fill="none"'
    last = y + cell.node_height
    for top, dashed in cell.lines:
        mid = y + top + fs * 0.55
        dash = ' stroke-dasharray="0.7 0.5"' if dashed else ""
        out.append(f'<path d="M{spine:.2f} {mid:.2f}H{x + TEXT_X - 0.6:.2f}" {stroke}{dash}/>')
        last = mid
    if cell.lines:
        out.append(f'<path d="M{spine:.2f} {y + cell.node_height:.2f}V{last:.2f}" {stroke}/>')
    for piece in cell.pieces:
        px = x + TEXT_X + piece.x
        py = y + piece.top
        colour = MUTED if piece.situational else INK
        if style.mode == FLOW and piece.first:
            out.append(
                f'<rect x="{px:.2f}" y="{py + fs * 0.55 - MARKER / 2:.2f}" width="{MARKER}" '
                f'height="{MARKER}" fill="{MUTED if piece.situational else ACCENT}"/>'
            )
            px += MARKER + 0.7
        out.append(_text(px, py, [piece.text], fs, fill=colour))
    return out
