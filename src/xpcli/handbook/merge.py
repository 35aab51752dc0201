"""Join the parts of a handbook, each a tagged PDF (pdf/ua-1) made by WeasyPrint, into one.

qpdf (through pikepdf) copies the objects: pure-Python copying (pypdf) took 9 s for a 140-page
book, qpdf well under one. Kept:

- the pages in order; their numbers were printed by the parts, which knew their first page;
- links between parts: WeasyPrint links by named destination, and a part also names the
  anchors of the other parts it links to (placeholders, see `pdf._render`), so that it keeps
  those links; the joined name tree keeps each name's destination from the part that has it;
- bookmarks: a part that continues a section (`continued`) hangs its bookmarks under the last
  top-level bookmark of the part before;
- the tagged structure: each part's `Document` element becomes a `Part` element of one
  `Document`, its parent tree keys (pages' /StructParents, links' /StructParent) move past
  the previous parts' (table header ids, unique within a part only, were prefixed by the part:
  `tags.compact`);
- the first part's catalog: language, XMP metadata (pdfuaid), viewer preferences, mark info,
  and its document information (title, author, dates).

Two things the parts cannot know are added here, so that no part waits for another: the page
numbers and crop marks (the folios: an untagged PDF with one page per page of the book, drawn
over each page as an artifact), and the gutter (parts are laid out with equal left and right
margins; each page moves towards its outer edge, right-hand pages to the right).

Each part embeds its own font subsets: the file is larger than a single document's.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, PageLocation, Pdf, Stream, String


def join(
    parts: list[bytes],
    anchors: list[set[str]],
    continued: list[bool],
    folios: list[bytes],
    shift: float,
) -> bytes:
    """One PDF of `parts`, in order; `anchors[k]` are the anchors part k has (its named
    destinations for the others are placeholders), `continued[k]` whether it continues the
    section of part k-1; page i gets page i of the `folios` (in parts, in order) and moves by
    `shift` points (right on odd pages, left on even)."""
    base = Pdf.open(io.BytesIO(parts[0]))
    outlines = [_read_outline(base)]
    counts = [len(base.pages)]
    dests: dict[str, Any] = {}
    structure = _Structure(base)
    _add_dests(base, base, anchors[0], dests)
    structure.add_base()
    for k, data in enumerate(parts[1:], start=1):
        with _opened(data) as pdf:
            outlines.append(_read_outline(pdf))
            counts.append(len(pdf.pages))
            offset = len(base.pages)
            with warnings.catch_warnings():
                # named destinations are joined below (each from the part that has the anchor)
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                base.pages.extend(pdf.pages)
            structure.add(pdf, offset)
            _add_dests(base, pdf, anchors[k], dests)
    names = Array()
    for name in sorted(dests):
        names.append(String(name))
        names.append(dests[name])
    base.Root.Names = Dictionary(Dests=Dictionary(Names=names))
    _write_outline(base, outlines, counts, continued)
    _stamp(base, folios, shift)
    out = io.BytesIO()
    base.save(out, deterministic_id=True)
    base.close()
    return out.getvalue()


@contextmanager
def _opened(data: bytes) -> Iterator[Pdf]:
    """A part, its streams' data held in memory, so that what is copied out of it no longer
    needs it and it can be closed once copied: only one part's objects are open at a time
    (qpdf keeps about 1.6 KB per object)."""
    pdf = Pdf.open(io.BytesIO(data))
    try:
        for obj in pdf.objects:
            if isinstance(obj, Stream):
                raw = obj.read_raw_bytes()
                coding: Any = obj.get("/Filter"), obj.get("/DecodeParms")
                obj.write(raw, filter=coding[0], decode_parms=coding[1])
        yield pdf
    finally:
        pdf.close()


def _stamp(base: Pdf, folios: list[bytes], shift: float) -> None:
    """Move each page by the gutter shift and draw its folio page over it, as an artifact.
    The folio page becomes a form XObject whose box is the whole media box (a page's own
    form XObject, `as_form_xobject`, is clipped to the trim box: it would cut the crop marks)."""
    index = 0
    for data in folios:
        with _opened(data) as stamps:
            for folio in stamps.pages:
                page = base.pages[index]
                dx = shift if index % 2 == 0 else -shift  # index 0 is page 1, a right-hand page
                _own_resources(page, base.copy_foreign(_form(stamps, folio)))
                page.contents_add(Stream(base, f"q 1 0 0 1 {dx:.4f} 0 cm\n".encode()), prepend=True)
                page.contents_add(Stream(base, f"\nQ\n/Artifact BMC {FOLIO} Do EMC\n".encode()))
                _move_annotations(page, dx)
                index += 1
    if index != len(base.pages):  # pragma: no cover - the folios count the pages
        raise ValueError(f"{index} folios for {len(base.pages)} pages")


def _form(pdf: Pdf, page: Any) -> Stream:
    page.contents_coalesce()
    form = Stream(pdf, page.obj.Contents.read_bytes())
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = page.obj.MediaBox
    form.Resources = page.obj.get("/Resources", Dictionary())
    return form


FOLIO = "/XpcliFolio"


def _own_resources(page: Any, form: Any) -> None:
    """The page's resources with its folio added: a copy, since WeasyPrint shares one
    resources dictionary among the pages of a document."""
    resources = page.obj.get("/Resources", Dictionary())
    xobjects = Dictionary(dict(resources.get("/XObject", Dictionary()).items()))
    xobjects[FOLIO] = form
    own = Dictionary(dict(resources.items()))
    own.XObject = xobjects
    page.obj.Resources = own


def _move_annotations(page: Any, dx: float) -> None:
    for annot in page.obj.get("/Annots", []):
        if "/Rect" in annot:
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            annot.Rect = Array([x0 + dx, y0, x1 + dx, y1])


def _add_dests(base: Pdf, pdf: Pdf, own: set[str], dests: dict[str, Any]) -> None:
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    pairs = names.Dests.Names
    for i in range(0, len(pairs), 2):
        name = str(pairs[i])
        if name in own and name not in dests:
            dests[name] = pairs[i + 1] if pdf is base else _copy(base, pairs[i + 1])


class _Structure:
    """One StructTreeRoot whose Document's kids are the parts' documents, as Part elements."""

    def __init__(self, base: Pdf) -> None:
        self.base = base
        self.root = base.Root.get("/StructTreeRoot")
        self.nums: Any = Array()
        self.next_key = 0
        self.document: Any = None

    def add_base(self) -> None:
        if self.root is None:
            return
        part = self.root.K[0]
        self.document = self.base.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([part]), P=self.root)
        )
        part.S = Name.Part
        part.P = self.document
        self.root.K = Array([self.document])
        self.nums = self.root.ParentTree.Nums
        self.next_key = _next_key(self.nums)

    def add(self, pdf: Pdf, offset: int) -> None:
        source = pdf.Root.get("/StructTreeRoot")
        if source is None or self.document is None:
            return
        shift = self.next_key
        for i in range(len(pdf.pages)):
            page = self.base.pages[offset + i]
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        part = source.K[0]
        del part["/P"]  # not copied: it becomes a Part of the joined Document
        part.S = Name.Part
        copied = self.base.copy_foreign(part)
        copied.P = self.document
        self.document.K.append(copied)
        # One copy of the whole number tree (its elements are the ones just copied): 0.3 s of
        # a 757-page join when each entry was copied on its own.
        nums = self.base.copy_foreign(pdf.make_indirect(source.ParentTree.Nums))
        for i in range(0, len(nums), 2):
            self.nums.append(int(nums[i]) + shift)
            self.nums.append(nums[i + 1])
        self.next_key = shift + _next_key(nums)


def _copy(base: Pdf, value: Any) -> Any:
    """Copy into `base`: an indirect object, a direct array (of them), or a scalar."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return base.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(base, item) for item in value])
    return value


