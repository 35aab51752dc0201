"""The printed handbook, read back with real readers: pdftotext, pdffonts, pypdf, and zxing-cpp
on a `pdftoppm -r 150` render. The default catalog is built once per module (it is the slow
part); the small fixture is built a few times to check escaping, overrides, safety, determinism.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest
import zxingcpp
from PIL import Image

from tests.conftest import NEWBORN, REPO, runner, write
from xpcli.cli import app
from xpcli.errors import XpcliError
from xpcli.export import export_files
from xpcli.handbook import PrintOptions, build, tree_svg
from xpcli.handbook import pdf as handbook_pdf
from xpcli.handbook.context import build_context, creation_date, title_lines
from xpcli.handbook.paper import PAPERS
from xpcli.handbook.qr import QUIET_ZONE, make_qr, qr_svg
from xpcli.model import Catalog
from xpcli.simplify import simplify
from xpcli.validate import validate

TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TOOLS), reason="poppler-utils not installed"
)
needs_cjk = pytest.mark.skipif(not handbook_pdf.cjk_fonts(), reason="no CJK font installed")


@dataclass
class Built:
    catalog: Catalog
    pdf: Path
    html: Path
    text: str  # pdftotext of the whole book, all white space removed


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return _squash(done.stdout.decode("utf-8"))


def _build(root: Path, out: Path, **kwargs) -> Built:
    result = validate(root)
    assert not result.report.errors, [str(d) for d in result.report.errors][:5]
    pdf, html = out / "handbook.pdf", out / "handbook.html"
    build(result.catalog, output=pdf, html=html, **kwargs)
    return Built(result.catalog, pdf, html, _text(pdf))


def _printed(catalog: Catalog) -> tuple[list[str], list[str]]:
    """Event and matter ids a handbook must show: active events; every matter of those
    events and every other active matter."""
    events = [
        e
        for tree in catalog.trees
        for e in tree.events
        if e in catalog.events and catalog.events[e].status == "active"
    ]
    used = {m.matter for e in events for m in catalog.events[e].matters}
    matters = [m.id for m in catalog.matters.values() if m.status == "active" or m.id in used]
    return events, matters


def _decode(pdf: Path, tmp: Path) -> Counter[str]:
    """Every QR code on every page of a 150 dpi greyscale render, two renderers in parallel."""
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout,
        )[1]
    )
    half = (pages + 1) // 2
    ranges = [(1, half), (half + 1, pages)] if pages > 1 else [(1, 1)]

    def render(span: tuple[int, int]) -> None:
        first, last = span
        if first <= last:
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "150",
                    "-gray",
                    "-f",
                    str(first),
                    "-l",
                    str(last),
                    str(pdf),
                    str(tmp / "page"),
                ],
                check=True,
            )

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(render, ranges))
    found: Counter[str] = Counter()
    for image in sorted(tmp.glob("page-*.pgm")):
        with Image.open(image) as page:
            for code in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode):
                found[code.text] += 1
    return found


def _check_book(built: Built, tmp: Path) -> None:
    catalog = built.catalog
    events, matters = _printed(catalog)
    text = built.text
    # names, and the figures of the one simplification function, in the one-time notices
    for event_id in events:
        event = catalog.events[event_id]
        assert _squash(event.name) in text, event.name
        result = simplify(catalog, event_id)
        for label, unit, key in (
            ("申请材料", "份", "materials"),
            ("办理环节", "个", "steps"),
            ("办理时限", "个工作日", "days"),
            ("跑动次数", "次", "visits"),
        ):
            row = (
                f"{label}（{unit}）{getattr(result.before, key)}{getattr(result.after, key)}"
                f"{getattr(result.reduction, key)}%"
            )
            assert row in text, (event_id, row)
    for matter_id in matters:
        assert _squash(catalog.matters[matter_id].name) in text, matter_id
    for department in catalog.departments.values():
        assert _squash(department.name) in text
    assert _squash(catalog.header.title) in text
    assert catalog.header.edition in text
    assert "12345" in text and "好差评" in text
    # every QR code decodes to its URL: events twice (tree and notice), matters once
    expected = Counter({catalog.event_url(e): 2 for e in events})
    expected.update({catalog.matter_url(m): 1 for m in matters})
    assert _decode(built.pdf, tmp) == expected
    # every font embedded
    fonts = subprocess.run(
        ["pdffonts", str(built.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line), line
    # tagged PDF, with language and title
    reader = pypdf.PdfReader(built.pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == catalog.header.title
    assert not reader.attachments
    # headings never skip a level going down
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", built.html.read_text("utf-8"))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


# ---------------------------------------------------------------- the default catalog


@pytest.fixture(scope="module")
def default_book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = REPO / "catalog"
    if not (root / "catalog.yaml").is_file():
        pytest.skip("no default catalog")
    if validate(root).report.errors:
        pytest.skip("catalog/ does not validate right now")
    if not handbook_pdf.cjk_fonts():
        pytest.skip("no CJK font installed")
    return _build(root, tmp_path_factory.mktemp("default-book"))


@needs_poppler
def test_default_catalog_reads_back(default_book: Built, tmp_path: Path) -> None:
    _check_book(default_book, tmp_path)


def test_html_of_a_book_in_parts_prints_each_guide_and_notice_once(default_book: Built) -> None:
    """--html writes the whole book as one document, though the PDF was laid out in parts
    (three of guides for the default catalog)."""
    page = default_book.html.read_text("utf-8")
    ids = Counter(re.findall(r'<article class="card" id="([^"]+)"', page))
    assert len(ids) == len(_printed(default_book.catalog)[1])
    assert set(ids.values()) == {1}
    assert page.count('class="part-title guides-title"') == 1


def test_default_trees_fit_two_pages_each_on_a5() -> None:
    """One leaf per line: the nine events of the person tree take two A5 pages."""
    root = REPO / "catalog"
    result = validate(root)
    if result.report.errors:
        pytest.skip("catalog/ does not validate right now")
    book = build_context(result.catalog, "A5")
    assert all(1 <= len(t.diagrams) <= 2 for t in book.trees)


# ---------------------------------------------------------------- the small fixture


@pytest.fixture(scope="module")
def newborn_book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    if not handbook_pdf.cjk_fonts():
        pytest.skip("no CJK font installed")
    return _build(NEWBORN, tmp_path_factory.mktemp("newborn-book"))


def test_qr_codes_made_by_the_workers_print_the_same_book(
    newborn_book: Built, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A large book's QR codes are made by the two workers before the layout: the same PDF
    as when this process makes them."""
    from xpcli.handbook import qr

    monkeypatch.setattr(handbook_pdf, "QR_SHARE", 1)
    qr._make.cache_clear()
    again = tmp_path / "again.pdf"
    build(newborn_book.catalog, output=again, workers=2)
    assert qr._make.cache_info().currsize == 0  # none made here
    assert again.read_bytes() == newborn_book.pdf.read_bytes()


