"""Render the handbook: Jinja2 (sandboxed, autoescaped, strict) → HTML → WeasyPrint → PDF.

Safety: WeasyPrint fetches through a restricted `URLFetcher` that allows `data:` URLs and files
inside the template folders only; anything else (network, `file:///etc/...`) stops the build.
The book is laid out in parts, by two processes where two cores are free, and joined
(`merge.join`); output is rendered to bytes and written atomically by xpcli.outputs. The core
never prints: progress goes to a callback, WeasyPrint's warnings are returned in the
`BuildResult`.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from xpcli.diagnostics import Diagnostic
from xpcli.errors import XpcliError
from xpcli.handbook.context import build_context, printed_urls
from xpcli.handbook.data import GuideGroup, Handbook, Part
from xpcli.handbook.paper import PAPERS
from xpcli.handbook.qr import QrSymbol, known, make_many
from xpcli.loader import read_confined
from xpcli.model import Catalog
from xpcli.outputs import HTML, PDF, check_file, write_file
from xpcli.resources import templates_dir
from xpcli.shares import usable_cores

INSTALL_FONTS = "apt-get install fonts-noto-cjk libharfbuzz-subset0"
INSTALL_PANGO = "pip install weasyprint; apt-get install libpango-1.0-0 libpangoft2-1.0-0"
MAIN_TEMPLATE = "handbook.html.j2"
WHOLE_BOOK = ("cover", "howto", "toc", "trees", "notices", "guides", "windows", "directory")
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint 70 only fills options left at None from the variant, and pdf_tags defaults to
# False: ask for the tags explicitly.
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}


# ---------------------------------------------------------------- fonts


def cjk_fonts() -> list[str]:
    """Font families fontconfig offers for Chinese (`fc-list :lang=zh family`)."""
    return list(_cjk_fonts())


@lru_cache(maxsize=1)
def _cjk_fonts() -> tuple[str, ...]:
    try:
        done = subprocess.run(
            ["fc-list", ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    if done.returncode != 0:
        return ()
    return tuple(sorted({line.strip() for line in done.stdout.splitlines() if line.strip()}))


def check_fonts() -> None:
    if not cjk_fonts():
        raise XpcliError("handbook-no-cjk-font", command=INSTALL_FONTS)


# ---------------------------------------------------------------- templates


def template_dirs(catalog: Catalog) -> list[Path]:
    """The catalog's own `templates/` folder (if any) first, then the package's defaults.
    A `templates` symlink whose real path leaves the catalog (`templates -> ..`, which would
    let a template print `.git/config`) is refused, not followed."""
    dirs = []
    root = Path(catalog.root).resolve()
    own = Path(catalog.root) / "templates"
    if own.is_dir():
        real = own.resolve()
        if not real.is_relative_to(root):
            raise XpcliError("handbook-templates-outside", path=own, target=real)
        dirs.append(real)
    dirs.append(templates_dir("handbook"))
    return dirs


class _ConfinedLoader(jinja2.BaseLoader):
    """Templates of one folder: only regular files whose real path is inside it, read like
    catalog files (never a FIFO or a device, at most 5 MiB: xpcli.loader.read_confined)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.root.joinpath(*split_template_path(template))  # refuses ".." itself
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        raw = read_confined(path, template, self.root)
        if isinstance(raw, Diagnostic):
            raise XpcliError("handbook-template-refused", name=template, folder=self.root)
        return raw.decode("utf-8", errors="replace"), str(path), lambda: True


