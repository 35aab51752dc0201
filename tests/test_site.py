"""The static site (`xpcli build-site`, `xpcli preview`), read back by real readers: the files,
an HTTP client against the preview server, and Debian's Chromium driven by Selenium (with
axe-core from npm for accessibility). Browser tests use the small fixture, a handful of pages.
Screenshots of an event page go to tests/output/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import NEWBORN, REPO, runner, write
from xpcli.cli import app
from xpcli.model import Catalog
from xpcli.simplify import simplify
from xpcli.site.build import MANIFEST, site_files, write_site
from xpcli.site.paths import page_path, site_base
from xpcli.site.serve import SiteServer, open_server
from xpcli.validate import validate

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
AXE = REPO / ".cache" / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = REPO / "tests" / "output"
PAGE_LIMIT = 60 * 1024


@dataclass
class Built:
    catalog: Catalog
    root: Path
    folder: Path
    files: dict[str, bytes]


OWN_URL = "https://zwfw.province.example.cn/item/610000-000-12"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _catalog(tmp: Path) -> Path:
    """The worked example, plus what a published site must show: former ids, a retired
    matter, a window, a matter with its own (provincial) address, faq, special procedures."""
    root = tmp / "catalog"
    shutil.copytree(NEWBORN, root)
    write(
        root,
        "windows.yaml",
        "windows:\n  - id: birth\n    name: 出生一件事专窗（5号）\n    address: 二楼东侧\n",
    )
    _append(root / "events" / "newborn.yaml", "former_ids: [birth]\nwindow: birth\n")
    _append(
        root / "matters" / "vaccination-certificate.yaml",
        "former_ids: [vaccination]\n"
        "faq:\n  - {question: 可以代办吗？, answer: 可以由监护人代办。}\n"
        "special_procedures:\n  - {name: 专家评审, days: 10}\nresult: 预防接种证\n",
    )
    _append(root / "matters" / "newborn-medical-insurance.yaml", f"url: {OWN_URL}\n")
    write(
        root,
        "matters/old-certificate.yaml",
        "id: old-certificate\nname: 旧版准生证办理\ntype: 公共服务\ndepartment: health\n"
        "materials: []\nsteps: [申请]\npromised_days: 1\nvisits: 1\nonline: 线下办理\n"
        "status: retired\nreplaced_by: birth-medical-certificate\n",
    )
    return root


def _build(root: Path, out: Path) -> Built:
    result = validate(root)
    assert not result.report.errors, [str(d) for d in result.report.diagnostics][:5]
    files = site_files(result.catalog)
    write_site(files, out)
    return Built(result.catalog, root, out, files)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("site")
    return _build(_catalog(tmp), tmp / "site")


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[SiteServer]:
    with open_server(built.folder, 0) as running:
        thread = threading.Thread(target=running.serve_forever, daemon=True)
        thread.start()
        yield running
        running.shutdown()


def _local(server: SiteServer, url: str, base: str) -> str:
    """The preview address of a public address below the site's base."""
    assert url.startswith(base), url
    return server.url + url[len(base) :]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _h1(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert found, html[:300]
    return found[1].strip()


# ---------------------------------------------------------------- files


def test_every_record_address_has_its_page(built: Built) -> None:
    catalog, files = built.catalog, built.files
    base = site_base(catalog.header)
    assert base == "https://zwfw.example.cn/example/"
    for event_id in catalog.events:
        page = page_path(catalog.event_url(event_id), base)
        assert page == f"events/{event_id}/index.html"
        assert _h1(files[page].decode()) == catalog.events[event_id].name
    for matter in catalog.matters.values():
        html = files[f"matters/{matter.id}/index.html"].decode()
        assert _h1(html) == matter.name
    # a matter's own address is linked from its page, which lives at the template's address
    assert f'href="{OWN_URL}"' in files["matters/newborn-medical-insurance/index.html"].decode()
    assert catalog.matter_url("newborn-medical-insurance") == OWN_URL
    guide = files["matters/vaccination-certificate/index.html"].decode()
    for text in ("可以代办吗？", "可以由监护人代办。", "专家评审（10个工作日）", "特别程序"):
        assert text in guide
    notice = files["events/newborn/index.html"].decode()
    assert "出生一件事专窗（5号）" in notice and "二楼东侧" in notice
    retired = files["matters/old-certificate/index.html"].decode()
    assert "已不再办理" in retired and "示例县政务服务中心" in retired
    assert 'href="../birth-medical-certificate/">出生医学证明</a>' in retired
    assert 'url=../vaccination-certificate/"' in files["matters/vaccination/index.html"].decode()
    assert 'url=../newborn/"' in files["events/birth/index.html"].decode()
    for page in ("index.html", "departments/index.html", "search/index.html", "404.html"):
        assert page in files
    sitemap = files["sitemap.xml"].decode()
    assert f"<loc>{base}events/newborn/</loc>" in sitemap
    assert "old-certificate" not in sitemap and "/vaccination/" not in sitemap


def test_pages_are_small_self_contained_chinese_html(built: Built) -> None:
    for path, content in built.files.items():
        if not path.endswith(".html"):
            continue
        assert len(content) < PAGE_LIMIT, (path, len(content))
        html = content.decode("utf-8")
        assert '<html lang="zh-CN"' in html, path
        # no request leaves the site: scripts, images and linked resources are relative
        # (links a reader may follow, <a href>, can go anywhere)
        for reference in re.findall(r'src="([^"]+)"', html) + [
            m[1] for m in re.finditer(r'<link rel="(?!canonical)[^"]*" href="([^"]+)"', html)
        ]:
            assert not reference.startswith(("http:", "https:", "//")), (path, reference)
    assert b"http" not in built.files["assets/site.css"]
    assert b"http" not in built.files["assets/site.js"]


def test_matter_pages_carry_government_service_json_ld(built: Built) -> None:
    html = built.files["matters/birth-medical-certificate/index.html"].decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["@type"] == "GovernmentService"
    assert data["name"] == built.catalog.matters["birth-medical-certificate"].name
    assert data["url"] == built.catalog.matter_url("birth-medical-certificate")
    assert data["provider"]["name"] == built.catalog.departments["health"].name


def test_event_page_figures_are_the_simplification(built: Built) -> None:
    html = built.files["events/newborn/index.html"].decode()
    result = simplify(built.catalog, "newborn")
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(\d+)</td><td>(\d+)</td>", html)
    assert [(int(b), int(a)) for _, b, a in rows] == [
        (getattr(result.before, f), getattr(result.after, f))
        for f in ("materials", "steps", "days", "visits")
    ]


def test_two_builds_are_byte_identical_and_manifested(built: Built, tmp_path: Path) -> None:
    again = _build(built.root, tmp_path / "again")
    assert again.files == built.files
    written = {
        p.relative_to(again.folder).as_posix(): p.read_bytes()
        for p in again.folder.rglob("*")
        if p.is_file()
    }
    assert written == built.files
    manifest = json.loads(built.files[MANIFEST])
    assert manifest["format"] == "xpcli-site/1"
    assert set(manifest["files"]) == set(built.files) - {MANIFEST}
    assert any(path.startswith("pagefind/") for path in manifest["files"])


def test_cli_build_site_and_a_site_base_that_does_not_hold_the_templates(
    catalog_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "www"
    done = runner.invoke(
        app, ["build-site", "-c", str(catalog_dir), "-o", str(out), "--lang", "en"]
    )
    assert done.exit_code == 0, done.output
    assert "pages" in done.output and (out / "events/newborn/index.html").is_file()
    header = catalog_dir / "catalog.yaml"
    text = header.read_text("utf-8").replace(
        "online:\n", "online:\n  site_base: https://zwfw.example.cn/other/\n"
    )
    header.write_text(text, "utf-8")
    done = runner.invoke(app, ["build-site", "-c", str(catalog_dir), "-o", str(out)])
    assert done.exit_code == 1
    report = validate(catalog_dir).report
    assert [d.code for d in report.diagnostics if d.severity == "error"] == ["bad-site-base"]
    assert (out / "events/newborn/index.html").is_file()  # the previous site is untouched


def test_catalog_text_is_escaped_everywhere(catalog_dir: Path) -> None:
    evil = "</script><script>alert(1)</script>&"
    path = catalog_dir / "matters" / "vaccination-certificate.yaml"
    path.write_text(
        path.read_text("utf-8").replace("name: 预防接种证", f"name: '预防接种证{evil}'"), "utf-8"
    )
    result = validate(catalog_dir)
    assert not result.report.errors
    files = site_files(result.catalog)
    for page in ("matters/vaccination-certificate/index.html", "events/newborn/index.html"):
        html = files[page].decode()
        assert "<script>alert" not in html, page
    guide = files["matters/vaccination-certificate/index.html"].decode()
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in guide
    data = re.search(r'application/ld\+json">(.*?)</script>', guide, re.S)[1]
    assert json.loads(data)["name"] == "预防接种证" + evil


def test_replaced_by_must_name_a_record_of_its_kind(catalog_dir: Path) -> None:
    path = catalog_dir / "matters" / "vaccination-certificate.yaml"
    path.write_text(
        path.read_text("utf-8") + "status: retired\nreplaced_by: newborn\n", "utf-8"
    )  # an event's id, not a matter's
    report = validate(catalog_dir).report
    found = [(d.code, d.location.line) for d in report.diagnostics if d.code.startswith("unres")]
    assert found == [("unresolved-reference", 14)]  # the replaced_by line


def test_build_site_replaces_only_its_own_folder(catalog_dir: Path, tmp_path: Path) -> None:
    precious = tmp_path / "notes"
    write(precious, "todo.txt", "keep me")
    for target in (precious, catalog_dir, catalog_dir.parent):
        done = runner.invoke(app, ["build-site", "-c", str(catalog_dir), "-o", str(target)])
        assert done.exit_code == 2, (target, done.output)
    assert (precious / "todo.txt").read_text("utf-8") == "keep me"
    assert (catalog_dir / "catalog.yaml").is_file()


def test_site_base_option_moves_the_pages(catalog_dir: Path) -> None:
    header = catalog_dir / "catalog.yaml"
    header.write_text(
        header.read_text("utf-8").replace(
            "online:\n", "online:\n  site_base: https://zwfw.example.cn/\n"
        ),
        "utf-8",
    )
    result = validate(catalog_dir)
    assert not result.report.errors
    files = site_files(result.catalog)
    assert "example/events/newborn/index.html" in files


# ---------------------------------------------------------------- preview server


def test_preview_serves_at_the_base_path_with_its_404(built: Built, server: SiteServer) -> None:
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/example/")
    status, html = _get(server.url + "events/newborn")  # as printed: no trailing slash
    assert status == 200 and _h1(html) == "新生儿出生“一件事”"
    status, html = _get(server.url + "nothing/here/")
    assert status == 404 and "页面不存在" in html and 'href="/example/"' in html
    status, _ = _get(server.url + "matters/")  # no directory listings
    assert status == 404
    status, html = _get(server.url.removesuffix("example/"))
    assert status == 200 and _h1(html) == built.catalog.header.title


# ---------------------------------------------------------------- QR codes of the handbook


def _decode_handbook_qr(root: Path, tmp: Path) -> set[str]:
    import zxingcpp
    from PIL import Image

    from xpcli.handbook import build
    from xpcli.handbook import pdf as handbook_pdf

    if not handbook_pdf.cjk_fonts() or shutil.which("pdftoppm") is None:
        pytest.skip("needs fonts-noto-cjk and poppler-utils")
    pdf = tmp / "handbook.pdf"
    build(validate(root).catalog, output=pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(pdf), str(tmp / "p")], check=True)
    found = set()
    for image in sorted(tmp.glob("p-*.pgm")):
        with Image.open(image) as page:
            for code in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode):
                found.add(code.text)
    return found


