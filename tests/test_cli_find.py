"""Finding things: `list` (text, json, csv; filters) and `show event|matter` by id or name."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import NEWBORN, REPO, run_cli

XINGPING = REPO / "catalog"


def test_list_matters_json_in_a_departments_order() -> None:
    result = run_cli("list", "matters", "-c", NEWBORN, "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == [
        "birth-medical-certificate",
        "vaccination-certificate",
        "social-security-card",
        "newborn-medical-insurance",
        "newborn-household-registration",
    ]
    assert rows[-1] == {
        "id": "newborn-household-registration",
        "name": "出生登记",
        "department": "示例县公安局",
        "type": "行政确认",
        "events": 1,
        "status": "active",
    }


@pytest.mark.parametrize(
    ("lang", "header"),
    [
        ("zh", ["编号", "名称", "所属树", "牵头部门", "事项数", "状态"]),
        ("en", ["id", "name", "tree", "lead department", "matters", "status"]),
    ],
)
def test_list_events_csv_has_a_bom_and_headers_in_the_language(lang: str, header: list) -> None:
    result = run_cli("list", "events", "-c", NEWBORN, "--format", "csv", "--lang", lang)
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert rows == [
        header,
        ["newborn", "新生儿出生“一件事”", "person", "示例县卫生健康局", "5", "active"],
    ]


def test_list_filters_by_tree_department_and_status() -> None:
    def ids(*args: str) -> list[str]:
        result = run_cli("list", *args, "-c", XINGPING, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return [r["id"] for r in json.loads(result.stdout)]

    assert ids("events", "--tree", "enterprise") == [
        "enterprise-establishment",
        "enterprise-operation",
        "enterprise-deregistration",
    ]
    assert ids("events", "--status", "draft") == []
    # A department by its name or id; its matters, and the events that use them.
    by_name = ids("matters", "--department", "兴平市公安局")
    assert by_name == ids("matters", "--department", "public-security")
    assert len(by_name) == 7
    assert "newborn" in ids("events", "--department", "public-security")
    assert ids("departments", "--department", "公安") == ["public-security"]
    enterprise_materials = ids("materials", "--tree", "enterprise")
    assert "business-license" in enterprise_materials
    assert "birth-medical-certificate" not in enterprise_materials


def test_list_text_titles_in_both_languages() -> None:
    zh = run_cli("list", "departments", "-c", NEWBORN, "--lang", "zh").stdout
    assert zh.startswith("部门（4 个）\n") and "示例县医疗保障局" in zh
    en = run_cli("list", "departments", "-c", NEWBORN, "--lang", "en").stdout
    assert en.startswith("4 departments\n") and "short name" in en


def test_list_unknown_tree_and_kind() -> None:
    result = run_cli("list", "events", "--tree", "people", "-c", NEWBORN, "--lang", "zh")
    assert result.exit_code == 1
    assert "未知的树 `people`" in result.stderr
    assert run_cli("list", "trees", "-c", NEWBORN).exit_code == 2


@pytest.mark.parametrize("query", ["newborn-household-registration", "出生登记", "登记"])
def test_show_matter_by_id_name_or_unique_part(query: str) -> None:
    result = run_cli("show", "matter", query, "-c", NEWBORN, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "newborn-household-registration"
    assert data["events"] == [{"id": "newborn", "name": "新生儿出生“一件事”"}]


def test_show_matter_text_lists_the_events_using_it() -> None:
    result = run_cli("show", "matter", "出生登记", "-c", NEWBORN)
    assert result.exit_code == 0
    assert "出生登记（newborn-household-registration）" in result.stdout
    assert "所属一件事 │ 新生儿出生“一件事”（newborn）" in result.stdout
    assert "实施主体   │ 示例县公安局" in result.stdout


def test_show_event_by_name_without_quotes() -> None:
    result = run_cli("show", "event", "新生儿出生一件事", "-c", NEWBORN, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["event"] == "newborn"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "zh",
            "有 2 个事项名称含“出生”：出生医学证明（birth-medical-certificate）、"
            "出生登记（newborn-household-registration）；请写 id 或更完整的名称",
        ),
        (
            "en",
            "2 matter names contain `出生`: 出生医学证明（birth-medical-certificate）、"
            "出生登记（newborn-household-registration）; give the id or a longer name",
        ),
    ],
)
def test_show_matter_ambiguous_name_lists_candidates(lang: str, message: str) -> None:
    result = run_cli("show", "matter", "出生", "-c", NEWBORN, "--lang", lang)
    assert result.exit_code == 1
    assert message in result.stderr


def test_show_unknown_names_the_closest_ids(catalog_dir: Path) -> None:
    result = run_cli("show", "event", "newbron", "-c", catalog_dir, "--lang", "zh")
    assert result.exit_code == 1
    assert "未知的一件事 `newbron`；相近的 id：newborn" in result.stderr
    result = run_cli("show", "matter", "结婚登记", "-c", catalog_dir, "--lang", "en")
    assert result.exit_code == 1
    assert "unknown matter `结婚登记`" in result.stderr
