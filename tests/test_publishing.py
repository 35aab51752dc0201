"""Publishing rules of the export: drafts are never exported; retired records are, with their
status, so that a printed QR code lands on "no longer handled"; event files carry the names of
what they mention; trees.json carries event names and figures."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def export(catalog: Path, target: Path) -> Path:
    result = run_cli("export", "-c", catalog, "-o", target, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    return target


def load(path: Path) -> object:
    return json.loads(path.read_text("utf-8"))


def test_drafts_are_never_exported(catalog_dir: Path, tmp_path: Path) -> None:
    result = run_cli(
        "new", "matter", "newborn-name-change", "-c", catalog_dir, "--department",
        "public-security",
    )  # fmt: skip
    assert result.exit_code == 0
    assert "status: draft" in next(catalog_dir.rglob("newborn-name-change.yaml")).read_text()
    api = export(catalog_dir, tmp_path / "api")
    assert not (api / "matters/newborn-name-change.json").exists()
    whole = load(api / "catalog.json")
    assert "newborn-name-change" not in {m["id"] for m in whole["matters"]}  # type: ignore[index]
    assert "newborn-name-change" not in (api / "manifest.json").read_text("utf-8")


def test_retired_records_are_exported_with_their_status(catalog_dir: Path, tmp_path: Path) -> None:
    event = catalog_dir / "events/newborn.yaml"
    event.write_text(event.read_text("utf-8") + "status: retired\n", "utf-8")
    assert run_cli("validate", catalog_dir).exit_code == 0
    api = export(catalog_dir, tmp_path / "api")
    assert load(api / "events/newborn.json")["status"] == "retired"  # type: ignore[index]
    (tree,) = [t for t in load(api / "trees.json") if t["events"]]  # type: ignore[union-attr]
    assert tree["events"][0]["status"] == "retired"


def test_a_retired_matter_names_its_published_successor(catalog_dir: Path, tmp_path: Path) -> None:
    old = catalog_dir / "matters/old-certificate.yaml"
    old.write_text(
        "id: old-certificate\nname: 旧版准生证办理\ntype: 公共服务\ndepartment: health\n"
        "materials: []\nsteps: [申请]\npromised_days: 1\nvisits: 1\nonline: 线下办理\n"
        "status: retired\nreplaced_by: birth-medical-certificate\n",
        "utf-8",
    )
    api = export(catalog_dir, tmp_path / "api")
    record = load(api / "matters/old-certificate.json")
    assert record["status"] == "retired"  # type: ignore[index]
    assert record["replaced_by"] == {  # type: ignore[index]
        "id": "birth-medical-certificate",
        "name": "出生医学证明",
        "url": "https://zwfw.example.cn/example/matters/birth-medical-certificate",
    }
    assert load(api / "matters/birth-medical-certificate.json")["replaced_by"] is None  # type: ignore[index]


def test_event_files_name_what_they_mention(catalog_dir: Path, tmp_path: Path) -> None:
    record = load(export(catalog_dir, tmp_path / "api") / "events/newborn.json")
    names = record["names"]  # type: ignore[index]
    assert names["materials"]["resident-id-card"] == "居民身份证"
    assert names["materials"]["newborn-joint-application"] == "新生儿出生“一件事”联办申请表"
    figures = record["simplification"]  # type: ignore[index]
    mentioned = {m["material"] for k in ("materials", "set_aside", "optional") for m in figures[k]}
    mentioned |= {m["material"] for s in figures["situations"] for m in s["materials"]}
    assert mentioned <= set(names["materials"])
    assert names["departments"]["public-security"] == "示例县公安局"
    assert {m["department"] for m in record["matters"]} <= set(names["departments"])  # type: ignore[index]


def test_trees_carry_event_names_and_figures(catalog_dir: Path, tmp_path: Path) -> None:
    trees = load(export(catalog_dir, tmp_path / "api") / "trees.json")
    person = next(t for t in trees if t["id"] == "person")  # type: ignore[union-attr]
    (newborn,) = person["events"]
    assert newborn["name"] == "新生儿出生“一件事”"
    assert newborn["after"] == {"materials": 2, "steps": 6, "days": 5, "visits": 1}
    assert newborn["reduction"]["materials"] == 82
