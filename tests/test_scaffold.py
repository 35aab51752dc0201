"""`xpcli init` and `xpcli new`: a new catalog that validates at once; templates never
overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import runner
from xpcli.cli import app
from xpcli.validate import validate


def invoke(*args: str):
    return runner.invoke(app, [*args, "--lang", "en"], catch_exceptions=False)


def test_init_validates_strict(tmp_path: Path) -> None:
    repo = tmp_path / "xingping"
    result = invoke("init", str(repo))
    assert result.exit_code == 0, result.output
    target = repo / "catalog"
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.yaml")) == [
        "catalog.yaml",
        "departments.yaml",
        "events/newborn.yaml",
        "materials.yaml",
        "matters/birth-medical-certificate.yaml",
        "matters/newborn-household-registration.yaml",
    ]
    assert invoke("validate", str(target)).exit_code == 0
    # The centre's address and telephone are placeholders to fill in: --strict names them.
    checked = invoke("validate", str(target), "--strict")
    assert checked.exit_code == 1, checked.output
    assert [line.split()[:3] for line in checked.stdout.splitlines() if "placeholder" in line] == [
        ["catalog.yaml:17:12:", "warning", "unfilled-placeholder"],
        ["catalog.yaml:19:10:", "warning", "unfilled-placeholder"],
    ]
    catalog = validate(target).catalog
    assert catalog.header.id == "xingping"
    assert [t.id for t in catalog.trees] == ["person", "enterprise"]
    assert len(catalog.events["newborn"].matters) == 2
    assert catalog.header.matter_url == "https://zwfw.example.cn/xingping/matters/{id}"


def test_init_with_id_and_refusals(tmp_path: Path) -> None:
    target = tmp_path / "Some Folder"
    assert invoke("init", str(target), "--id", "liquan").exit_code == 0
    assert validate(target / "catalog").catalog.header.id == "liquan"
    again = invoke("init", str(target))
    assert again.exit_code == 2
    assert "not an empty folder" in again.stderr
    assert invoke("init", str(tmp_path / "x"), "--id", "Bad_Id").exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("init", str(empty), "--id", "ok").exit_code == 0


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    assert invoke("init", str(root), "--id", "county").exit_code == 0
    return root / "catalog"


def test_new_matter_and_event(catalog: Path) -> None:
    result = invoke(
        "new",
        "matter",
        "newborn-name-change",
        "--catalog",
        str(catalog),
        "--department",
        "public-security",
    )
    assert result.exit_code == 0, result.output
    path = catalog / "matters/public-security/newborn-name-change.yaml"
    text = path.read_text("utf-8")
    assert text.startswith("# ") and "id: newborn-name-change\n" in text
    assert "department: public-security" in text
    # The matter template is complete: with a name it validates as it is.
    report = validate(catalog).report
    assert report.errors == 0, report.diagnostics
    result = invoke("new", "event", "marriage", "--catalog", str(catalog))
    assert result.exit_code == 0
    event = (catalog / "events/marriage.yaml").read_text("utf-8")
    assert "id: marriage\n" in event and "# " in event


def test_new_refuses_to_overwrite(catalog: Path) -> None:
    existing = catalog / "matters/newborn-household-registration.yaml"
    before = existing.read_bytes()
    result = invoke(
        "new",
        "matter",
        "newborn-household-registration",
        "--catalog",
        str(catalog),
        "--department",
        "public-security",
    )
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert existing.read_bytes() == before
    assert not (catalog / "matters/public-security").exists()
    result = invoke("new", "event", "newborn", "--catalog", str(catalog))
    assert result.exit_code == 2
    assert invoke("new", "event", "Not_A_Slug", "--catalog", str(catalog)).exit_code == 2
    assert invoke("new", "matter", "x" * 65, "--catalog", str(catalog)).exit_code == 2
    assert invoke("new", "event", "ok", "--catalog", str(catalog / "nope")).exit_code == 2


def test_every_new_command_has_an_example() -> None:
    for command in (["diff"], ["init"], ["new", "matter"], ["new", "event"]):
        result = runner.invoke(app, [*command, "--help"], terminal_width=200)
        assert result.exit_code == 0
        assert "Example: xpcli " + " ".join(command) in result.stdout