def test_every_handbook_qr_code_opens_its_page(
    built: Built, server: SiteServer, tmp_path: Path
) -> None:
    catalog = built.catalog
    base = site_base(catalog.header)
    names = {catalog.event_url(e.id): e.name for e in catalog.events.values()}
    names.update({catalog.matter_url(m.id): m.name for m in catalog.matters.values()})
    payloads = _decode_handbook_qr(built.root, tmp_path)
    assert len(payloads) == 6  # the event and its five matters
    assert OWN_URL in payloads  # a matter's own address: its page is elsewhere, ours links it
    for payload in sorted(payloads - {OWN_URL}):
        status, html = _get(_local(server, payload, base))
        assert status == 200, payload
        assert _h1(html) == names[payload], payload


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian's chromium and chromium-driver are not installed (make test does)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="xpcli-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.set_window_size(1280, 900)
            yield driver
        finally:
            driver.quit()


def _visible_names(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        row.find_element(By.CSS_SELECTOR, ".name").text
        for row in driver.find_elements(By.CSS_SELECTOR, ".checklist > li")
        if row.is_displayed()
    ]


def test_event_page_in_the_browser_shows_the_cli_figures(
    built: Built, server: SiteServer, browser
) -> None:
    from selenium.webdriver.common.by import By

    done = runner.invoke(
        app, ["show", "event", "newborn", "-c", str(built.root), "--format", "json"]
    )
    expected = json.loads(done.output)
    browser.get(server.url + "events/newborn/")
    cells = [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
        for row in browser.find_elements(By.CSS_SELECTOR, "table.figures tbody tr")
    ]
    figures = ("materials", "steps", "days", "visits")
    assert cells == [
        [
            str(expected["before"][f]),
            str(expected["after"][f]),
            f"{expected['reduction'][f]}%",
        ]
        for f in figures
    ]
    assert f"涉及 {expected['departments']} 个部门" in browser.page_source