def test_progress_counts_each_part_as_it_is_drawn(newborn_book: Built, tmp_path: Path) -> None:
    """The command's status line: one "layout" report per part, as each comes back from a
    worker, ending with done == total."""
    seen: list[tuple[str, int, int]] = []
    build(
        newborn_book.catalog,
        output=tmp_path / "b.pdf",
        workers=2,
        progress=lambda *a: seen.append(a),
    )
    layout = [(done, total) for stage, done, total in seen if stage == "layout"]
    parts = len(handbook_pdf.plan_parts(build_context(newborn_book.catalog)))
    assert [done for done, _ in layout] == list(range(1, len(layout) + 1))
    assert len(layout) >= parts + 2  # the contents again, and the folios
    assert layout[-1][0] == layout[-1][1]
    assert [stage for stage, _, _ in seen][-2:] == ["join", "write"]


def test_fonts_read_on_demand_print_the_same_book(
    newborn_book: Built, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Font files are no longer copied whole into each part's process (88 MB a part): the
    same PDF as WeasyPrint's own way, which copies them."""
    import contextlib

    monkeypatch.setattr(handbook_pdf, "_font_files_on_demand", contextlib.nullcontext)
    copied = tmp_path / "copied.pdf"
    build(newborn_book.catalog, output=copied, workers=1)
    assert copied.read_bytes() == newborn_book.pdf.read_bytes()


@needs_poppler
def test_fixture_reads_back(newborn_book: Built, tmp_path: Path) -> None:
    _check_book(newborn_book, tmp_path)
    # the contract's worked example, as printed
    assert "申请材料（份）11282%" in newborn_book.text
    assert "跑动次数（次）4175%" in newborn_book.text


@needs_poppler
def test_qr_payloads_equal_the_export_urls(newborn_book: Built, tmp_path: Path) -> None:
    """同源发布: what a phone reads from the paper is what the channels publish."""
    files = export_files(newborn_book.catalog)
    urls = {
        json.loads(content)["url"]
        for rel, content in files.items()
        if rel.startswith(("events/", "matters/"))
    }
    assert set(_decode(newborn_book.pdf, tmp_path)) == urls


@needs_poppler
def test_two_builds_are_byte_identical(newborn_book: Built, tmp_path: Path) -> None:
    """A second build in another process (another hash seed), through the command line."""
    again = tmp_path / "again.pdf"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [sys.executable, "-c", "from xpcli.cli import main; main()", "build-handbook",
         "--catalog", str(NEWBORN), "-o", str(again)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == newborn_book.pdf.read_bytes()
    info = pypdf.PdfReader(again).metadata
    assert info["/CreationDate"].startswith("D:20230501000000")  # from 2023年5月版
    assert [p.name for p in tmp_path.iterdir()] == ["again.pdf"]  # no temporary file left


@needs_poppler
@needs_cjk
def test_catalog_text_is_escaped_and_templates_override_by_name(
    catalog_dir: Path, tmp_path: Path
) -> None:
    matters = catalog_dir / "matters"
    for name, new in (
        ("vaccination-certificate.yaml", "<b>粗体</b>"),
        ("social-security-card.yaml", '<link rel="attachment" href="file:///etc/hostname">'),
    ):
        path = matters / name
        text = re.sub(r"(?m)^name: .*$", f"name: '{new}'", path.read_text("utf-8"))
        path.write_text(text, encoding="utf-8")
    write(
        catalog_dir,
        "templates/partials/cover.html.j2",
        '<section class="cover"><h1>{{ book.title }}</h1><p>本封面由目录自定义</p>'
        '<img src="seal.svg" alt="印章"></section>\n',
    )
    write(
        catalog_dir,
        "templates/seal.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" width="30mm" height="10mm">'
        '<text x="2" y="20" font-family="Noto Sans CJK SC" font-size="12">目录自带印章</text>'
        "</svg>",
    )
    built = _build(catalog_dir, tmp_path / "out")
    assert "<b>粗体</b>" in built.text
    assert _squash('<link rel="attachment" href="file:///etc/hostname">') in built.text
    assert "&lt;b&gt;粗体&lt;/b&gt;" in built.html.read_text("utf-8")
    assert "本封面由目录自定义" in built.text
    assert "目录自带印章" in built.text  # an image from the catalog's templates folder
    assert not pypdf.PdfReader(built.pdf).attachments


@needs_cjk
@pytest.mark.parametrize(
    "reference",
    [
        '<link rel="attachment" href="file:///etc/hostname">',
        '<img src="https://example.com/logo.png" alt="logo">',
    ],
)
def test_a_template_cannot_reach_outside(catalog_dir: Path, tmp_path: Path, reference: str) -> None:
    write(
        catalog_dir,
        "templates/partials/directory.html.j2",
        f'<section id="directory"><h1>通讯录</h1>{reference}</section>\n',
    )
    catalog = validate(catalog_dir).catalog
    output = tmp_path / "handbook.pdf"
    with pytest.raises(XpcliError) as raised:
        build(catalog, output=output)
    assert raised.value.code == "handbook-outside-resource"
    assert not output.exists()


def test_no_cjk_font_is_an_error_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(handbook_pdf, "cjk_fonts", lambda: [])
    catalog = validate(NEWBORN).catalog
    with pytest.raises(XpcliError) as raised:
        build(catalog, output=tmp_path / "handbook.pdf")
    assert raised.value.params["command"] == "apt-get install fonts-noto-cjk libharfbuzz-subset0"
    assert not (tmp_path / "handbook.pdf").exists()
    # the command turns it into exit code 2 with the same message
    result = runner.invoke(
        app, ["build-handbook", "--catalog", str(NEWBORN), "-o", str(tmp_path / "cli.pdf")]
    )
    assert result.exit_code == 2
    assert "apt-get install fonts-noto-cjk libharfbuzz-subset0" in result.stderr


@needs_cjk
def test_cli_a4_with_html(tmp_path: Path) -> None:
    pdf, html = tmp_path / "out" / "book.pdf", tmp_path / "out" / "book.html"
    result = runner.invoke(
        app,
        [
            "build-handbook",
            "--catalog",
            str(NEWBORN),
            "-o",
            str(pdf),
            "--html",
            str(html),
            "--paper",
            "A4",
        ],
    )
    assert result.exit_code == 0, result.output
    box = pypdf.PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    page = html.read_text("utf-8")
    assert '<html lang="zh-CN"' in page and '<meta charset="utf-8">' in page
    assert '"Noto Sans CJK SC"' in page and '"Noto Serif CJK SC"' in page


def test_unknown_paper_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(XpcliError) as raised:
        build(validate(NEWBORN).catalog, output=tmp_path / "x.pdf", options=PrintOptions("B5"))
    assert raised.value.code == "handbook-bad-paper"


# ---------------------------------------------------------------- parts


def test_creation_date_from_epoch_or_edition() -> None:
    assert (
        creation_date("2023年5月版", {"SOURCE_DATE_EPOCH": "86400"}).isoformat()
        == "1970-01-02T00:00:00+00:00"
    )
    assert creation_date("2023年5月版", {}).isoformat() == "2023-05-01T00:00:00+00:00"
    assert creation_date("2024年版", {}).isoformat() == "2024-01-01T00:00:00+00:00"
    assert creation_date("第一版", {}).year == 1980


def test_title_lines_never_strand_a_character() -> None:
    assert title_lines("兴平市“一件事一次办”便民服务手册") == (
        "兴平市“一件事一次办”",
        "便民服务手册",
    )
    assert title_lines("便民服务手册") == ("便民服务手册",)


def test_qr_is_full_qr_with_quiet_zone_and_level_m_or_higher() -> None:
    for url in ("https://a.cn/x", "https://zwfw.example.cn/xingping/matters/" + "a" * 60):
        symbol = make_qr(url)
        assert symbol.error in ("M", "Q", "H")
        assert symbol.version >= 1  # an int: never a Micro QR ("M1".."M4")
        size = 17 + 4 * symbol.version
        assert symbol.modules == size + 2 * QUIET_ZONE
        xs = [int(x) for x in re.findall(r"M(\d+) ", symbol.path)]
        assert min(xs) == QUIET_ZONE and max(xs) < size + QUIET_ZONE
    svg = qr_svg("https://a.cn/x", 20, "<名称>")
    assert 'width="20mm"' in svg and "&lt;名称&gt;" in svg


def test_large_tree_wraps_shrinks_then_continues() -> None:
    paper = PAPERS["A5"]

    def events(n: int, leaves: int) -> list[tree_svg.DiagramEvent]:
        return [
            tree_svg.DiagramEvent(
                i,
                f"第{i}件“一件事”",
                f"https://a.cn/events/e{i}",
                tuple(
                    tree_svg.DiagramMatter(f"事项{i}-{j}名称较长的政务服务事项", j % 4 == 3)
                    for j in range(leaves)
                ),
            )
            for i in range(1, n + 1)
        ]

    small = tree_svg.layout("小树", events(2, 3), paper.diagram_width, paper.diagram_height)
    assert len(small) == 1 and small[0].font_mm == max(tree_svg.FONT_SIZES)
    big = tree_svg.layout("大树", events(30, 12), paper.diagram_width, paper.diagram_height)
    assert len(big) > 1
    assert big[-1].continued and "（续）" in big[-1].svg
    for page in big:
        assert page.height_mm <= paper.diagram_height + 1e-6
        assert page.font_mm >= min(tree_svg.FONT_SIZES)
    # every event and its QR code are drawn exactly once over the pages
    svg = "".join(p.svg for p in big)
    assert all(f"第{i}件" in svg for i in range(1, 31))
    assert svg.count("<g transform=") == 30


def test_wrap_keeps_closing_punctuation_off_line_starts() -> None:
    lines = tree_svg.wrap("出生登记（新生儿入户）", 3.0, 3.0 * 10)
    assert all(line[0] not in tree_svg.NO_LINE_START for line in lines)
    assert "".join(lines) == "出生登记（新生儿入户）"


# ---------------------------------------------------------------- print options, parts, layout

LONG_LATIN = "Xingping" * 14  # 112 characters without a break opportunity


def _pages_text(pdf: Path) -> list[list[str]]:
    """Each page's non-empty lines (pdftotext -layout), page numbers alone left out."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True, check=True
    )
    pages = done.stdout.decode("utf-8").split("\f")
    return [
        [line.strip() for line in page.splitlines() if line.strip() and not line.strip().isdigit()]
        for page in pages
        if page.strip()
    ]


@pytest.fixture(scope="module")
def print_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Path, Path]:
    """The fixture on A4 with 3 mm bleed and pages padded to a multiple of 4, a matter name
    of unbreakable Latin text; built by two processes and by one."""
    if not handbook_pdf.cjk_fonts():
        pytest.skip("no CJK font installed")
    root = tmp_path_factory.mktemp("print") / "catalog"
    shutil.copytree(NEWBORN, root)
    path = root / "matters" / "social-security-card.yaml"
    path.write_text(
        re.sub(r"(?m)^name: .*$", f"name: 社会保障卡{LONG_LATIN}", path.read_text("utf-8")),
        encoding="utf-8",
    )
    catalog = validate(root).catalog
    options = PrintOptions("A4", bleed_mm=3.0, pad=4)
    parallel, serial = root.parent / "parallel.pdf", root.parent / "serial.pdf"
    build(catalog, output=parallel, options=options, workers=2)
    build(catalog, output=serial, options=options, workers=1)
    return catalog, parallel, serial


@needs_poppler
def test_parallel_and_serial_builds_are_identical(print_book: tuple[Catalog, Path, Path]) -> None:
    _, parallel, serial = print_book
    assert parallel.read_bytes() == serial.read_bytes()


@needs_poppler
def test_pad_bleed_and_crop_marks(print_book: tuple[Catalog, Path, Path]) -> None:
    _, pdf, _ = print_book
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) % 4 == 0
    info = subprocess.run(
        ["pdfinfo", "-box", "-f", "1", "-l", str(len(reader.pages)), str(pdf)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    boxes = {
        (page, kind): [float(v) for v in values.split()]
        for page, kind, values in re.findall(r"Page\s+(\d+) (\w+)Box:\s+(.*)", info)
    }
    bleed = 3 / 25.4 * 72
    for page in range(1, len(reader.pages) + 1):
        trim, box = boxes[(str(page), "Trim")], boxes[(str(page), "Bleed")]
        assert [round(b - t, 1) for b, t in zip(box, trim, strict=True)] == [
            round(-bleed, 1), round(-bleed, 1), round(bleed, 1), round(bleed, 1)
        ]  # fmt: skip
        assert round(trim[2] - trim[0]) == 595  # A4 trim


@needs_poppler
def test_guides_share_pages_and_no_header_ends_a_page(
    print_book: tuple[Catalog, Path, Path],
) -> None:
    catalog, pdf, _ = print_book
    pages = _pages_text(pdf)
    names = {_squash(m.name) for m in catalog.matters.values()}
    titled = [[line for line in page if _squash(line) in names] for page in pages]
    assert any(len(set(t)) >= 2 for t in titled), "no page holds two guides"
    for page in pages:
        tail = page[-2:]  # a guide's header starts with its kicker and title
        assert not any(line.startswith("办事指南 ·") for line in tail), tail


def _words(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, str]]]]:
    """Each page's width, height and words (xMin, yMin, text), from `pdftotext -bbox`."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = []
    for page in re.split(r"(?=<page )", done)[1:]:
        width, height = (float(v) for v in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)
        pages.append((width, height, [(float(x), float(y), t) for x, y, t in words]))
    return pages


def _assert_folios(pdf: Path, bleed_mm: float) -> None:
    """Every page but the cover has its own number in the bottom margin, left on even
    (left-hand) pages, right on odd ones."""
    bleed = bleed_mm / 25.4 * 72
    for number, (width, height, words) in enumerate(_words(pdf), start=1):
        bottom = [(x, t) for x, y, t in words if y > height - bleed - 20 * 72 / 25.4]
        folios = [x for x, t in bottom if t == str(number)]
        if number == 1:
            assert not folios, "the cover has no number"
            continue
        assert len(folios) == 1, (number, bottom)
        assert (folios[0] > width / 2) == (number % 2 == 1), (number, folios[0], width)


@needs_poppler
def test_folios_print_every_number_on_its_outer_corner(
    print_book: tuple[Catalog, Path, Path],
) -> None:
    """The parts print no numbers: the join stamps them."""
    _assert_folios(print_book[1], 3.0)


@needs_poppler
@needs_cjk
def test_folios_in_several_parts_number_every_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A long book's folios are laid out in parts of their own (on both cores): each part
    starts at its own number, on its own side."""
    monkeypatch.setattr(handbook_pdf, "FOLIOS_PER_PART", 3)
    catalog = validate(NEWBORN).catalog
    build(catalog, output=tmp_path / "book.pdf", workers=2)
    _assert_folios(tmp_path / "book.pdf", 0.0)


@needs_poppler
def test_pages_move_towards_their_outer_edge(print_book: tuple[Catalog, Path, Path]) -> None:
    """Parts are laid out with equal margins; right-hand pages move right and left-hand pages
    left, so the inner margin (by the binding) is the wider one, as the paper says."""
    _, pdf, _ = print_book
    paper, mm = PAPERS["A4"], 72 / 25.4
    bleed = 3 * mm
    flush = checked = 0
    pages = _words(pdf)
    for number, (_, height, words) in enumerate(pages[1:], start=2):
        body = [x for x, y, _ in words if bleed + 25 * mm < y < height - bleed - 25 * mm]
        if not body:  # a notes page (备忘, from --pad): no text below its title
            continue
        tree = words[0][2].startswith("树状图")
        inner, outer = (
            (paper.tree_margin_inner, paper.tree_margin_outer)
            if tree
            else (paper.margin_inner, paper.margin_outer)
        )
        left = (inner if number % 2 else outer) * mm + bleed
        assert min(body) > left - 1, number  # nothing in the margin
        flush += min(body) < left + 1
        checked += 1
    assert checked >= len(pages) // 2
    assert flush >= checked * 3 // 4  # most pages have a line at the margin


@needs_poppler
def test_crop_marks_are_drawn_outside_the_trim_box(
    print_book: tuple[Catalog, Path, Path], tmp_path: Path
) -> None:
    """The folios carry the crop marks: ink in the bleed corner of every page."""
    _, pdf, _ = print_book
    pages = len(pypdf.PdfReader(pdf).pages)
    render = ["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", str(pages)]
    subprocess.run([*render, str(pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.pgm"))
    assert len(images) == pages
    for image in images:
        with Image.open(image) as page:
            # the top left corner: the marks run from the page edge (the bleed, 8.5 pt) to
            # the trim box's corner, along its edges
            corner = page.crop((0, 0, 10, 10))
            assert corner.getextrema()[0] < 128, image.name


@needs_poppler
def test_short_guides_share_a5_pages(default_book: Built) -> None:
    """On A5, the default, a guide is compact enough that two short ones share a page: the 91
    guides of the default catalog took 91 pages when a guide filled most of a page, 55 now
    (36 pages hold two)."""
    pages = _pages_text(default_book.pdf)
    first = next(i for i, page in enumerate(pages) if "办事指南（简版）" in page[:3])
    end = next(
        i
        for i, page in enumerate(pages)
        if i > first and {"窗口指南", "部门通讯录与服务渠道"} & set(page[:3])
    )
    guides = [sum(line.startswith("办事指南 ·") for line in page) for page in pages[first:end]]
    _, matters = _printed(default_book.catalog)
    assert sum(guides) == len(matters)
    assert len(guides) <= len(matters) * 2 // 3, (len(guides), len(matters))
    assert sum(n >= 2 for n in guides) >= len(matters) // 4, guides
    for page in pages[first:end]:
        assert not any(line.startswith("办事指南 ·") for line in page[-2:]), page[-2:]


@needs_poppler
def test_contents_page_numbers_match_the_pages(print_book: tuple[Catalog, Path, Path]) -> None:
    catalog, pdf, _ = print_book
    _assert_contents_match(catalog, pdf)


@needs_poppler
@needs_cjk
def test_contents_laid_out_again_when_its_page_count_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The contents is counted with placeholder numbers; should the real ones give it another
    page count, it is laid out again and every number still matches its page."""
    render = handbook_pdf.render_html
    finals: list[int] = []

    def longer_with_placeholders(book, dirs, part=None):  # type: ignore[no-untyped-def]
        markup = render(book, dirs, part)
        if part is not None and handbook_pdf.PLACEHOLDER_PAGE in part.pages.values():
            markup = markup.replace("</body>", '<p style="break-before: page">…</p></body>')
        elif part is not None and part.pages:
            finals.append(1)
        return markup

    monkeypatch.setattr(handbook_pdf, "render_html", longer_with_placeholders)
    catalog = validate(NEWBORN).catalog
    build(catalog, output=tmp_path / "book.pdf", workers=2)
    assert len(finals) == 2  # the real numbers twice: the first count was one page too many
    _assert_contents_match(catalog, tmp_path / "book.pdf")
    _assert_folios(tmp_path / "book.pdf", 0.0)


def _assert_contents_match(catalog: Catalog, pdf: Path) -> None:
    pages = _pages_text(pdf)
    toc = next(
        i for i, page in enumerate(pages) if any("目" in line and "录" in line for line in page[:3])
    )
    entries = [
        (re.sub(r"\s+\d+$", "", line), int(line.rsplit(" ", 1)[1]))
        for line in pages[toc]
        if re.search(r"\S\s{2,}\d+$", line)  # a title, a gap, its page number
    ]
    assert len(entries) >= len(catalog.events) + 5
    numbers = pypdf.PdfReader(pdf).page_labels  # printed numbers are the page indices + 1
    assert numbers[0] == "1"
    for title, number in entries:
        title = _squash(re.sub(r"^\d+\s+", "", title))
        assert title[:6] in _squash("".join(pages[number - 1])), (title, number)


@needs_poppler
def test_long_latin_text_wraps_inside_the_page(print_book: tuple[Catalog, Path, Path]) -> None:
    _, pdf, _ = print_book
    done = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    widths = [float(w) for w in re.findall(r'<page width="([\d.]+)"', done)]
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', done)
    assert words and max(float(x) for x in words) <= max(widths)
    assert _squash(LONG_LATIN) in _text(pdf)


@needs_poppler
def test_qr_codes_decode_and_are_20_mm(
    print_book: tuple[Catalog, Path, Path], tmp_path: Path
) -> None:
    _, pdf, _ = print_book
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-f", "6", "-l", "8", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    sizes = []
    for image in sorted(tmp_path.glob("p-*.pgm")):
        with Image.open(image) as page:
            for code in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode):
                p = code.position
                sizes.append(abs(p.top_right.x - p.top_left.x) / 150 * 25.4)
    assert sizes
    # the symbol without its 4-module quiet zone: at least 20 mm with it
    assert min(sizes) >= 20 * 0.75


def test_an_event_taller_than_a_page_continues_on_the_next() -> None:
    """50 matters with 30-character names: every one is drawn, over pages that each fit."""
    paper = PAPERS["A5"]
    event = tree_svg.DiagramEvent(
        1,
        "大型“一件事”",
        "https://a.cn/e/1",
        tuple(tree_svg.DiagramMatter(f"{i:02d}" + "事" * 28, False) for i in range(50)),
    )
    pages = tree_svg.layout("树", [event], paper.diagram_width, paper.diagram_height)
    assert len(pages) > 1
    assert all(p.height_mm <= paper.diagram_height + 1e-6 for p in pages)
    text = "".join(re.sub("<[^>]+>", "", p.svg) for p in pages)
    assert all(f"{i:02d}" in text for i in range(50))
    assert text.count("事") >= 50 * 28


def test_too_long_url_is_refused(catalog_dir: Path, tmp_path: Path) -> None:
    catalog_yaml = catalog_dir / "catalog.yaml"
    text = catalog_yaml.read_text("utf-8")
    text = re.sub(r"(matter_url: .*?)\{id\}", r"\g<1>" + "q" * 430 + "/{id}", text, count=1)
    catalog_yaml.write_text(text, encoding="utf-8")
    catalog = validate(catalog_dir).catalog
    with pytest.raises(XpcliError) as raised:
        build(catalog, output=tmp_path / "x.pdf")
    assert raised.value.code == "handbook-url-too-long"
    assert not (tmp_path / "x.pdf").exists()


@needs_poppler
def test_longest_printable_url_decodes(tmp_path: Path) -> None:
    """The longest URL xpcli prints still decodes at 150 dpi from a 20 mm code."""
    from xpcli.handbook.qr import MAX_PRINT_VERSION, PRINT_SIZE_MM, check_printable

    weasyprint = pytest.importorskip("weasyprint")
    base = "https://zwfw.example.cn/xingping/matters/"
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_"
    url = base
    while make_qr(url + alphabet[len(url) % 38]).version <= MAX_PRINT_VERSION:
        url += alphabet[len(url) % 38]
    check_printable(url)
    with pytest.raises(XpcliError):
        check_printable(url + "x" * 40)
    html = f"<html><body>{qr_svg(url, PRINT_SIZE_MM)}</body></html>"
    weasyprint.HTML(string=html).write_pdf(tmp_path / "qr.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", str(tmp_path / "qr.pdf"), str(tmp_path / "q")],
        check=True,
    )
    (image,) = tmp_path.glob("q-*.pgm")
    with Image.open(image) as page:
        found = [
            c.text for c in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
        ]
    assert found == [url]


