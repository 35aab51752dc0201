"""xpcli import and xpcli ledger, read back with real readers (openpyxl, the loader, validate).

The sheets are built in code (tests/messy_sheet.py): 1,200 messy matter rows, a GBK csv twin,
the platforms' AUDIT JSON."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests import messy_sheet
from tests.conftest import runner
from xpcli.cli import app
from xpcli.loader import load_catalog
from xpcli.validate import validate

ROWS = 1200


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A fresh `xpcli init` catalog with the messy sheet imported: (catalog, xlsx, folder)."""
    base = tmp_path_factory.mktemp("import")
    catalog = base / "catalog"
    assert run("init", str(catalog.parent))[0] == 0
    sheet = messy_sheet.write_xlsx(base / "实施清单.xlsx", ROWS)
    code, _out, err = run("import", str(sheet), "-c", str(catalog), "--lang", "en")
    assert code == 0, err
    return catalog, sheet, base


def test_import_makes_a_valid_catalog(imported: tuple[Path, Path, Path]) -> None:
    catalog, _, _ = imported
    result = validate(catalog)
    assert result.report.errors == 0, [d.code for d in result.report.diagnostics][:5]
    model = load_catalog(catalog).catalog
    names = [m for m in model.matters.values() if m.name == "事项0000号登记"]
    assert len(names) == 2  # the same name under two departments: two matters
    assert sorted(m.id for m in names) == [
        "shi-xiang-0000-hao-deng-ji",
        "shi-xiang-0000-hao-deng-ji-2",
    ]
    assert len(model.matters) == ROWS + 2  # init's two sample matters are kept
    dashed = next(
        m for m in model.matters.values() if m.local_code and m.local_code.endswith("-3-00")
    )
    assert dashed.code is None and "-" in dashed.local_code
    assert model.matters["shi-xiang-0005-hao-deng-ji"].status == "draft"  # no 办理流程
    first = model.matters["shi-xiang-0000-hao-deng-ji"]
    assert first.steps == ("申请", "受理", "审核", "办结")
    assert first.promised_days == 0  # 即办
    assert first.legal_basis == ("《中华人民共和国行政许可法》", "《陕西省政务服务条例》第十条")
    assert first.phone == "029-38800000"
    assert first.url == "https://zwfw.example.gov.cn/guide?item=0"
    assert first.window is not None and model.windows[first.window].name == "综合受理1号窗口"
    assert [e.material for e in first.materials] == [
        "resident-id-card",  # matched by name with init's 居民身份证
        "shen-qing-biao",
        "zhuan-yong-zheng-ming-0",
    ]
    assert first.materials[2].tolerance and first.materials[1].copies == 2
    assert model.departments["xing-ping-shi-gong-an-ju"].name == "兴平市公安局"


def test_import_twice_changes_nothing(imported: tuple[Path, Path, Path]) -> None:
    catalog, sheet, _ = imported
    before = snapshot(catalog)
    code, out, _ = run("import", str(sheet), "-c", str(catalog), "--lang", "en")
    assert code == 0
    assert "0 file(s) created, 0 changed" in out
    assert snapshot(catalog) == before


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_twin_changes_nothing(imported: tuple[Path, Path, Path], encoding: str) -> None:
    catalog, _, base = imported
    twin = messy_sheet.write_csv(base / f"twin-{encoding}.csv", ROWS, encoding)
    before = snapshot(catalog)
    code, _, err = run("import", str(twin), "-c", str(catalog), "--lang", "zh")
    assert code == 0, err
    assert snapshot(catalog) == before


def test_unknown_columns_are_listed_once(imported: tuple[Path, Path, Path]) -> None:
    catalog, sheet, _ = imported
    _, _, err = run("import", str(sheet), "-c", str(catalog), "--dry-run", "--lang", "zh")
    assert err.count("备注（内部）") == 1 and "经办人" in err
    assert "监督投诉方式" not in err  # a national element, recognised