def test_ticking_a_situation_adds_its_materials_and_unticking_removes_them(
    built: Built, server: SiteServer, browser
) -> None:
    from selenium.webdriver.common.by import By

    catalog = built.catalog
    result = simplify(catalog, "newborn")
    everyone = [catalog.materials[m.material].name for m in result.materials]
    browser.get(server.url + "events/newborn/")
    assert _visible_names(browser) == everyone  # nothing ticked: the list everyone brings
    for number, situation in enumerate(result.situations, start=1):
        extra = [
            catalog.materials[m.material].name
            for m in situation.materials
            if catalog.materials[m.material].name not in everyone
        ]
        box = browser.find_element(By.ID, f"situation-{number}")
        box.click()
        assert _visible_names(browser) == everyone + extra, situation.condition
        count = browser.find_element(By.ID, "count").text
        assert count == f"您需要准备 {len(everyone) + len(extra)} 份材料"
        box.click()
        assert _visible_names(browser) == everyone
    assert any(  # the fixture has a situation that brings its own materials
        catalog.materials[m.material].name not in everyone
        for s in result.situations
        for m in s.materials
    )


def test_keyboard_first_reaches_the_skip_link_and_nothing_leaves_the_site(
    server: SiteServer, browser
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "search/?q=" + urllib.request.quote("出生"))
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results a"))
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "跳到正文" and focused.get_attribute("href").endswith("#main")
    assert focused.value_of_css_property("outline-style") == "solid"  # visible focus
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert any("pagefind" in url for url in loaded)
    origin = server.url.split("/example/")[0]
    assert all(url.startswith(origin) for url in loaded), loaded