def test_a_guide_prints_result_special_procedures_and_faq(
    catalog_dir: Path, tmp_path: Path
) -> None:
    """What a 实施清单 record carries beyond the old model reaches the printed guide."""
    matter = catalog_dir / "matters/vaccination-certificate.yaml"
    matter.write_text(
        matter.read_text("utf-8")
        + "result: 《预防接种证》\n"
        + "special_procedures:\n  - {name: 专家评审, days: 10}\n"
        + "faq:\n  - {question: 可以由他人代办吗？, answer: 可以由监护人代办。}\n",
        "utf-8",
    )
    built = _build(catalog_dir, tmp_path)
    assert "办理结果《预防接种证》" in built.text
    assert "特别程序专家评审（10个工作日，不计入承诺时限）" in built.text
    assert "常见问题问：可以由他人代办吗？答：可以由监护人代办。" in built.text


@pytest.mark.parametrize("name", sorted(PAPERS))
def test_one_gutter_shift_fits_text_and_tree_pages(name: str) -> None:
    """The join moves every page by one shift: tree pages need the same difference between
    inner and outer margins as text pages."""
    paper = PAPERS[name]
    assert paper.margin_inner - paper.margin_outer == (
        paper.tree_margin_inner - paper.tree_margin_outer
    )
    assert paper.gutter_shift_pt > 0


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(root: Any) -> Iterator[Any]:
    """Every structure element of a tag tree (read here, not with xpcli's own walk)."""
    import pikepdf

    stack = _kids(root)
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and element.get("/Type") == "/StructElem":
            yield element
            stack.extend(_kids(element))


