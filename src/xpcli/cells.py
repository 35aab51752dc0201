"""Text for spreadsheet cells that a spreadsheet will not run as a formula.

Excel, LibreOffice and WPS read a cell that starts with `=`, `+`, `-` or `@` as a formula (a
leading tab or carriage return is dropped first, so those count too): a matter named
`=HYPERLINK("http://…","点此")` in a pull request would run on the clerk's machine that opens
the report ("CSV injection"). Every text cell xpcli writes, to csv or to xlsx, goes through
`text_cell`; such text gets a leading apostrophe, the spreadsheets' own mark for "this is text".

For xlsx writers: openpyxl stores any `str` that starts with `=` as a formula, and XlsxWriter's
`write()` does the same, so pass every text value through `text_cell` before writing it. Numbers
stay numbers: only `str` values are touched.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """A spreadsheet would read `text` as a formula."""
    return text.startswith(FORMULA_START)


def text_cell(text: str) -> str:
    """`text` as a cell a spreadsheet shows as text: `'=1+1` for `=1+1`, anything else as is."""
    return "'" + text if is_formula_like(text) else text
