"""The command line in process: exit codes, formats, languages, schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import NEWBORN, REPO, runner, write
from xpcli.cli import app
from xpcli.reporters import as_dict, github_escape
from xpcli.schema import FILE_KINDS, schema
from xpcli.validate import validate


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_default_catalog_is_valid_and_strict() -> None:
    code, stdout, _ = run("validate", str(REPO / "catalog"), "--strict", "--lang", "en")
    assert code == 0
    assert stdout.startswith("catalog is valid (0 error(s), 0 warning(s) in ")


def test_catalog_option_and_argument_are_the_same() -> None:
    assert run("validate", "--catalog", str(NEWBORN))[0] == 0
    assert run("validate", str(NEWBORN))[0] == 0


def test_missing_catalog_is_exit_2(tmp_path: Path) -> None:
    code, _, stderr = run("validate", str(tmp_path / "nope"), "--lang", "en")
    assert code == 2
    assert "catalog folder not found" in stderr


def test_unknown_format_is_exit_2() -> None:
    assert run("validate", str(NEWBORN), "--format", "xml")[0] == 2


def test_warnings_fail_only_under_strict(catalog_dir: Path) -> None:
    path = catalog_dir / "materials.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  - {id: spare, name: 备用, kind: 其他}\n",
        encoding="utf-8",
    )
    assert run("validate", str(catalog_dir))[0] == 0
    assert run("validate", str(catalog_dir), "--strict")[0] == 1


def test_json_format_is_the_report_serialised(catalog_dir: Path) -> None:
    write(catalog_dir, "matters/bad.yaml", "id: bad\nname: [\n")
    code, stdout, _ = run("validate", str(catalog_dir), "--format", "json", "--lang", "zh")
    assert code == 1
    data = json.loads(stdout)
    assert data == as_dict(validate(catalog_dir).report, "zh")
    assert set(data) == {"diagnostics", "errors", "warnings"}
    (first,) = data["diagnostics"]
    assert first == {
        "code": "yaml-syntax",
        "severity": "error",
        "message": first["message"],
        "file": "matters/bad.yaml",
        "line": 3,
        "column": 1,
    }
    assert first["message"].startswith("YAML 语法错误")


def test_messages_in_both_languages(catalog_dir: Path) -> None:
    write(
        catalog_dir,
        "matters/vaccination-certificate.yaml",
        (NEWBORN / "matters/vaccination-certificate.yaml")
        .read_text(encoding="utf-8")
        .replace("promised_days", "promise_days"),
    )
    _, en, _ = run("validate", str(catalog_dir), "--lang", "en")
    _, zh, _ = run("validate", str(catalog_dir), "--lang", "zh")
    assert (
        "matters/vaccination-certificate.yaml:10:1: error unknown-key unknown key "
        "`promise_days` in the top level; did you mean `promised_days`?"
    ) in en
    assert (
        "matters/vaccination-certificate.yaml:10:1: error unknown-key 文件顶层 中有未知的键 "
        "`promise_days`；是否应为 `promised_days`？"
    ) in zh


def test_lang_defaults_from_the_locale(catalog_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(catalog_dir, "matters/bad.yaml", "")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert "文件为空" in run("validate", str(catalog_dir))[1]
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert "the file is empty" in run("validate", str(catalog_dir))[1]


def test_github_format(catalog_dir: Path) -> None:
    text = (NEWBORN / "matters/vaccination-certificate.yaml").read_text(encoding="utf-8")
    write(catalog_dir, "matters/vaccination-certificate.yaml", text + "name: b\n")
    code, stdout, _ = run("validate", str(catalog_dir), "--format", "github", "--lang", "en")
    assert code == 1
    prefix = catalog_dir.as_posix().replace(":", "%3A").replace(",", "%2C")
    assert stdout.splitlines()[0] == (
        f"::error file={prefix}/matters/vaccination-certificate.yaml,line=13,col=1,"
        "title=duplicate-key::duplicate key `name` (first on line 2)"
    )


def test_github_escaping() -> None:
    assert github_escape("100%\nnext") == "100%25%0Anext"
    assert github_escape("a:b,c", property_value=True) == "a%3Ab%2Cc"


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_schema_command_prints_the_packaged_schema(kind: str) -> None:
    from xpcli.schema_docs import described

    code, stdout, _ = run("schema", kind)
    assert code == 0
    printed = json.loads(stdout)
    assert printed == described(schema(kind))
    # Chinese descriptions for editor hover; the rules are the packaged ones.
    jsonschema.Draft7Validator.check_schema(printed)
    if kind in ("matter", "event"):
        assert printed["properties"]["promised_days"]["description"].startswith("承诺办结时限")
        assert all("description" in p for p in printed["properties"].values())


def test_schema_unknown_kind_is_exit_2() -> None:
    assert run("schema", "matters")[0] == 2


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_schemas_are_valid_draft07_and_2020_12(kind: str) -> None:
    jsonschema.Draft7Validator.check_schema(schema(kind))
    jsonschema.Draft202012Validator.check_schema(schema(kind))


def test_draft07_and_2020_12_agree_on_the_catalog() -> None:
    """Editors (draft-07) and xpcli (2020-12) must accept and reject the same files."""
    for path in sorted((REPO / "catalog").rglob("*.yaml")):
        rel = path.relative_to(REPO / "catalog").as_posix()
        kind = {
            "catalog.yaml": "catalog",
            "departments.yaml": "departments",
            "materials.yaml": "materials",
            "windows.yaml": "windows",
        }.get(rel, rel.split("/")[0][:-1])
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        broken = dict(data, unexpected_key=1)
        for instance, valid in ((data, True), (broken, False)):
            for validator in (jsonschema.Draft7Validator, jsonschema.Draft202012Validator):
                assert validator(schema(kind)).is_valid(instance) is valid, (rel, validator)


def test_help_has_examples() -> None:
    code, stdout, _ = run("validate", "--help")
    assert code == 0
    assert "Example: xpcli validate" in stdout
