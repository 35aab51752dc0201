"""The JSON export: golden files, determinism, schemas (two validators), --check, atomicity."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import NEWBORN, REPO, runner
from xpcli.cli import app
from xpcli.validate import validate

GOLDEN = Path(__file__).parent / "fixtures" / "newborn-export"
AJV = REPO / ".cache" / "node_modules" / "ajv"


def export(catalog: Path, target: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["export", "--catalog", str(catalog), "-o", str(target), "--lang", "en", *extra]
    )
    return result.exit_code, result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_small_fixture_matches_golden_files(tmp_path: Path) -> None:
    code, _ = export(NEWBORN, tmp_path / "api")
    assert code == 0
    if os.environ.get("XPCLI_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(tmp_path / "api", GOLDEN)
    assert tree(tmp_path / "api") == tree(GOLDEN)


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    export(REPO / "catalog", tmp_path / "one")
    export(REPO / "catalog", tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_export_layout_and_records(tmp_path: Path) -> None:
    target = tmp_path / "api"
    assert export(REPO / "catalog", target)[0] == 0
    catalog = validate(REPO / "catalog").catalog
    files = tree(target)
    assert {f"events/{e}.json" for e in catalog.events} <= set(files)
    assert {f"matters/{m}.json" for m in catalog.matters} <= set(files)
    for name in ("catalog", "trees", "departments", "materials", "redirects", "manifest"):
        assert f"{name}.json" in files and f"schema/{name}.json" in files
    newborn = json.loads(files["events/newborn.json"])
    assert newborn["url"] == "https://zwfw.example.cn/xingping/events/newborn"
    assert newborn["simplification"]["event"] == "newborn"
    assert [m["matter"] for m in newborn["matters"]] == [
        e.matter for e in catalog.events["newborn"].matters
    ]
    redirects = json.loads(files["redirects.json"])
    assert redirects["matters"]["social-security-card-application"] == (
        "https://zwfw.example.cn/xingping/matters/social-security-card"
    )
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "xpcli-export/1"
    assert set(manifest["files"]) == set(files) - {"manifest.json"}
    assert "\\u" not in files["catalog.json"].decode()


def test_urls_equal_the_catalog_templates(tmp_path: Path) -> None:
    """The same URL the handbook's QR codes encode (both call Catalog.matter_url/event_url)."""
    export(NEWBORN, tmp_path / "api")
    catalog = validate(NEWBORN).catalog
    for matter_id in catalog.matters:
        record = json.loads((tmp_path / "api" / "matters" / f"{matter_id}.json").read_text())
        assert record["url"] == f"https://zwfw.example.cn/example/matters/{matter_id}"


def schema_pairs(folder: Path) -> list[tuple[str, str]]:
    """(file, schema kind) for every exported file but the schemas themselves."""
    pairs = []
    for rel in tree(folder):
        if rel.startswith("schema/"):
            continue
        kind = rel.split("/")[0][:-1] if "/" in rel else rel[: -len(".json")]
        pairs.append((rel, kind))
    return pairs


def test_every_file_is_valid_against_its_schema(tmp_path: Path) -> None:
    target = tmp_path / "api"
    export(REPO / "catalog", target)
    for rel, kind in schema_pairs(target):
        schema = json.loads((target / "schema" / f"{kind}.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema).validate(json.loads((target / rel).read_text()))


@pytest.mark.skipif(
    not (shutil.which("node") and AJV.exists()),
    reason="node with ajv (make test installs it where npm exists)",
)
def test_every_file_is_valid_for_ajv(tmp_path: Path) -> None:
    target = tmp_path / "api"
    export(REPO / "catalog", target)
    script = """
const Ajv = require(process.argv[1] + "/dist/2020").default;
const fs = require("fs");
const pairs = JSON.parse(fs.readFileSync(0, "utf8"));
const ajv = new Ajv({allErrors: true, strict: false});
const failures = [];
for (const [file, kind] of pairs) {
  const schema = JSON.parse(fs.readFileSync(process.argv[2] + "/schema/" + kind + ".json"));
  const validate = ajv.getSchema(schema.$id) || ajv.compile(schema);
  if (!validate(JSON.parse(fs.readFileSync(process.argv[2] + "/" + file)))) {
    failures.push([file, validate.errors]);
  }
}
console.log(JSON.stringify({checked: pairs.length, failures}));
"""
    pairs = schema_pairs(target)
    done = subprocess.run(
        ["node", "-e", script, str(AJV), str(target)],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result == {"checked": len(pairs), "failures": []}


def test_check_passes_on_a_fresh_export_and_fails_on_a_stale_one(
    tmp_path: Path, catalog_dir: Path
) -> None:
    target = tmp_path / "api"
    export(catalog_dir, target)
    assert export(catalog_dir, target, "--check")[0] == 0
    path = catalog_dir / "matters" / "vaccination-certificate.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("promised_days: 1", "promised_days: 0"),
        encoding="utf-8",
    )
    before = tree(target)
    code, output = export(catalog_dir, target, "--check")
    assert code == 1
    assert f"changed: {target.as_posix()}/matters/vaccination-certificate.json" in output
    # The event's figures include the matter's days, so the event changed too.
    assert f"changed: {target.as_posix()}/events/newborn.json" in output
    assert "changed: " + f"{target.as_posix()}/manifest.json" in output
    assert tree(target) == before  # --check writes nothing


def test_invalid_catalog_leaves_the_previous_export_untouched(
    tmp_path: Path, catalog_dir: Path
) -> None:
    target = tmp_path / "api"
    export(catalog_dir, target)
    before = tree(target)
    (catalog_dir / "matters" / "vaccination-certificate.yaml").write_text("id: [\n")
    code, output = export(catalog_dir, target)
    assert code == 1
    assert "yaml-syntax" in output
    assert tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api", "catalog"]  # no temp left


def test_missing_catalog_is_a_usage_error(tmp_path: Path) -> None:
    code, output = export(tmp_path / "nowhere", tmp_path / "api")
    assert code == 2
    assert "catalog folder not found" in output
