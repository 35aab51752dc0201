"""Render the handbook: Jinja2 (sandboxed, autoescaped, strict) → HTML → WeasyPrint → PDF.

Safety: WeasyPrint fetches through a restricted `URLFetcher` that allows `data:` URLs and files
inside the template folders only; anything else (network, `file:///etc/...`) stops the build.
Output is rendered to bytes and written atomically by xpcli.outputs.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from xpcli.diagnostics import Diagnostic
from xpcli.errors import XpcliError
from xpcli.handbook.context import PAPERS, Handbook, build_context
from xpcli.loader import read_confined
from xpcli.model import Catalog
from xpcli.outputs import check_file, write_file
from xpcli.resources import templates_dir

INSTALL_FONTS = "apt-get install fonts-noto-cjk libharfbuzz-subset0"
INSTALL_PANGO = "pip install weasyprint; apt-get install libpango-1.0-0 libpangoft2-1.0-0"
MAIN_TEMPLATE = "handbook.html.j2"
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint 70 only fills options left at None from the variant, and pdf_tags defaults to
# False: ask for the tags explicitly.
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}


@dataclass(slots=True)
class BuildResult:
    output: Path
    pages: int
    size: int
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


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


def render_html(context: Handbook, dirs: list[Path]) -> str:
    from xpcli.handbook.bounded import bounded, join_limited  # a runaway template: exit 2

    env = environment(dirs)
    try:
        with bounded():
            template = env.get_template(MAIN_TEMPLATE)
            return join_limited(template.generate(book=context, paper=context.paper))
    except jinja2.TemplateNotFound as exc:
        raise XpcliError("handbook-template-missing", name=exc.name) from exc
    except jinja2.TemplateError as exc:
        filename = getattr(exc, "filename", None)  # set on TemplateSyntaxError only
        where = f"{filename}:{getattr(exc, 'lineno', '?')}" if filename else "?"
        raise XpcliError("handbook-template-error", where=where, problem=str(exc)) from exc


# ---------------------------------------------------------------- fetching


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """data: URLs, and files inside the template folders; nothing else."""

        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols={"data"}, fail_on_errors=True, timeout=1)
            self.roots = roots
            # WeasyPrint swallows a failed fetch inside an SVG image (a warning, the image
            # dropped): every refusal is remembered here and fails the build afterwards.
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
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


# ---------------------------------------------------------------- progress


class _Stages:
    """Stage timings, and a rich progress bar when the console is a terminal."""

    STAGES = ("检查字体", "整理数据与二维码", "生成 HTML", "排版", "生成 PDF", "写入文件")

    def __init__(self, console) -> None:
        self.times: dict[str, float] = {}
        self.progress = None
        self.task = None
        if console is not None and getattr(console, "is_terminal", False):
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("[bold]便民服务手册[/]"),
                BarColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )

    def __enter__(self) -> _Stages:
        if self.progress is not None:
            self.progress.start()
            self.task = self.progress.add_task(self.STAGES[0], total=len(self.STAGES))
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    @contextmanager
    def stage(self, name: str) -> Iterator[Callable[[str], None]]:
        start = time.perf_counter()

        def detail(text: str) -> None:
            if self.progress is not None and self.task is not None:
                self.progress.update(self.task, description=f"{name}：{text}")

        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, description=name)
        try:
            yield detail
        finally:
            self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - start
            if self.progress is not None and self.task is not None:
                self.progress.advance(self.task)


class _WeasyLog(logging.Handler):
    """Collects WeasyPrint's warnings and turns its progress messages into stage details."""

    def __init__(self, detail: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.detail = detail
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # pragma: no cover
            message = str(record.msg)
        if record.name == "weasyprint.progress":
            self.detail(message.split(" - ", 1)[-1])
        elif record.levelno >= logging.WARNING:
            self.warnings.append(message)


@contextmanager
def _capture_weasyprint(detail: Callable[[str], None]) -> Iterator[_WeasyLog]:
    handler = _WeasyLog(detail)
    main = logging.getLogger("weasyprint")
    progress = logging.getLogger("weasyprint.progress")
    saved = (main.propagate, progress.level, progress.propagate)
    main.addHandler(handler)
    main.propagate = False
    progress.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        main.removeHandler(handler)
        main.propagate = saved[0]
        progress.setLevel(saved[1])
        progress.propagate = saved[2]


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

    def cached(pdf):
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


def build(
    catalog: Catalog,
    output: Path | str = Path("dist/handbook.pdf"),
    html: Path | str | None = None,
    paper: str = "A5",
    console=None,
) -> BuildResult:
    """Build the handbook PDF of a valid catalog (and its HTML when `html` is given)."""
    started = time.perf_counter()
    output = Path(output)
    paper = paper.upper()
    if paper not in PAPERS:
        raise XpcliError("handbook-bad-paper", paper=paper)
    for target in (output, html):  # refuse a bad output before a render of many seconds
        if target is not None:
            check_file(Path(target))
    with _Stages(console) as stages:
        with stages.stage("检查字体"):
            check_fonts()
        with stages.stage("整理数据与二维码"):
            context = build_context(catalog, paper)
        with stages.stage("生成 HTML"):
            dirs = template_dirs(catalog)
            markup = render_html(context, dirs)
        pdf, pages, warnings = _render_pdf(markup, dirs, stages)
        with stages.stage("写入文件"):
            write_file(output, pdf)
            if html is not None:
                write_file(Path(html), markup.encode("utf-8"))
    if console is not None:
        from rich.markup import escape

        for message in warnings:
            console.print(f"[yellow]weasyprint:[/] {escape(message)}", highlight=False)
    return BuildResult(
        output, pages, len(pdf), time.perf_counter() - started, dict(stages.times), warnings
    )


def _render_pdf(markup: str, dirs: list[Path], stages: _Stages) -> tuple[bytes, int, list[str]]:
    try:
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError
    except (ImportError, OSError) as exc:  # Pango missing raises OSError
        raise XpcliError("handbook-no-weasyprint", problem=str(exc), command=INSTALL_PANGO) from exc
    fetcher = _fetcher_class()(dirs)
    base_url = dirs[-1].as_uri() + "/"
    try:
        with stages.stage("排版") as detail, _capture_weasyprint(detail) as log:
            document = weasyprint.HTML(
                string=markup, base_url=base_url, url_fetcher=fetcher
            ).render(**PDF_OPTIONS)
        with (
            stages.stage("生成 PDF") as detail,
            _capture_weasyprint(detail) as log2,
            _cached_page_references(),
        ):
            pdf = document.write_pdf(**PDF_OPTIONS)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        detail = f"{exc} ({cause})" if cause else str(exc)
        raise XpcliError("handbook-outside-resource", problem=detail) from None
    if fetcher.refused:  # inside an SVG image: WeasyPrint only warned
        raise XpcliError("handbook-outside-resource", problem=fetcher.refused[0])
    if not pdf:  # pragma: no cover
        raise XpcliError("handbook-empty-pdf")
    return pdf, len(document.pages), [*log.warnings, *log2.warnings]


__all__ = ["BuildResult", "build", "check_fonts", "cjk_fonts", "render_html"]
