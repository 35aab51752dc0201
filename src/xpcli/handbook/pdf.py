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
from collections.abc import Callable, Iterator
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
from xpcli.handbook.context import build_context
from xpcli.handbook.data import GuideGroup, Handbook, Part
from xpcli.handbook.paper import PAPERS
from xpcli.loader import read_confined
from xpcli.model import Catalog
from xpcli.outputs import HTML, PDF, check_file, write_file
from xpcli.resources import templates_dir

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


# ---------------------------------------------------------------- build

# Guides per part: a part is laid out by one process, so this bounds the memory of a process
# (WeasyPrint keeps every box of a document: about 4.5 MB per guide) whatever the book's size.
GUIDES_PER_PART = 40
EVENTS_PER_PART = 16

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
    usable cores, at most 2 parts at a time) and joined (`merge.join`); the output does not
    depend on `workers`."""
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
    book = build_context(catalog, paper, options.all_matters, options.bleed_mm)
    dirs = template_dirs(catalog)
    parts = plan_parts(book)
    laid = _lay_out(book, parts, dirs, options.pad, workers or _cores(), report)
    report("join", 0, 1)
    from xpcli.handbook.merge import join

    pdf = join([p.pdf for p in laid], [p.anchors for p in laid], [p.part.continued for p in laid])
    report("write", 0, 1)
    write_file(output, pdf, PDF, keep)
    if html is not None:
        whole = Part(
            sections=tuple(s for p in laid for s in p.part.sections),
            events=book.events,
            guide_groups=book.guide_groups,
            pages=laid[0].part.pages,
            notes=sum(p.part.notes for p in laid),
        )
        markup = render_html(book, dirs, whole).encode("utf-8")
        write_file(Path(html), markup, HTML, keep)
    pages = sum(p.pages for p in laid)
    return BuildResult(output, pages, tuple(w for p in laid for w in p.warnings))


def _cores() -> int:
    try:
        return max(1, min(2, len(os.sched_getaffinity(0))))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, min(2, os.cpu_count() or 1))


def plan_parts(book: Handbook) -> list[Part]:
    """The parts of the book, in order: the front (cover, how to use, contents, trees), the
    notices, the guides (whole departments, at most GUIDES_PER_PART guides a part unless one
    department has more), the directory. The plan depends on the book only, never on the
    number of processes, so every build of a catalog is the same."""
    parts = [Part(("cover", "howto", "toc", "trees"))]
    for start in range(0, len(book.events), EVENTS_PER_PART):
        chunk = book.events[start : start + EVENTS_PER_PART]
        parts.append(Part(("notices",), events=chunk, continued=start > 0))
    chunk_groups: list[GuideGroup] = []
    size = 0
    for group in book.guide_groups:
        matters, continued = group.matters, False
        while matters:
            if size and size + len(matters) > GUIDES_PER_PART:
                parts.append(_guides_part(chunk_groups, len(parts)))
                chunk_groups, size = [], 0
            take = matters[: GUIDES_PER_PART - size]
            chunk_groups.append(GuideGroup(group.department, take, continued))
            size += len(take)
            matters, continued = matters[len(take) :], True
    if chunk_groups:
        parts.append(_guides_part(chunk_groups, len(parts)))
    parts.append(Part(("windows", "directory")))
    return parts


def _guides_part(groups: list[GuideGroup], index: int) -> Part:
    first = not any(g.continued for g in groups[:1]) and index == 0
    return Part(("guides",), guide_groups=tuple(groups), continued=not first)


@dataclass(frozen=True, slots=True)
class _Laid:
    part: Part
    pages: int
    pdf: bytes
    warnings: tuple[str, ...]
    anchors: set[str]


def _lay_out(
    book: Handbook, parts: list[Part], dirs: list[Path], pad: int, workers: int, report: Progress
) -> list[_Laid]:
    """Lay out every part with its true first page number.

    The front's contents need every part's page numbers, and every part's numbers follow the
    front: the front is counted first with placeholder numbers, the parts are laid out in
    order (part k+1 starts when part k's page count is known, while part k is drawn), and the
    front is laid out again with the numbers (same page count: the numbers only fill lines)."""
    _mark_first_guides(parts)
    placeholder = {a: 888 for a in _anchors(book)}
    front = replace(parts[0], pages=placeholder)
    body = parts[1:]
    with _Runner(workers, dirs) as runner:
        front_pages, front_anchors = runner.count(render_html(book, dirs, front))
        first_page = front_pages + 1
        jobs: list[tuple[Part, str]] = []
        anchors: dict[str, int] = {}
        counts: list[int] = []
        for k, part in enumerate(body):
            part = replace(part, first_page=first_page)
            jobs.append((part, render_html(book, dirs, part)))
            pages, found = runner.submit(k, jobs[-1][1])
            counts.append(pages)
            anchors.update({a: first_page + i for a, i in found.items()})
            first_page += pages
            report("layout", k + 1, len(body) + 2)
        notes = (-(first_page - 1)) % max(1, pad)
        if notes:
            notes_part = Part(("notes",), first_page=first_page, notes=notes)
            jobs.append((notes_part, render_html(book, dirs, notes_part)))
            counts.append(runner.submit(len(body), jobs[-1][1])[0])
        anchors.update({a: 1 + i for a, i in front_anchors.items()})
        front = replace(parts[0], pages=anchors)
        front_job = render_html(book, dirs, front)
        front_done = runner.render_now(front_job)
        results = runner.results()
    if front_done.pages != front_pages:  # pragma: no cover - a number widened a line
        raise XpcliError("handbook-empty-pdf")
    report("layout", len(body) + 2, len(body) + 2)
    laid = [_Laid(front, *_fields(front_done))]
    for (part, _), done in zip(jobs, results, strict=True):
        laid.append(_Laid(part, *_fields(done)))
    return laid


def _fields(done: _Done) -> tuple[int, bytes, tuple[str, ...], set[str]]:
    return done.pages, done.pdf, done.warnings, done.anchors


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


@dataclass(frozen=True, slots=True)
class _Done:
    pages: int
    pdf: bytes
    warnings: tuple[str, ...]
    anchors: set[str]


class _Runner:
    """Lays out parts one after the other (each needs the page count of the one before) and
    draws them while the next is laid out: with `workers` > 1, part k goes to worker k % 2,
    each a process with its own pipe (no shared queue, no pool threads)."""

    def __init__(self, workers: int, dirs: list[Path]) -> None:
        self.workers = workers
        self.dirs = dirs
        self.pending: list[Any] = []  # per part: a _Done, or the worker that has it
        self.procs: list[Any] = []
        self.conns: list[Any] = []
        self.busy: list[int] = []  # per worker: parts sent and not yet collected

    def __enter__(self) -> _Runner:
        _init_worker(None, self.dirs)
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
                self.busy.append(0)
        return self

    def __exit__(self, *exc: object) -> None:
        for conn in self.conns:
            with contextlib.suppress(OSError):  # a worker that is gone
                conn.send(None)
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():  # pragma: no cover
                proc.terminate()
                proc.join()

    def count(self, markup: str) -> tuple[int, dict[str, int]]:
        """Pages and anchors (page index) of a document, laid out here and not drawn."""
        document = _layout(markup, self.dirs)[0]
        return len(document.pages), _anchor_pages(document)

    def submit(self, key: int, markup: str) -> tuple[int, dict[str, int]]:
        """Lay out and draw `markup`; returns its page count and anchors (page index in the
        part) as soon as it is laid out, while it is drawn."""
        if not self.conns:
            done, found = _render(markup, key)
            self.pending.append(done)
            return done.pages, found
        worker = key % len(self.conns)
        self._collect(worker)  # its previous part is drawn before it takes this one
        self.conns[worker].send((key, markup))
        self.busy[worker] += 1
        self.pending.append(worker)
        pages, found = _receive(self.conns[worker])
        return pages, found

    def _collect(self, worker: int) -> None:
        while self.busy[worker]:
            done = _receive(self.conns[worker])
            index = self.pending.index(worker)
            self.pending[index] = done
            self.busy[worker] -= 1

    def render_now(self, markup: str) -> _Done:
        return _render(markup, -1)[0]

    def results(self) -> list[_Done]:
        for worker in range(len(self.conns)):
            self._collect(worker)
        return list(self.pending)


def _receive(conn: Any) -> Any:
    kind, value = conn.recv()
    if kind == "error":
        raise value
    return value


def _serve(conn: Any, dirs: list[Path]) -> None:
    """A worker: for each (key, markup), send its page count and anchors once laid out, then
    its drawn PDF; None ends it."""
    _init_worker(None, dirs)
    while (job := conn.recv()) is not None:
        key, markup = job
        try:
            done, _ = _render(markup, key, lambda pages, found: conn.send(("laid", (pages, found))))
            conn.send(("done", done))
        except BaseException as exc:  # sent to the main process, which raises it
            conn.send(("error", exc))


_WORKER: dict[str, Any] = {}
_RENDERED: set[bool] = set()  # {True} once WeasyPrint has laid out a document in this process


def _init_worker(queue: Any, dirs: list[Path]) -> None:
    _WORKER["queue"] = queue
    _WORKER["dirs"] = dirs


def _load_weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # Pango missing raises OSError
        raise XpcliError("handbook-no-weasyprint", problem=str(exc), command=INSTALL_PANGO) from exc
    return weasyprint


def _layout(markup: str, dirs: list[Path]) -> tuple[Any, tuple[str, ...], Any]:
    weasyprint = _load_weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher_class()(dirs)
    base_url = dirs[-1].as_uri() + "/"
    _RENDERED.add(True)
    try:
        with _capture_weasyprint() as log:
            document = weasyprint.HTML(
                string=markup, base_url=base_url, url_fetcher=fetcher
            ).render(**PDF_OPTIONS)
    except FatalURLFetchingError as exc:
        raise _outside(exc) from None
    _check_refused(fetcher)
    return document, tuple(log.warnings), fetcher


def _outside(exc: Exception) -> XpcliError:
    cause = exc.__cause__
    detail = f"{exc} ({cause})" if cause else str(exc)
    return XpcliError("handbook-outside-resource", problem=detail)


def _check_refused(fetcher: Any) -> None:
    if fetcher.refused:  # inside an SVG image: WeasyPrint only warned
        raise XpcliError("handbook-outside-resource", problem=fetcher.refused[0])


def _render(
    markup: str, key: int, announce: Callable[[int, dict[str, int]], None] | None = None
) -> tuple[_Done, dict[str, int]]:
    """Lay out, announce the page count and anchors, draw: one part's PDF."""
    document, warnings, fetcher = _layout(markup, _WORKER["dirs"])
    found = _anchor_pages(document)
    if announce is not None:
        announce(len(document.pages), found)
    # Links to other parts: give them a named destination here, so WeasyPrint keeps them; the
    # join keeps each name's destination from the part that has it.
    foreign = {
        target
        for page in document.pages
        for kind, target, _, _ in page.links
        if kind == "internal" and target not in found
    }
    if document.pages:
        for target in sorted(foreign):
            document.pages[0].anchors[target] = (0, 0, 0, 0)
    from weasyprint.urls import FatalURLFetchingError

    try:
        with _capture_weasyprint() as log, _cached_page_references():
            pdf = document.write_pdf(**PDF_OPTIONS)  # attachments are fetched here
    except FatalURLFetchingError as exc:
        raise _outside(exc) from None
    _check_refused(fetcher)
    if not pdf:  # pragma: no cover
        raise XpcliError("handbook-empty-pdf")
    done = _Done(len(document.pages), pdf, (*warnings, *log.warnings), set(found))
    return done, found


def _anchor_pages(document: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    return found


__all__ = ["BuildResult", "PrintOptions", "build", "check_fonts", "cjk_fonts", "render_html"]
