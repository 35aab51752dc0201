"""The elements real 实施清单 records carry: own url, real codes, windows, 告知承诺, special
procedures, faq, result, drafts. Read back through validate, simplify, export and the QR code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import check, codes, found, write
from xpcli.codes import check_digit_error, credit_check_character
from xpcli.export import export_files
from xpcli.handbook.context import build_context
from xpcli.handbook.qr import make_qr
from xpcli.loader import load_catalog
from xpcli.simplify import simplify

OWN_URL = "https://zwfw.example.gov.cn/guide/item?code=11610000MB0000000X3000201001000"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _national(first17: str = "11610481MB0000000") -> str:
    """A 31-character 实施编码 with a correct check character (computed, not copied)."""
    return first17 + credit_check_character(first17) + "3" + "000201001000"


def test_check_character_of_the_standards_example() -> None:
    # GB 32100-2015's own example code is 91350100M000100Y43.
    assert credit_check_character("91350100M000100Y4") == "3"
    assert check_digit_error("91350100M000100Y43" + "3000201001000") is None
    assert check_digit_error("91350100M000100Y45" + "3000201001000") == ("91350100M000100Y45", "3")
    assert check_digit_error("511A0138000000-511602000000-000") is None  # not the national shape


def test_wrong_check_digit_is_warned(catalog_dir: Path) -> None:
    good = _national()
    wrong = good[:17] + ("0" if good[17] != "0" else "1") + good[18:]
    path = catalog_dir / "matters/birth-medical-certificate.yaml"
    _edit(path, "department: health", f'code: "{good}"\ndepartment: health')
    assert "bad-check-digit" not in codes(check(catalog_dir))
    _edit(path, good, wrong)
    result = check(catalog_dir)
    assert ("bad-check-digit", "matters/birth-medical-certificate.yaml", 4) in found(result)
    assert not result.report.failed()  # a warning
    (diag,) = [d for d in result.report.diagnostics if d.code == "bad-check-digit"]
    assert diag.params["expected"] == good[17]


def test_dashed_codes_are_accepted(catalog_dir: Path) -> None:
    path = catalog_dir / "matters/birth-medical-certificate.yaml"
    _edit(
        path,
        "department: health",
        'code: "511A0138000000-511602000000-000-1-00"\nlocal_code: "XP-0001"\ndepartment: health',
    )
    assert check(catalog_dir).report.diagnostics == ()


def test_windows_are_optional_and_referenced(catalog_dir: Path) -> None:
    write(
        catalog_dir,
        "windows.yaml",
        'windows:\n  - id: w1\n    name: 综合受理3号窗口\n    phone: "029-1"\n',
    )
    path = catalog_dir / "matters/birth-medical-certificate.yaml"
    _edit(path, "department: health", "department: health\nwindow: w1")
    assert check(catalog_dir).report.diagnostics == ()
    _edit(path, "window: w1", "window: w2")
    assert ("unresolved-reference", "matters/birth-medical-certificate.yaml", 5) in found(
        check(catalog_dir)
    )


def test_a_draft_needs_only_id_name_department(catalog_dir: Path) -> None:
    write(
        catalog_dir,
        "matters/new.yaml",
        "id: new\nname: 新事项\ndepartment: health\nstatus: draft\n",
    )
    assert check(catalog_dir).report.diagnostics == ()
    write(catalog_dir, "matters/new.yaml", "id: new\nname: 新事项\ndepartment: health\n")
    missing = {d.params["key"] for d in check(catalog_dir).report.diagnostics}
    assert missing == {"type", "materials", "steps", "promised_days", "visits", "online"}


def test_a_draft_without_figures_cannot_be_in_an_event(catalog_dir: Path) -> None:
    write(
        catalog_dir,
        "matters/new.yaml",
        "id: new\nname: 新事项\ndepartment: health\nstatus: draft\n",
    )
    _edit(catalog_dir / "events/newborn.yaml", "matters:\n", "matters:\n  - matter: new\n")
    result = check(catalog_dir)
    assert ("incomplete-matter-in-event", "events/newborn.yaml", 7) in found(result)
    assert result.report.failed()


def test_commitment_sets_a_material_aside(catalog_dir: Path) -> None:
    """resident-id-card is the only material left besides the combined form. Allowing 告知承诺
    on some of its counted entries changes nothing; on all of them sets it aside."""
    before = simplify(load_catalog(catalog_dir).catalog, "newborn")
    assert (before.before.materials, before.after.materials) == (11, 2)
    birth = catalog_dir / "matters/birth-medical-certificate.yaml"
    _edit(
        birth,
        "{material: resident-id-card, form: 原件}",
        "{material: resident-id-card, form: 原件, commitment: true}",
    )
    assert simplify(load_catalog(catalog_dir).catalog, "newborn").after.materials == 2
    for name in ("newborn-household-registration", "vaccination-certificate"):
        _edit(
            catalog_dir / f"matters/{name}.yaml",
            "{material: resident-id-card, form: 原件}",
            "{material: resident-id-card, form: 原件, commitment: true}",
        )
    after = simplify(load_catalog(catalog_dir).catalog, "newborn")
    assert after.before.materials == 11
    assert after.after.materials == 1
    assert after.reduction.materials == 91  # round_half_up(100 × 10 / 11)
    assert after.set_aside[-1].material == "resident-id-card"
    assert after.set_aside[-1].reason == "告知承诺"


def test_commitment_comes_after_the_other_reasons(catalog_dir: Path) -> None:
    """marriage-certificate is an e-licence: allowing 告知承诺 on it keeps 电子证照共享."""
    for name in ("birth-medical-certificate", "newborn-household-registration"):
        path = catalog_dir / f"matters/{name}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(
                "{material: marriage-certificate, form: ",
                "{commitment: true, material: marriage-certificate, form: ",
            ),
            encoding="utf-8",
        )
    result = simplify(load_catalog(catalog_dir).catalog, "newborn")
    assert {s.material: s.reason for s in result.set_aside}[
        "marriage-certificate"
    ] == "电子证照共享"


def test_own_url_is_the_qr_code_and_the_export(catalog_dir: Path, tmp_path: Path) -> None:
    path = catalog_dir / "matters/vaccination-certificate.yaml"
    _edit(path, "department: health", f"department: health\nurl: {OWN_URL}")
    _edit(
        path,
        "promised_days:",
        "special_procedures:\n  - {name: 专家评审, days: 10}\n"
        "faq:\n  - {question: 可以代办吗？, answer: 可以。}\nresult: 预防接种证\npromised_days:",
    )
    assert check(catalog_dir).report.diagnostics == ()
    catalog = load_catalog(catalog_dir).catalog
    record = json.loads(export_files(catalog)["matters/vaccination-certificate.json"])
    assert record["url"] == OWN_URL
    assert record["special_procedures"] == [{"name": "专家评审", "days": 10}]
    assert record["faq"] == [{"question": "可以代办吗？", "answer": "可以。"}]
    assert record["result"] == "预防接种证"
    event = json.loads(export_files(catalog)["events/newborn.json"])
    assert OWN_URL in [m["url"] for m in event["matters"]]
    view = next(m for m in build_context(catalog).matters if m.id == "vaccination-certificate")
    assert view.url == OWN_URL
    symbol = make_qr(view.url)  # the symbol the handbook draws, rasterised and decoded
    assert symbol.path in str(view.qr)
    assert _decode(symbol.path, symbol.modules, tmp_path) == OWN_URL


def _decode(path: str, modules: int, tmp: Path) -> str:
    scale = 8
    image = Image.new("L", (modules * scale, modules * scale), 255)
    pixels = image.load()
    assert pixels is not None
    for part in path.split("M")[1:]:
        start, rest = part.split(" ", 1)
        y = int(rest.split(".")[0])
        run = int(rest.split("h")[1])
        for x in range(int(start), int(start) + run):
            for dx in range(scale):
                for dy in range(scale):
                    pixels[x * scale + dx, y * scale + dy] = 0
    (code,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return code.text


def test_notice_names_the_real_window(catalog_dir: Path) -> None:
    write(
        catalog_dir,
        "windows.yaml",
        "windows:\n  - id: birth\n    name: 出生一件事专窗（5号）\n    address: 二楼东侧\n",
    )
    _edit(
        catalog_dir / "events/newborn.yaml", "promised_days: 5", "promised_days: 5\nwindow: birth"
    )
    catalog = load_catalog(catalog_dir).catalog
    book = build_context(catalog)
    (notice,) = book.events
    assert notice.window.name == "出生一件事专窗（5号）"
    assert notice.window.address == "二楼东侧"
    assert notice.window.hours == catalog.header.center_hours
    assert "出生一件事专窗（5号）一次受理" in notice.flow[1].detail
    assert [w.name for w in book.windows] == ["出生一件事专窗（5号）"]
    event = json.loads(export_files(catalog)["events/newborn.json"])
    assert event["window"]["name"] == "出生一件事专窗（5号）"


@pytest.mark.parametrize("kind", ["windows", "matter"])
def test_schema_command_knows_the_kinds(kind: str) -> None:
    from tests.conftest import runner
    from xpcli.cli import app

    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "object"