def test_ledger_reads_back_and_imports_to_no_change(
    imported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    catalog, _, _ = imported
    work = tmp_path / "catalog"
    shutil.copytree(catalog, work)
    # a name a spreadsheet would run as a formula: neutralised, and read back as it was
    matter = next((work / "matters").rglob("shi-xiang-0002-hao-deng-ji.yaml"))
    matter.write_text(
        matter.read_text(encoding="utf-8").replace("name: 事项0002号登记", 'name: "=1+1事项"'),
        encoding="utf-8",
    )
    ledger = tmp_path / "台账.xlsx"
    code, _, err = run("ledger", "-c", str(work), "-o", str(ledger), "--lang", "zh")
    assert code == 0, err
    book = load_workbook(ledger)
    assert book.sheetnames == ["事项清单", "材料清单", "一件事清单", "部门", "窗口"]
    sheet = book["事项清单"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["实施编码", "事项名称", "地方实施编码"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["B"].width > 10
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=1+1事项" in names
    events = book["一件事清单"]
    row = next(events.iter_rows(min_row=2, values_only=True))
    assert row[0] == "新生儿出生“一件事”"
    before = snapshot(work)
    code, _out, err = run("import", str(ledger), "-c", str(work), "--lang", "en")
    assert code == 0, err
    assert snapshot(work) == before


def test_bad_rows_are_located_and_nothing_is_written(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("init", str(catalog.parent))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "清单"
    sheet.append(["事项名称", "实施主体", "承诺办结时限", "办理形式"])
    for i in range(10):
        sheet.append([f"事项{i}", "兴平市公安局", 5, "网上预审"])
    sheet.append(["坏事项", "兴平市公安局", "三天", "网上预审"])  # row 12, column C
    sheet.append(["坏事项2", "兴平市公安局", 3, "信鸽传书"])  # row 13, column D
    path = tmp_path / "m.xlsx"
    workbook.save(path)
    before = snapshot(catalog)
    code, _, err = run("import", str(path), "-c", str(catalog), "--lang", "zh")
    assert code == 1
    assert f"{path}:清单!C12：`三天` 不是工作日数" in err
    assert f"{path}:清单!D13：`信鸽传书` 不是可选值" in err
    assert "输入中有 2 个问题，未写入任何文件" in err
    code, _, err = run("import", str(path), "-c", str(catalog), "--lang", "en")
    assert f"{path}:清单!C12: `三天` is not a number of working days" in err
    assert snapshot(catalog) == before


def test_a_map_names_other_columns_and_values(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("init", str(catalog.parent))
    path = tmp_path / "m.csv"
    path.write_text("项目,单位,时限,方式\n婚姻登记,兴平市民政局,1,A1\n", encoding="utf-8")
    the_map = tmp_path / "map.yaml"
    the_map.write_text(
        "columns:\n  项目: 事项名称\n  单位: 实施主体\n  时限: 承诺办结时限\n  方式: 办理形式\n"
        "values:\n  online:\n    A1: 线下办理\n",
        encoding="utf-8",
    )
    code, _, err = run("import", str(path), "-c", str(catalog), "--map", str(the_map))
    assert code == 0, err
    matter = load_catalog(catalog).catalog.matters["hun-yin-deng-ji"]
    assert (matter.promised_days, matter.online, matter.status) == (1, "线下办理", "draft")


def test_audit_json(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("init", str(catalog.parent))
    path = messy_sheet.audit_json(tmp_path / "audit.json")
    code, _, err = run("import", str(path), "-c", str(catalog), "--lang", "en")
    assert code == 0, err
    assert validate(catalog).report.errors == 0
    model = load_catalog(catalog).catalog
    food = model.matters["shi-pin-jing-ying-xu-ke-xin-ban"]
    assert food.code == messy_sheet.national_code(90001)
    assert (food.legal_days, food.promised_days, food.visits) == (20, 7, 1)
    assert food.url == "https://zwfw.example.gov.cn/guide?item=food"
    assert [(p.name, p.days) for p in food.special_procedures] == [("现场核查", 10)]
    assert [(q.question, q.answer) for q in food.faq] == [
        ("可以网上办理吗？", "可以，网上预审后现场领证。")
    ]
    assert model.windows[food.window or ""].phone == "029-38812555"
    assert [(e.form, e.copies) for e in food.materials] == [("原件", 1), ("原件及复印件", 1)]
    assert food.status == "draft"  # no 办理流程 on the platform record
    health = model.matters["gong-gong-chang-suo-wei-sheng-xu-ke"]
    assert (health.promised_days, health.online, health.fee) == (0, "全程网办", "不收费")


def test_bad_json_value_is_located(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("init", str(catalog.parent))
    path = messy_sheet.audit_json(tmp_path / "audit.json")
    path.write_text(path.read_text(encoding="utf-8").replace('"7"', '"七天"'), encoding="utf-8")
    code, _, err = run("import", str(path), "-c", str(catalog), "--lang", "en")
    assert code == 1
    assert f"{path}:[0].AUDIT_ITEM.promise_day: `七天`" in err


def test_reimport_keeps_hand_work_and_reports_absent(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("init", str(catalog.parent))
    path = tmp_path / "m.csv"
    head = "实施编码,事项名称,实施主体,承诺办结时限,办理流程\n"
    code = messy_sheet.national_code(1)
    path.write_text(head + f"{code},出生登记,兴平市公安局,5,申请→办结\n", encoding="utf-8")
    run("import", str(path), "-c", str(catalog))
    file = catalog / "matters/xing-ping-shi-gong-an-ju/chu-sheng-deng-ji.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.startswith("id: chu-sheng-deng-ji\nname: 出生登记\n")
    hand = text.replace("steps: [申请, 办结]", "# 2024年流程再造\nsteps: [申请, 受理, 办结]")
    hand = hand.replace("promised_days: 5", "promised_days: 5  # 承诺压缩")
    file.write_text(hand + "materials:\n  - material: resident-id-card\n    form: 原件\n", "utf-8")
    path.write_text(head + f"{code},出生登记,兴平市公安局,3,申请→审核\n", encoding="utf-8")
    status, _out, err = run("import", str(path), "-c", str(catalog), "--lang", "en")
    assert status == 0, err
    after = file.read_text(encoding="utf-8")
    assert "# 2024年流程再造\nsteps: [申请, 受理, 办结]" in after  # steps and comment kept
    assert "promised_days: 3  # 承诺压缩" in after  # the sheet's value, the comment kept
    assert "  - material: resident-id-card\n    form: 原件\n" in after
    assert "in the catalog but not in the input (kept): 2 matter(s)" in err
    assert (catalog / "matters/birth-medical-certificate.yaml").is_file()


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    run("init", str(catalog.parent))
    path = tmp_path / "m.csv"
    path.write_text(
        "事项名称,实施主体,承诺办结时限\n出生医学证明办理,示例县卫生健康局,3\n", encoding="utf-8"
    )
    before = snapshot(catalog)
    code, out, err = run("import", str(path), "-c", str(catalog), "--dry-run", "--lang", "zh")
    assert code == 0, err
    assert "+ chu-sheng-yi-xue-zheng-ming-ban-li 出生医学证明办理" in out
    assert "试运行：未写入任何文件" in out
    assert snapshot(catalog) == before


def test_dry_run_names_new_windows(tmp_path: Path) -> None:
    catalog = tmp_path / "county" / "catalog"
    run("init", str(catalog.parent))
    path = messy_sheet.audit_json(tmp_path / "audit.json")
    code, out, err = run("import", str(path), "-c", str(catalog), "--dry-run", "--lang", "zh")
    assert code == 0, err
    assert f"目录变更 {catalog.as_posix()} → audit.json" in out
    assert "窗口\n  + shi-pin-xu-ke-chuang-kou 食品许可窗口" in out
    assert not (catalog / "windows.yaml").exists()
