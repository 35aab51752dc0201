"""QR codes as vector SVG: error correction M or higher, a 4-module quiet zone, never Micro QR.

`segno.make_qr` always returns a full QR symbol (`segno.make` may return a Micro QR for short
data, which many phone apps cannot read). The symbol is drawn as one SVG path: a 1-unit-wide stroke
along each horizontal run of dark modules (two path commands per run, which keeps WeasyPrint's
path parsing cheap), so it stays sharp at any print size and costs ~1-2 KB per code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import segno

from xpcli.errors import XpcliError

QUIET_ZONE = 4  # modules, ISO/IEC 18004
PRINT_SIZE_MM = 20.0  # decodes reliably from a 150 dpi render at about 2 cm
# The largest symbol that still decodes from a 150 dpi render at PRINT_SIZE_MM (zxing-cpp,
# measured with tests/test_handbook.py::test_longest_printable_url_decodes): version 16 is
# 89 modules with the quiet zone, 1.3 pixels a module; version 17 failed for some URLs. About
# 410-450 characters of URL, depending on the characters.
MAX_PRINT_VERSION = 16
QR_STROKE = 'fill="none" stroke="#000" stroke-width="1"'


@dataclass(frozen=True, slots=True)
class QrSymbol:
    """One QR code: the encoded text, its SVG path (one unit = one module) and its size."""

    data: str
    path: str  # stroke it with width 1 (`QR_STROKE`), do not fill it
    modules: int  # width and height in modules, quiet zone included
    version: int
    error: str


def make_qr(url: str, error: str = "m") -> QrSymbol:
    """The QR symbol of `url` (error correction `error` or higher, when it fits the version)."""
    key = (url, error.lower())
    known = _KNOWN.get(key)
    return known if known is not None else _make(*key)


# Symbols made elsewhere (by the layout workers, `pdf.build`) for the build under way: segno
# spends 4.8 ms on a code, 80% of it choosing the mask; 2,285 codes of a county's book took
# 11 s before the first part could start.
_KNOWN: dict[tuple[str, str], QrSymbol] = {}


def make_many(urls: list[str]) -> list[QrSymbol]:
    """The symbols of `urls` at error correction M (what the handbook prints)."""
    return [_make(url, "m") for url in urls]


@contextmanager
def known(symbols: list[QrSymbol]) -> Iterator[None]:
    """`make_qr(url)` answers from `symbols` (made at M) until the block ends."""
    _KNOWN.update(((symbol.data, "m"), symbol) for symbol in symbols)
    try:
        yield
    finally:
        _KNOWN.clear()


@lru_cache(maxsize=4096)
def _make(url: str, error: str) -> QrSymbol:
    if error not in ("m", "q", "h"):
        raise ValueError(f"error correction {error!r}: use m, q or h (L is too weak for print)")
    code = segno.make_qr(url, error=error)
    if code.is_micro:  # pragma: no cover - make_qr never returns one
        raise ValueError("Micro QR is not allowed")
    parts: list[str] = []
    modules = 0
    for y, cells in enumerate(code.matrix_iter(scale=1, border=QUIET_ZONE)):
        row = tuple(cells)
        modules = len(row)
        x = 0
        while x < modules:
            if row[x]:
                start = x
                while x < modules and row[x]:
                    x += 1
                parts.append(f"M{start} {y}.5h{x - start}")
            else:
                x += 1
    return QrSymbol(url, "".join(parts), modules, int(code.version), str(code.error))


def check_printable(url: str) -> None:
    """Refuse a URL whose printed code would not decode (XpcliError handbook-url-too-long)."""
    version = make_qr(url).version
    if version > MAX_PRINT_VERSION:
        raise XpcliError("handbook-url-too-long", url=url, length=len(url), size=PRINT_SIZE_MM)


def qr_svg(url: str, size_mm: float = PRINT_SIZE_MM, title: str | None = None) -> str:
    """A standalone SVG element, `size_mm` wide, for inline use in the handbook's HTML.

    The result is markup built only from the QR path and escaped text.
    """
    from markupsafe import escape

    symbol = make_qr(url)
    label = escape(title if title is not None else url)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" '
        f'width="{size_mm:g}mm" height="{size_mm:g}mm" '
        f'viewBox="0 0 {symbol.modules} {symbol.modules}" shape-rendering="crispEdges">'
        f"<title>{label}</title>"
        f'<rect width="{symbol.modules}" height="{symbol.modules}" fill="#fff"/>'
        f'<path {QR_STROKE} d="{symbol.path}"/></svg>'
    )
