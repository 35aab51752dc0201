"""`xpcli stats` in every format: the figures of the worked example, whole names in a file,
a header with region and edition, csv with a BOM and headers in the reader's language."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import NEWBORN, REPO, run_cli


def test_stats_json_figures_and_header() -> None:
    result = run_cli("stats", "-c", NEWBORN, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["region"], data["edition"]) == ("示例省示例市示例县", "2023年5月版")
    (row,) = data["events"]
    assert row["event"] == "newborn"
    assert row["before"] == {"materials": 11, "steps": 14, "days": 10, "visits": 4}
    assert row["after"] == {"materials": 2, "steps": 6, "days": 5, "visits": 1}
    assert row["reduction"] == {"materials": 82, "steps": 57, "days": 50, "visits": 75}
    assert data["visits_saved"] == 3
    assert data["counts"]["matters_by_type"] == {"公共服务": 4, "行政确认": 1}


def test_stats_text_redirected_keeps_whole_names() -> None:
    result = run_cli("stats", "-c", REPO / "catalog")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("陕西省咸阳市兴平市“一件事一次办”精简情况（")
    assert "│ 新生儿出生“一件事” │" in text and "…" not in text
    assert "兴平市人力资源和社会保障局" in text
    assert "申请材料（份）" in text and "办理时限（个工作日）" in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_stats_text_on_the_worked_example() -> None:
    text = run_cli("stats", "-c", NEWBORN).stdout
    assert "│ 新生儿出生“一件事” │  11 → 2 (-82%) │  14 → 6 (-57%) │" in text
    assert "材料精简率 82%，环节压缩率 57%，时限压缩率 50%，跑动减少 3 次" in text


@pytest.mark.parametrize(
    ("lang", "first", "total"),
    [
        ("zh", ["编号", "一件事", "申请材料（分别办理）"], ["", "合计"]),
        ("en", ["event", "name", "materials separately"], ["", "total"]),
    ],
)
def test_stats_csv_bom_and_headers(lang: str, first: list[str], total: list[str]) -> None:
    result = run_cli("stats", "-c", NEWBORN, "--format", "csv", "--lang", lang)
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert rows[0][:3] == first
    assert len(rows[0]) == 2 + 12 + 1
    assert rows[1] == [
        "newborn", "新生儿出生“一件事”",
        "11", "14", "10", "4", "2", "6", "5", "1", "82", "57", "50", "75", "3",
    ]  # fmt: skip
    assert rows[2][:2] == total
    # Excel opens it as UTF-8 because of the BOM: the bytes start EF BB BF.
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
