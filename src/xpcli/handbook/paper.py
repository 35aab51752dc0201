"""Paper sizes of the handbook: page size, margins and type size, in mm and pt."""

from __future__ import annotations

from dataclasses import dataclass

from xpcli.handbook.qr import PRINT_SIZE_MM


@dataclass(frozen=True, slots=True)
class Paper:
    """Page size, margins and type size (mm, pt). Tree pages use narrower margins and no
    running header, so the diagram gets the most room."""

    name: str
    width: float
    height: float
    margin_top: float
    margin_bottom: float
    margin_inner: float
    margin_outer: float
    font_pt: float
    tree_margin_y: float  # top and bottom
    tree_margin_inner: float
    tree_margin_outer: float
    tree_chrome: float  # the tree page's heading and legend, mm
    qr_mm: float
    bleed: float = 0.0  # mm of bleed around the trim box, with crop marks when > 0

    @property
    def margin_side(self) -> float:
        """Left and right margin of a part's pages: the join moves each page by
        `gutter_shift_pt` towards its outer edge, giving the inner and outer margins."""
        return (self.margin_inner + self.margin_outer) / 2

    @property
    def tree_margin_side(self) -> float:
        return (self.tree_margin_inner + self.tree_margin_outer) / 2

    @property
    def gutter_shift_pt(self) -> float:
        """Half the difference between inner and outer margins, in PDF points (the same on
        tree pages: checked by the tests)."""
        return (self.margin_inner - self.margin_outer) / 2 * 72 / 25.4

    @property
    def content_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom

    @property
    def diagram_width(self) -> float:
        return self.width - self.tree_margin_inner - self.tree_margin_outer

    @property
    def diagram_height(self) -> float:
        return self.height - 2 * self.tree_margin_y - self.tree_chrome


PAPERS = {
    # A5: 148 x 210 -> 118 x 175 mm of text; tree pages 126 x 186 less heading and legend
    "A5": Paper("A5", 148, 210, 18, 17, 17, 13, 9.0, 12, 13, 9, 19, PRINT_SIZE_MM),
    # A4: 210 x 297 -> 170 x 255 mm of text; tree pages 182 x 265 less heading and legend
    "A4": Paper("A4", 210, 297, 22, 20, 22, 18, 10.5, 16, 16, 12, 22, PRINT_SIZE_MM),
}