def environment(dirs: list[Path]) -> jinja2.Environment:
    return ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader([_ConfinedLoader(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(context: Handbook, dirs: list[Path], part: Part | None = None) -> str:
    """The HTML of one part of the book (`part.sections`, with its first page number); without
    a part, of the whole book in one document (the contents without page numbers)."""
    if part is None:
        part = Part(WHOLE_BOOK, events=context.events, guide_groups=context.guide_groups)
    from xpcli.handbook.bounded import bounded, join_limited  # a runaway template: exit 2

    env = environment(dirs)
    try:
        with bounded():
            template = env.get_template(MAIN_TEMPLATE)
            return join_limited(template.generate(book=context, paper=context.paper, part=part))
    except jinja2.TemplateNotFound as exc:
        raise XpcliError("handbook-template-missing", name=exc.name) from exc
    except jinja2.TemplateError as exc:
        filename = getattr(exc, "filename", None)  # set on TemplateSyntaxError only
        where = f"{filename}:{getattr(exc, 'lineno', '?')}" if filename else "?"
        raise XpcliError("handbook-template-error", where=where, problem=str(exc)) from exc


# ---------------------------------------------------------------- fetching


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """data: URLs, and files inside the template folders; nothing else."""

        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols={"data"}, fail_on_errors=True, timeout=1)
            self.roots = roots
            # WeasyPrint swallows a failed fetch inside an SVG image (a warning, the image
            # dropped): every refusal is remembered here and fails the build afterwards.
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                found = self._template_file(Path(os.path.normpath(unquote(parts.path))))
                if found is not None:
                    return found
            try:
                return super().fetch(url, headers)
            except Exception:
                self.refused.append(url)
                raise

        def _template_file(self, path: Path) -> object:
            """The file of that name in the first template folder that has it (the catalog's
            templates win by name), read under the loader's confinement."""
            for root in self.roots:
                if path.is_relative_to(root):
                    relative = path.relative_to(root)
                    for candidate_root in self.roots:
                        candidate = candidate_root / relative
                        if not os.path.lexists(candidate):
                            continue
                        raw = read_confined(candidate, relative.as_posix(), candidate_root)
                        if isinstance(raw, Diagnostic):
                            return None
                        kind = mimetypes.guess_type(candidate.name)[0]
                        return URLFetcherResponse(
                            candidate.as_uri(),
                            raw,
                            {"Content-Type": kind or "application/octet-stream"},
                        )
            return None

    return Fetcher


# ---------------------------------------------------------------- WeasyPrint's log


class _WeasyLog(logging.Handler):
    """Collects WeasyPrint's warnings (returned to the caller, who prints them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # pragma: no cover
            message = str(record.msg)
        self.warnings.append(message)


@contextmanager
def _capture_weasyprint() -> Iterator[_WeasyLog]:
    handler = _WeasyLog()
    main = logging.getLogger("weasyprint")
    saved = main.propagate
    main.addHandler(handler)
    main.propagate = False
    try:
        yield handler
    finally:
        main.removeHandler(handler)
        main.propagate = saved


@contextmanager
def _cached_page_references() -> Iterator[None]:
    """pydyf's `PDF.page_references` builds a tuple of every page's reference on each call,
    and WeasyPrint's tagging (pdf/ua-1) calls it once per structure element: quadratic, about
    3 s of 7 s when writing a 175-page tagged book. While we write, cache it by page count
    (pages are only ever appended); the output is byte-identical."""
    try:
        import pydyf
    except ImportError:  # pragma: no cover
        yield
        return
    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is None:  # pragma: no cover
        yield
        return
    getter = original.fget

    def cached(pdf: Any) -> Any:
        count = len(pdf.pages["Kids"])
        cache = pdf.__dict__.get("_xpcli_page_references")
        if cache is None or cache[0] != count:
            cache = (count, getter(pdf))
            pdf.__dict__["_xpcli_page_references"] = cache
        return cache[1]

    pydyf.PDF.page_references = property(cached)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


_NOT_COPIED = b""  # a font's file content, until something needs the whole file


@contextmanager
def _font_files_on_demand() -> Iterator[None]:
    """WeasyPrint copies each font's whole file into Python when the font is first drawn
    (Noto CJK: 18-26 MB each, 88 MB for the four a part uses), then replaces the copy by the
    subset harfbuzz makes from the font itself; a worker drawing a two-page part peaked at
    271 MB. While a part is drawn, a font's file content is read from the font only when
    something reads it before (or instead of) the subset: the output is the same bytes."""
    try:
        from weasyprint.pdf import fonts
    except ImportError:  # pragma: no cover
        yield
        return
    font_class: Any = fonts.Font
    real = fonts.get_hb_object_data
    original_init = font_class.__init__

    def not_copied(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        if ot_color is None and glyph is None:
            return _NOT_COPIED
        return real(hb_object, ot_color, glyph)  # pragma: no cover - colour fonts

    def init(self: Any, *args: Any) -> None:
        fonts.get_hb_object_data = not_copied  # only Font.__init__ reads the whole file
        try:
            original_init(self, *args)
        finally:
            fonts.get_hb_object_data = real

    def content(self: Any) -> bytes:
        found: bytes = self.__dict__["_xpcli_file_content"]
        if found is _NOT_COPIED:  # read before a subset replaced it: the whole file
            found = self.__dict__["_xpcli_file_content"] = real(self.hb_face)
        return found

    def set_content(self: Any, value: bytes) -> None:
        self.__dict__["_xpcli_file_content"] = value

    font_class.__init__ = init
    font_class.file_content = property(content, set_content)
    try:
        yield
    finally:
        font_class.__init__ = original_init
        del font_class.file_content


# ---------------------------------------------------------------- build

# Guides per part: a part is laid out by one process, so this bounds the memory of a process
# (WeasyPrint keeps every box of a document: 387 MB at most for 64 guides or 24 notices)
# whatever the book's size. Each part costs 0.1-0.3 s of its own (fonts, styles) and ends a
# page, so a large book has large parts (parts filled across departments: a 2,000-matter book
# had 78 parts of guides when each held whole departments, 32 now).
GUIDES_PER_PART = 64
EVENTS_PER_PART = 24
# A section (notices, guides) of a small book is cut into this many parts.
PARTS_PER_SECTION = 8
# The contents' numbers before the real ones are known (they print in a fixed-width column,
# so the placeholder layout has the page count of the real one).
PLACEHOLDER_PAGE = 888
# Below this many QR codes the workers do not make them: sending them back costs more.
QR_SHARE = 200
# Folios (page numbers, crop marks) per part: 3,400 empty pages took 17 s in one document.
FOLIOS_PER_PART = 400

Progress = Callable[[str, int, int], None]  # (stage, done, total): "layout" counts parts


@dataclass(frozen=True, slots=True)
class PrintOptions:
    paper: str = "A5"
    bleed_mm: float = 0.0  # bleed around the trim box, with crop marks, when > 0
    pad: int = 1  # notes pages at the end so the page count is a multiple of this
    all_matters: bool = False  # every active matter's guide (a county's guide book)


@dataclass(frozen=True, slots=True)
class BuildResult:
    output: Path
    pages: int
    warnings: tuple[str, ...]  # WeasyPrint's, for the caller to print


def build(
    catalog: Catalog,
    output: Path | str = Path("dist/handbook.pdf"),
    html: Path | str | None = None,
    options: PrintOptions = PrintOptions(),
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildResult:
    """Build the handbook PDF of a valid catalog (and its HTML when `html` is given).

    The book is laid out in parts (`plan_parts`) by up to `workers` processes (default: the
    usable cores, at most 2) and joined (`merge.join`); the output does not depend on
    `workers`."""
    report = progress or (lambda stage, done, total: None)
    output = Path(output)
    paper = options.paper.upper()
    if paper not in PAPERS:
        raise XpcliError("handbook-bad-paper", paper=paper)
    # Refuse a bad output before a render of many seconds: a folder, a link, a file that is
    # not a PDF (or HTML) already, anything inside the catalog.
    keep = (Path(catalog.root),)
    check_file(output, PDF, keep)
    if html is not None:
        check_file(Path(html), HTML, keep)
    report("fonts", 0, 1)
    check_fonts()
    report("data", 0, 1)
    dirs = template_dirs(catalog)
    with _Runner(workers or _cores(), dirs, report) as runner:
        with known(runner.qr(printed_urls(catalog, options.all_matters))):
            book = build_context(catalog, paper, options.all_matters, options.bleed_mm)
        laid, folios = _lay_out(book, plan_parts(book), dirs, options.pad, runner)
    report("join", 0, 1)
    from xpcli.handbook.merge import join

    pdf = join(
        [p.done.pdf for p in laid],
        [set(p.done.anchors) for p in laid],
        [p.part.continued for p in laid],
        [f.pdf for f in folios],
        book.paper.gutter_shift_pt,
    )
    report("write", 0, 1)
    write_file(output, pdf, PDF, keep)
    if html is not None:
        whole = Part(
            sections=tuple(dict.fromkeys(s for p in laid for s in p.part.sections)),
            events=book.events,
            guide_groups=book.guide_groups,
            pages=next(p.part.pages for p in laid if "toc" in p.part.sections),
            notes=sum(p.part.notes for p in laid),
        )
        markup = render_html(book, dirs, whole).encode("utf-8")
        write_file(Path(html), markup, HTML, keep)
    pages = sum(p.done.pages for p in laid)
    warnings = tuple(w for done in (*(p.done for p in laid), *folios) for w in done.warnings)
    return BuildResult(output, pages, warnings)


def _cores() -> int:
    return max(1, min(2, usable_cores()))


def plan_parts(book: Handbook) -> list[Part]:
    """The parts of the book, in order: the front (cover and how to use; the contents; the
    trees), the notices and the guides (at most EVENTS_PER_PART and GUIDES_PER_PART a part,
    fewer in a small book: `_part_size`; a department continues in the next part where it does
    not fit), the directory. The plan depends on the book only, never
    on the number of processes, so every build of a catalog is the same."""
    parts = [Part(("cover", "howto")), Part(("toc",))]
    if book.trees:
        parts.append(Part(("trees",)))
    per_part = _part_size(len(book.events), EVENTS_PER_PART, 3)
    for start in range(0, len(book.events), per_part):
        chunk = book.events[start : start + per_part]
        parts.append(Part(("notices",), events=chunk, continued=start > 0))
    per_part = _part_size(len(book.matters), GUIDES_PER_PART, 12)
    chunk_groups: list[GuideGroup] = []
    size = 0
    for group in book.guide_groups:
        matters, continued = group.matters, False
        while matters:
            take = matters[: per_part - size]
            chunk_groups.append(GuideGroup(group.department, take, continued))
            size += len(take)
            matters, continued = matters[len(take) :], True
            if size == per_part:
                parts.append(Part(("guides",), guide_groups=tuple(chunk_groups), continued=True))
                chunk_groups, size = [], 0
    if chunk_groups:
        parts.append(Part(("guides",), guide_groups=tuple(chunk_groups), continued=True))
    parts.append(Part(("windows", "directory")))
    _mark_first_guides(parts)
    return parts


@dataclass(frozen=True, slots=True)
class _Done:
    """One laid out and drawn part: its pages, its PDF, WeasyPrint's warnings, the page index
    (in the part) of each anchor it has, and each page's named page ("cover", "tree", "")."""

    pages: int
    pdf: bytes
    warnings: tuple[str, ...]
    anchors: dict[str, int]
    page_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Laid:
    part: Part
    done: _Done


def _lay_out(
    book: Handbook, parts: list[Part], dirs: list[Path], pad: int, runner: _Runner
) -> tuple[list[_Laid], list[_Done]]:
    """Lay out and draw every part, on the runner's processes at once, and the folios.

    No part depends on another: page numbers are not printed by the parts but stamped on
    the joined book from the folio document (`merge.join`), and the parts are laid out with
    the same margins on left and right pages (the join shifts each page towards its outer
    edge). Only the contents needs the other parts' page numbers: it is laid out with
    placeholder numbers beside the others, then again with the real ones (in a fixed-width
    column: the same lines, so the same page count, else once more), beside the notes pages
    and the folios."""
    toc = next(k for k, part in enumerate(parts) if "toc" in part.sections)
    first = list(parts)
    first[toc] = replace(parts[toc], pages=dict.fromkeys(_anchors(book), PLACEHOLDER_PAGE))
    runner.total = len(parts) + 2  # and then the notes and folios parts
    # The contents first: in a county's book it is the longest part.
    order = [toc, *(k for k in range(len(parts)) if k != toc)]
    drawn = runner.run((render_html(book, dirs, first[k]), True, _prefix(k)) for k in order)
    done = dict(zip(order, drawn, strict=True))
    # The contents' numbers follow its own page count: counted with placeholders, checked
    # with the real numbers (a fixed-width column: the same lines), and laid out again
    # should the count differ all the same.
    for _ in range(3):
        starts = _first_pages([done[k].pages for k in range(len(parts))])
        pages = {
            anchor: starts[k] + index
            for k in range(len(parts))
            for anchor, index in done[k].anchors.items()
        }
        final = replace(parts[toc], pages=pages)
        last = starts[-1] + done[len(parts) - 1].pages - 1
        notes = (-last) % max(1, pad)
        names = [name for k in range(len(parts)) for name in done[k].page_names]
        jobs = [final]
        if notes:
            jobs.append(Part(("notes",), notes=notes))
        folios = _folio_parts((*names, *[""] * notes))
        runner.total = runner.finished + len(jobs) + len(folios)
        keys = [toc, len(parts)][: len(jobs)] + [0] * len(folios)  # where each goes in the book
        results = runner.run(
            (render_html(book, dirs, job), job not in folios, _prefix(key))
            for job, key in zip((*jobs, *folios), keys, strict=True)
        )
        if results[0].pages == done[toc].pages:
            break
        done[toc] = results[0]
    else:  # pragma: no cover - three counts in a row that differ
        raise XpcliError("handbook-contents-unstable")
    done[toc] = results[0]
    parts[toc] = final
    laid = [_Laid(part, done[k]) for k, part in enumerate(parts)]
    if notes:
        laid.append(_Laid(jobs[1], results[1]))
    return laid, results[len(jobs) :]


def _prefix(k: int) -> str:
    """Part k's prefix for its table header ids, unique within a part only."""
    return f"p{k}-" if k else ""


def _folio_parts(names: tuple[str, ...]) -> list[Part]:
    """The folios in parts of FOLIOS_PER_PART pages, so that both cores share them."""
    return [
        Part(("folios",), folios=names[start : start + FOLIOS_PER_PART], first_page=start + 1)
        for start in range(0, len(names), FOLIOS_PER_PART)
    ]


def _part_size(count: int, largest: int, smallest: int) -> int:
    """Items a part: a small book is cut into parts of at least `smallest` so that both
    workers have work and each holds less (the default book: 599 MB in all with parts of 48
    guides and 16 notices, 500 MB with 12 and 3, the same time); a large one into parts of
    `largest`, each part costing 0.1-0.3 s of its own."""
    return max(smallest, min(largest, -(-count // PARTS_PER_SECTION)))


def _first_pages(counts: list[int]) -> list[int]:
    """The printed number of each part's first page."""
    starts, page = [], 1
    for count in counts:
        starts.append(page)
        page += count
    return starts


def _mark_first_guides(parts: list[Part]) -> None:
    """The first guides part prints the section title (not continued)."""
    for i, part in enumerate(parts):
        if "guides" in part.sections:
            parts[i] = replace(part, continued=False)
            return


def _anchors(book: Handbook) -> list[str]:
    return [
        "howto",
        "directory",
        *(t.anchor for t in book.trees),
        *(e.anchor for e in book.events),
        *(m.anchor for m in book.matters),
    ]


# ---------------------------------------------------------------- laying out parts


class _Runner:
    """Lays out and draws documents on `workers` processes, each with its own pipe (no shared
    queue, no pool threads): a document goes to the first worker that is free. With one
    worker, documents are drawn here, in order."""

    def __init__(self, workers: int, dirs: list[Path], progress: Progress) -> None:
        self.workers = workers
        self.dirs = dirs
        self.progress = progress
        self.finished = 0
        self.total = 0  # documents to lay out, for the progress report
        self.procs: list[Any] = []
        self.conns: list[Any] = []

    def __enter__(self) -> _Runner:
        _init_worker(self.dirs)
        if self.workers > 1:
            import multiprocessing

            # Fork, the cheapest start, only while this process has never rendered: once
            # WeasyPrint has rendered here, Pango's own threads may hold locks that a forked
            # child would wait on. Then the workers come from a forkserver (a fresh process
            # that imports WeasyPrint once; several seconds).
            if _RENDERED:
                context: Any = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["weasyprint"])
            else:
                _load_weasyprint()  # before the fork: the workers inherit it
                context = multiprocessing.get_context("fork")
            for _ in range(self.workers):
                mine, theirs = context.Pipe()
                proc = context.Process(target=_serve, args=(theirs, self.dirs), daemon=True)
                proc.start()
                theirs.close()
                self.procs.append(proc)
                self.conns.append(mine)
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:  # a worker may be busy with a part nobody will read
            for proc in self.procs:
                proc.terminate()
        for conn in self.conns:
            with contextlib.suppress(OSError):  # a worker that is gone
                conn.send(None)
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():  # pragma: no cover
                proc.terminate()
                proc.join()

    def qr(self, urls: list[str]) -> list[QrSymbol]:
        """The QR symbols of `urls`, made by the workers (a share each) while this process
        reads nothing else."""
        if len(urls) < QR_SHARE or not self.conns:
            return []
        share = -(-len(urls) // len(self.conns))
        shares = [urls[i : i + share] for i in range(0, len(urls), share)]
        return [s for done in self._map((("qr", chunk) for chunk in shares), len) for s in done]

    def run(self, jobs: Iterable[tuple[str, bool, str]]) -> list[_Done]:
        """Each (markup, tagged, prefix) laid out and drawn, in the order given. A job's
        markup is made (`jobs` is iterated) only when a worker is free to take it."""
        if not self.conns:
            return [self._finish(_render(*job)) for job in jobs]
        return self._map((("render", job) for job in jobs), self._finish)

    def _map(self, jobs: Iterable[tuple[str, Any]], answered: Callable[[Any], object]) -> list[Any]:
        """The workers' answers to `jobs`, in order; `answered` is called on each as it
        comes."""
        from multiprocessing.connection import wait

        pending = enumerate(jobs)
        results: dict[int, Any] = {}
        busy: dict[Any, int] = {}  # worker's pipe -> index of the job it draws
        idle = list(self.conns)
        while True:
            while idle and (job := next(pending, None)) is not None:
                index, work = job
                conn = idle.pop(0)
                try:
                    conn.send(work)
                except OSError as exc:  # a worker killed between two parts
                    raise XpcliError("handbook-worker-gone") from exc
                busy[conn] = index
            if not busy:
                return [results[i] for i in range(len(results))]
            for conn in wait(list(busy)):
                results[busy.pop(conn)] = answer = _receive(conn)
                answered(answer)
                idle.append(conn)

    def _finish(self, done: _Done) -> _Done:
        self.finished += 1
        self.progress("layout", self.finished, max(self.total, self.finished))
        return done


def _receive(conn: Any) -> Any:
    try:
        kind, value = conn.recv()
    except (EOFError, OSError) as exc:  # the worker was killed (the OOM killer, a signal)
        raise XpcliError("handbook-worker-gone") from exc
    if kind == "error":
        raise value
    return value


def _serve(conn: Any, dirs: list[Path]) -> None:
    """A worker: for each ("render", (markup, tagged, prefix)), send back the drawn part;
    for each ("qr", urls), their symbols; None ends it."""
    _init_worker(dirs)
    while (job := conn.recv()) is not None:
        kind, work = job
        try:
            conn.send(("done", _render(*work) if kind == "render" else make_many(work)))
        except BaseException as exc:  # sent to the main process, which raises it
            conn.send(("error", exc))


_WORKER: dict[str, Any] = {}
_RENDERED: set[bool] = set()  # {True} once WeasyPrint has laid out a document in this process


def _init_worker(dirs: list[Path]) -> None:
    _WORKER["dirs"] = dirs


def _load_weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # Pango missing raises OSError
        raise XpcliError("handbook-no-weasyprint", problem=str(exc), command=INSTALL_PANGO) from exc
    return weasyprint


def _outside(exc: Exception) -> XpcliError:
    cause = exc.__cause__
    detail = f"{exc} ({cause})" if cause else str(exc)
    return XpcliError("handbook-outside-resource", problem=detail)


def _check_refused(fetcher: Any) -> None:
    if fetcher.refused:  # inside an SVG image: WeasyPrint only warned
        raise XpcliError("handbook-outside-resource", problem=fetcher.refused[0])


def _render(markup: str, tagged: bool = True, prefix: str = "") -> _Done:
    """Lay out and draw one part: a tagged pdf/ua-1 PDF, or (the folios, which the join
    stamps on the pages as artifacts) an untagged one."""
    weasyprint = _load_weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    dirs = _WORKER["dirs"]
    fetcher = _fetcher_class()(dirs)
    options = PDF_OPTIONS if tagged else {}
    _RENDERED.add(True)
    try:
        with _capture_weasyprint() as log:
            document = weasyprint.HTML(
                string=markup, base_url=dirs[-1].as_uri() + "/", url_fetcher=fetcher
            ).render(**options)
            _check_refused(fetcher)
            found = _anchor_pages(document)
            _name_foreign_targets(document, found)
            with _cached_page_references(), _font_files_on_demand():
                pdf = document.write_pdf(**options)  # attachments are fetched here
    except FatalURLFetchingError as exc:
        raise _outside(exc) from None
    _check_refused(fetcher)
    if not pdf:  # pragma: no cover
        raise XpcliError("handbook-empty-pdf")
    names = tuple(page._page_box.page_type.name or "" for page in document.pages)
    if tagged:
        from xpcli.handbook.tags import compact

        pdf = compact(pdf, prefix)  # half the objects the join holds in memory
    return _Done(len(document.pages), pdf, tuple(log.warnings), found, names)


def _name_foreign_targets(document: Any, found: dict[str, int]) -> None:
    """Links to other parts: give them a named destination here, so WeasyPrint keeps them;
    the join keeps each name's destination from the part that has it."""
    foreign = {
        target
        for page in document.pages
        for kind, target, _, _ in page.links
        if kind == "internal" and target not in found
    }
    if document.pages:
        for target in sorted(foreign):
            document.pages[0].anchors[target] = (0, 0, 0, 0)


def _anchor_pages(document: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    return found


__all__ = ["BuildResult", "PrintOptions", "build", "check_fonts", "cjk_fonts", "render_html"]
