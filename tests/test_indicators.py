"""The indicators of `xpcli stats` (即办件比例, 全程网办率, 零跑动率, 最多跑一次率, 承诺时限压缩率)
with exact figures, in json, csv, text and xlsx (read back with openpyxl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import runner
from xpcli.cli import app


def _set(path: Path, **values: object) -> None:
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.split(":")[0] not in values
    ]
    lines += [f"{key}: {value}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def varied(catalog_dir: Path) -> Path:
    """Active: birth (health, 即办, legal 10, 1 visit, 线下), vaccination (health, 全程网办,
    0 visits, 1 of legal 20), household (public security, 5 of legal 30, 1 visit), insurance
    (2 visits, no legal days). The social security card is a draft: not counted."""
    m = catalog_dir / "matters"
    _set(m / "birth-medical-certificate.yaml", promised_days=0, legal_days=10)
    _set(m / "vaccination-certificate.yaml", online="全程网办", visits=0, legal_days=20)
    _set(m / "newborn-household-registration.yaml", legal_days=30)
    _set(m / "newborn-medical-insurance.yaml", visits=2)
    _set(m / "social-security-card.yaml", status="draft")
    return catalog_dir


def test_indicators_exact(varied: Path) -> None:
    result = runner.invoke(app, ["stats", "-c", str(varied), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["indicators"]
    overall = found["overall"]
    assert overall["matters"] == 4
    assert overall["instant"] == {"count": 1, "of": 4, "percent": 25.0}
    assert overall["online"] == {"count": 1, "of": 4, "percent": 25.0}
    assert overall["zero_visits"] == {"count": 1, "of": 4, "percent": 25.0}
    assert overall["one_visit"] == {"count": 3, "of": 4, "percent": 75.0}
    # 1 − (0 + 1 + 5) / (10 + 20 + 30)
    assert overall["compression"] == {
        "matters": 3,
        "legal_days": 60,
        "promised_days": 6,
        "percent": 90.0,
    }
    by_id = {d["department"]: d for d in found["departments"]}
    assert list(by_id) == ["health", "public-security", "medical-insurance"]  # no active: left out
    assert by_id["health"]["one_visit"]["percent"] == 100.0
    assert by_id["health"]["compression"]["percent"] == 96.7  # 1 − 1/30, half up
    assert by_id["medical-insurance"]["compression"] == {
        "matters": 0,
        "legal_days": 0,
        "promised_days": 0,
        "percent": None,
    }


def test_indicators_in_csv_text_and_xlsx(varied: Path, tmp_path: Path) -> None:
    csv_out = runner.invoke(app, ["stats", "-c", str(varied), "-f", "csv", "--lang", "zh"]).stdout
    assert "\n\n部门,事项数,即办件（个）,即办件比例（%）," in csv_out
    assert "\n全部,4,1,25.0,1,25.0,1,25.0,3,75.0,3,60,6,90.0\n" in csv_out
    text = runner.invoke(app, ["stats", "-c", str(varied), "--lang", "zh"]).stdout
    assert "90.0%（6/60）" in text
    target = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["stats", "-c", str(varied), "-f", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    book = load_workbook(target)
    sheet = book[book.sheetnames[1]]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == (rows[1][0], 4, 1, 25.0)
    assert rows[1][-1] == 90.0
    assert sheet.freeze_panes == "A2"


def test_xlsx_needs_an_output_file(varied: Path) -> None:
    result = runner.invoke(app, ["stats", "-c", str(varied), "-f", "xlsx", "--lang", "en"])
    assert result.exit_code == 2
    assert "--format xlsx writes a file" in result.stderr