def _tagged_content(pdf: Path) -> tuple[int, int, int]:
    """(marked contents in the tag tree, those whose parent tree entry is not the element
    that holds them, plain spans left) of a tagged PDF."""
    import pikepdf

    with pikepdf.open(pdf) as book:
        root = book.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        held = wrong = plain = 0
        for element in _elements(root):
            kids = _kids(element)
            plain += element.S == "/Span" and set(element.keys()) <= {
                "/Type", "/S", "/P", "/K", "/Pg"
            } and all(isinstance(k, int) for k in kids)  # fmt: skip
            for kid in kids:
                if isinstance(kid, int):
                    page, mcid = element.Pg, kid
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    page, mcid = kid.get("/Pg", element.get("/Pg")), int(kid.MCID)
                else:
                    continue
                held += 1
                wrong += tree[int(page.StructParents)][mcid].objgen != element.objgen
        return held, wrong, plain


@needs_poppler
def test_tag_tree_holds_all_text_without_plain_spans(
    print_book: tuple[Catalog, Path, Path],
) -> None:
    """Parts fold plain spans into their parents (half the objects the join holds): every
    marked content is still in the tag tree, the parent tree maps it to the element that holds
    it, and its text is all there."""
    _, pdf, _ = print_book
    held, wrong, plain = _tagged_content(pdf)
    assert held > 300
    assert wrong == 0
    assert plain == 0