def _next_key(nums: Any) -> int:
    return max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1


# ---------------------------------------------------------------- bookmarks

Bookmark = tuple[str, int, float, float, list[Any]]  # title, page index, left, top, children


def _read_outline(pdf: Pdf) -> list[Bookmark]:
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}

    def read(items: list[OutlineItem]) -> list[Bookmark]:
        found = []
        for item in items:
            dest = item.destination
            if isinstance(dest, Array) and len(dest) >= 4:
                page = pages.get(dest[0].objgen, 0)
                left, top = float(dest[2]), float(dest[3])
            else:  # pragma: no cover - WeasyPrint writes /XYZ destinations
                page, left, top = 0, 0.0, 0.0
            found.append((str(item.title), page, left, top, read(item.children)))
        return found

    with pdf.open_outline() as outline:
        return read(list(outline.root))


def _write_outline(
    base: Pdf, outlines: list[list[Bookmark]], counts: list[int], continued: list[bool]
) -> None:
    def make(bookmark: Bookmark, offset: int) -> OutlineItem:
        title, page, left, top, children = bookmark
        item = OutlineItem(title, page + offset, PageLocation.XYZ, left=left, top=top, zoom=0)
        item.children.extend(make(child, offset) for child in children)
        return item

    with base.open_outline() as outline:
        outline.root.clear()
        offset = 0
        for bookmarks, count, more in zip(outlines, counts, continued, strict=True):
            items = [make(b, offset) for b in bookmarks]
            if more and outline.root:
                outline.root[-1].children.extend(items)
            else:
                outline.root.extend(items)
            offset += count
    base.Root.PageMode = Name.UseOutlines


__all__ = ["join", "pikepdf"]