def test_a_former_id_lands_on_the_current_page(server: SiteServer, browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "matters/vaccination")
    WebDriverWait(browser, 5).until(lambda d: "vaccination-certificate" in d.current_url)
    assert browser.current_url == server.url + "matters/vaccination-certificate/"
    assert browser.find_element("tag name", "h1").text == "预防接种证"


def test_search_finds_chinese_names_and_materials(server: SiteServer, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "search/?q=" + urllib.request.quote("接种"))
    WebDriverWait(browser, 10).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "#results a")
            or "没有" in d.find_element(By.ID, "search-status").text
        )
    )
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#results a")]
    assert "预防接种证" in titles
    link = browser.find_element(By.LINK_TEXT, "预防接种证").get_attribute("href")
    assert link == server.url + "matters/vaccination-certificate/"


@pytest.mark.parametrize(
    "page",
    [
        "",
        "events/newborn/",
        "matters/newborn-household-registration/",
        "search/?q=%E5%87%BA%E7%94%9F",
    ],
)
def test_axe_finds_no_violations(server: SiteServer, browser, page: str) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core not installed (make test installs it into .cache/)")
    browser.get(server.url + page)
    browser.execute_script(AXE.read_text("utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']}).then(r => done(r.violations.map("
        "v => [v.id, v.nodes.map(n => n.target.join(' '))])));"
    )
    assert result == [], result


def test_the_print_stylesheet_prints_the_personal_notice_on_one_page(
    built: Built, server: SiteServer, browser, tmp_path: Path
) -> None:
    import base64

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    browser.get(server.url + "events/newborn/")
    browser.find_element(By.ID, "situation-2").click()  # 自愿申领社会保障卡的
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(base64.b64decode(browser.print_page(options)))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("\f") == 1, "more than one page"
    squashed = re.sub(r"\s+", "", text)
    assert "一次性告知单" in squashed and "适用情形：自愿申领社会保障卡的" in squashed
    for name in _visible_names(browser):
        assert re.sub(r"\s+", "", name) in squashed
    assert "办理效果" not in squashed and "无需提交的材料" not in squashed
    assert "出生一件事专窗（5号）二楼东侧（示例县政务服务中心，示例县人民路1号）" in squashed


def test_preview_command_serves_until_ctrl_c(built: Built) -> None:
    import signal
    import sys

    process = subprocess.Popen(
        [sys.executable, "-c", "from xpcli.cli import main; main()", "preview",
         str(built.folder), "--port", "0", "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = process.stdout.readline() if process.stdout else ""
        url = re.search(r"http://127\.0\.0\.1:\d+/example/", line)
        assert url, line
        status, html = _get(url[0] + "events/newborn/")
        assert status == 200 and _h1(html) == "新生儿出生“一件事”"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_preview_without_a_site_is_a_clear_error(tmp_path: Path) -> None:
    done = runner.invoke(app, ["preview", str(tmp_path), "--lang", "en"])
    assert done.exit_code == 2
    assert "no built site" in done.output


def test_axe_does_report_a_violation(server: SiteServer, browser) -> None:
    """The check above can fail: an image without alt text on the home page is reported."""
    if not AXE.is_file():
        pytest.skip("axe-core not installed (make test installs it into .cache/)")
    browser.get(server.url)
    browser.execute_script(
        "document.querySelector('main').append(Object.assign(document.createElement('img'),"
        " {src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw='}));"
    )
    browser.execute_script(AXE.read_text("utf-8"))
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => v.id)));"
    )
    assert "image-alt" in found


def test_event_page_screenshots_for_a_person(server: SiteServer, browser) -> None:
    OUTPUT.mkdir(exist_ok=True)
    for width in (375, 1280):
        browser.set_window_size(width, 900)
        browser.get(server.url + "events/newborn/")
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(height + 140, 5000))
        shot = OUTPUT / f"site-event-{width}.png"
        assert browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        # nothing wider than the screen on a phone
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (width, overflow)
    browser.set_window_size(1280, 900)
    print(f"screenshots: {OUTPUT}")
