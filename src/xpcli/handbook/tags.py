"""Fewer tag objects in a part's PDF: spans that carry nothing but their text.

WeasyPrint tags every run of text as a `Span` structure element of its own, with no attributes:
42% of a part's objects (3,064 of 7,345 in a 38-page part of notices), and the join holds every
object of the book in memory (about 1.6 KB each in qpdf: 2.9 GB for a 3,411-page book). A plain
span (or `NonStruct`, which means "no structure") whose kids are only marked-content ids says
nothing its parent does not: its content goes into the parent, in place, and the parent tree
maps that content to the parent. Reading order, text and every element that has a meaning
(paragraphs, headings, tables, lists, links, figures with their alternative text) stay.
"""

from __future__ import annotations

import io
from typing import Any

from pikepdf import Array, Dictionary, Name, Pdf, String

PLAIN = ("/Span", "/NonStruct")
PLAIN_KEYS = {"/Type", "/S", "/P", "/K", "/Pg"}


def compact(data: bytes, prefix: str = "") -> bytes:
    """The PDF with its plain spans folded into their parents and its table header ids
    prefixed with `prefix` (they are unique within a part only; the joined book has them
    all). The same bytes when it has no tag tree."""
    with Pdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None or "/ParentTree" not in root:
            return data
        folded: dict[tuple[int, int], Any] = {}
        for element in _post_order(root):
            _fold_kids(element, folded)
            if prefix:
                _prefix_ids(element, prefix)
        _redirect_parent_tree(root.ParentTree, folded)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _is_element(value: Any) -> bool:
    return isinstance(value, Dictionary) and value.get("/Type") == "/StructElem"


def _post_order(root: Any) -> list[Any]:
    """Every structure element under `root`, children before their parent."""
    order: list[Any] = []
    stack = [(kid, False) for kid in _kids(root) if _is_element(kid)]
    while stack:
        element, seen = stack.pop()
        if seen:
            order.append(element)
            continue
        stack.append((element, True))
        stack.extend((kid, False) for kid in _kids(element) if _is_element(kid))
    return order


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if isinstance(kids, Array):
        return list(kids)
    return [] if kids is None else [kids]


def _plain(element: Any) -> bool:
    kids = element.get("/K")
    return (
        element.is_indirect  # a direct element has no object number to redirect from
        and str(element.get("/S")) in PLAIN
        and set(element.keys()) <= PLAIN_KEYS
        and isinstance(kids, Array)
        and all(isinstance(kid, int) for kid in kids)
    )


def _fold_kids(element: Any, folded: dict[tuple[int, int], Any]) -> None:
    kids = element.get("/K")
    if not isinstance(kids, Array) or not any(_is_element(k) and _plain(k) for k in kids):
        return
    page = element.get("/Pg")
    own_page = page.objgen if page is not None else None
    merged = Array()
    for kid in kids:
        if not (_is_element(kid) and _plain(kid)):
            merged.append(kid)
            continue
        folded[kid.objgen] = element
        kid_page = kid.get("/Pg")
        for mcid in kid.K:
            if kid_page is not None and kid_page.objgen == own_page:
                merged.append(mcid)
            else:  # marked content on another page than the parent's: say which
                merged.append(Dictionary(Type=Name.MCR, Pg=kid_page, MCID=mcid))
    element.K = merged
    if page is None and all(isinstance(k, int) for k in merged):  # pragma: no cover
        element.Pg = kids[0].Pg


def _redirect_parent_tree(tree: Any, folded: dict[tuple[int, int], Any]) -> None:
    """Content of a folded span now belongs to its nearest parent that stayed."""

    def owner(value: Any) -> Any:
        while _is_element(value) and value.objgen in folded:
            value = folded[value.objgen]
        return value

    nums = tree.Nums
    for i in range(1, len(nums), 2):
        value = nums[i]
        if isinstance(value, Array):
            nums[i] = Array([owner(v) for v in value])
        else:
            nums[i] = owner(value)


def _prefix_ids(element: Any, prefix: str) -> None:
    """Table header ids are unique within a part only: prefix a header's and a cell's."""
    if "/ID" in element:
        element.ID = String(prefix + str(element.ID))
    attributes = element.get("/A")
    if isinstance(attributes, Dictionary) and "/Headers" in attributes:
        attributes.Headers = Array([String(prefix + str(h)) for h in attributes.Headers])