@needs_cjk
@pytest.mark.parametrize("when", ["before", "during"])
def test_a_killed_worker_is_an_error_not_a_hang(when: str) -> None:
    """A layout process killed (the OOM killer) before or while it lays out a part: exit 2
    with a message, instead of waiting for ever or a traceback."""
    import signal

    dirs = [REPO / "templates" / "handbook"]
    runner = handbook_pdf._Runner(2, dirs, lambda *a: None)
    with runner, pytest.raises(XpcliError) as raised:
        if when == "before":
            for proc in runner.procs:
                proc.kill()
                proc.join()
        else:
            for proc in runner.procs:
                os.kill(proc.pid, signal.SIGSTOP)  # killed once it has taken the part
        jobs = iter([("<p>x</p>", True)] * 2)

        def take() -> Iterator[tuple[str, bool]]:
            for job in jobs:
                yield job
                if when == "during":
                    for proc in runner.procs:
                        os.kill(proc.pid, signal.SIGKILL)

        runner.run(take())
    assert raised.value.code == "handbook-worker-gone"
    assert raised.value.exit_code == 2


@needs_poppler
def test_table_header_ids_are_unique_in_the_joined_book(
    default_book: Built,
) -> None:
    """Each part names its table headers from 0; the parts prefix them, so the joined book's
    ids are unique and every cell's /Headers names a header of the book."""
    import pikepdf

    ids: list[str] = []
    headers: set[str] = set()
    with pikepdf.open(default_book.pdf) as book:
        for element in _elements(book.Root.StructTreeRoot):
            if "/ID" in element:
                ids.append(str(element.ID))
            attributes = element.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                headers.update(str(h) for h in attributes.Headers)
    assert len(ids) > 50
    assert len(ids) == len(set(ids))
    assert headers and headers <= set(ids)
