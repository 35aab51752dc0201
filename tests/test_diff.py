"""`xpcli diff` on a temporary git repository with scripted commits, and the CI templates."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import NEWBORN, REPO, git, runner
from xpcli.cli import app
from xpcli.diff import diff_revisions


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit (tag `base`) holds the newborn catalog in catalog/."""
    root = tmp_path / "repo"
    shutil.copytree(NEWBORN, root / "catalog")
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    git(root, "tag", "base")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "catalog" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(root: Path, *args: str):
    return runner.invoke(
        app,
        ["diff", *args, "--catalog", str(root / "catalog"), "--lang", "en"],
        catch_exceptions=False,
    )


def as_json(root: Path, *args: str) -> tuple[int, dict]:
    result = run(root, *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def rename(root: Path, old: str, new: str, keep_former: bool) -> None:
    matters = root / "catalog" / "matters"
    text = (matters / f"{old}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {old}", f"id: {new}")
    if keep_former:
        text += f"former_ids: [{old}]\n"
    (matters / f"{old}.yaml").unlink()
    (matters / f"{new}.yaml").write_text(text, encoding="utf-8")
    edit(root, "events/newborn.yaml", f"matter: {old}\n", f"matter: {new}\n")
    event = root / "catalog" / "events" / "newborn.yaml"
    event.write_text(re.sub(rf"\b{old}\b(?=[\],])", new, event.read_text("utf-8")), "utf-8")


def test_no_change_is_empty(repo: Path) -> None:
    code, data = as_json(repo, "base")
    assert code == 0
    assert data["breaking"] == [] and data["figures"] == []
    assert all(
        data[k] == {"added": [], "removed": [], "renamed": [], "changed": []}
        for k in ("departments", "materials", "matters", "events")
    )
    assert data["head"] is None and data["catalog"] == "catalog"


def test_field_change_between_commits(repo: Path) -> None:
    edit(repo, "departments.yaml", "示例县公安局", "示例县公安分局")
    commit(repo, "rename the police department")
    code, data = as_json(repo, "base", "HEAD")
    assert code == 0
    assert data["head"] == "HEAD"
    assert data["departments"]["changed"] == [
        {
            "id": "public-security",
            "name": "示例县公安分局",
            "fields": [{"field": "name", "old": "示例县公安局", "new": "示例县公安分局"}],
        }
    ]
    assert data["figures"] == [] and data["breaking"] == []
    # The reverse direction from the working tree side is clean too.
    assert run(repo, "HEAD").exit_code == 0


def test_added_matter(repo: Path) -> None:
    text = (repo / "catalog/matters/vaccination-certificate.yaml").read_text("utf-8")
    (repo / "catalog/matters/health").mkdir()
    (repo / "catalog/matters/health/newborn-checkup.yaml").write_text(
        text.replace("id: vaccination-certificate", "id: newborn-checkup").replace(
            "name: 预防接种证", "name: 新生儿体检"
        ),
        "utf-8",
    )
    code, data = as_json(repo, "base")
    assert code == 0
    assert data["matters"]["added"] == [{"id": "newborn-checkup", "name": "新生儿体检"}]
    assert data["breaking"] == []


def test_rename_with_former_ids_is_not_breaking(repo: Path) -> None:
    rename(repo, "vaccination-certificate", "vaccination-certificate-issue", keep_former=True)
    commit(repo, "rename")
    code, data = as_json(repo, "base", "main")
    assert code == 0, data["breaking"]
    [renamed] = data["matters"]["renamed"]
    assert renamed["old_id"] == "vaccination-certificate"
    assert renamed["id"] == "vaccination-certificate-issue"
    assert renamed["kept_former_id"] is True
    assert {"field": "former_ids", "old": [], "new": ["vaccination-certificate"]} in renamed[
        "fields"
    ]
    assert data["matters"]["removed"] == [] and data["matters"]["added"] == []
    assert data["breaking"] == []
    [event] = data["events"]["changed"]
    assert event["id"] == "newborn"
    assert data["figures"] == []


def test_rename_without_former_ids_is_breaking(repo: Path) -> None:
    rename(repo, "vaccination-certificate", "vaccination-certificate-issue", keep_former=False)
    code, data = as_json(repo, "base")
    assert code == 1
    assert data["breaking"] == [
        {
            "code": "renamed-without-former-id",
            "kind": "matter",
            "id": "vaccination-certificate",
            "new_id": "vaccination-certificate-issue",
            "old": None,
            "new": None,
        }
    ]
    assert data["matters"]["renamed"][0]["kept_former_id"] is False
    text = run(repo, "base")
    assert text.exit_code == 1
    assert (
        "error: matter `vaccination-certificate` was renamed to "
        "`vaccination-certificate-issue` without `former_ids: [vaccination-certificate]`"
        in text.stdout
    )


def test_removed_matter_is_breaking(repo: Path) -> None:
    (repo / "catalog/matters/social-security-card.yaml").unlink()
    edit(
        repo,
        "events/newborn.yaml",
        "  - matter: social-security-card\n    after: [newborn-medical-insurance]\n"
        "    condition: 自愿申领社会保障卡的\n",
        "",
    )
    edit(repo, "materials.yaml", "  - {id: card-form, name: 社会保障卡申领表, kind: 表格}\n", "")
    code, data = as_json(repo, "base")
    assert code == 1
    assert [(b["code"], b["id"]) for b in data["breaking"]] == [
        ("removed-id", "social-security-card")
    ]
    assert data["matters"]["removed"] == [{"id": "social-security-card", "name": "社会保障卡申领"}]
    assert data["materials"]["removed"] == [{"id": "card-form", "name": "社会保障卡申领表"}]


def test_url_template_change_is_breaking(repo: Path) -> None:
    edit(repo, "catalog.yaml", "example/matters/{id}", "example/m/{id}")
    commit(repo, "new portal")
    code, data = as_json(repo, "base", "HEAD")
    assert code == 1
    assert data["breaking"] == [
        {
            "code": "url-template-changed",
            "kind": "matter",
            "id": "online.matter_url",
            "new_id": None,
            "old": "https://zwfw.example.cn/example/matters/{id}",
            "new": "https://zwfw.example.cn/example/m/{id}",
        }
    ]
    assert data["catalog_fields"] == [
        {
            "field": "online.matter_url",
            "old": "https://zwfw.example.cn/example/matters/{id}",
            "new": "https://zwfw.example.cn/example/m/{id}",
        }
    ]


def test_figure_change(repo: Path) -> None:
    edit(
        repo,
        "matters/vaccination-certificate.yaml",
        "{material: newborn-photo, form: 电子件, required: false}",
        "{material: newborn-photo, form: 电子件}",
    )
    code, data = as_json(repo, "base")
    assert code == 0
    assert data["matters"]["changed"] == [
        {
            "id": "vaccination-certificate",
            "name": "预防接种证",
            "fields": [{"field": "materials.newborn-photo.required", "old": False, "new": True}],
        }
    ]
    [figures] = data["figures"]
    assert figures["event"] == "newborn"
    assert figures["old"]["after"]["materials"] == 2
    assert figures["new"]["after"]["materials"] == 3
    assert figures["old"]["before"]["materials"] == 11
    assert figures["new"]["before"]["materials"] == 12
    markdown = runner.invoke(
        app,
        [
            "diff",
            "base",
            "--catalog",
            str(repo / "catalog"),
            "--format",
            "markdown",
            "--lang",
            "zh",
        ],
    ).stdout
    assert "| 新生儿出生“一件事” | 申请材料 2 → 3 | 申请材料 11 → 12 |" in markdown
    assert (
        "| 修改 | `vaccination-certificate` | 预防接种证 "
        "| 申请材料 › 新生儿照片 › 必需提交: 否 → 是 |" in markdown
    )
    text = run(repo, "base").stdout
    assert "新生儿出生“一件事”: materials 2 → 3 (separately: materials 11 → 12)" in text


def test_bad_revision_not_a_repo_and_invalid_side(repo: Path, tmp_path: Path) -> None:
    result = run(repo, "no-such-branch")
    assert result.exit_code == 2
    assert "base: unknown git revision `no-such-branch`" in result.stderr
    assert run(repo, "base", "nope").exit_code == 2
    plain = tmp_path / "plain"
    shutil.copytree(NEWBORN, plain / "catalog")
    result = run(plain, "main")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr
    edit(repo, "events/newborn.yaml", "promised_days: 5", "promised_days: five")
    result = run(repo, "base")
    assert result.exit_code == 2
    assert "head: the catalog at working tree has errors" in result.stderr
    commit(repo, "broken")
    git(repo, "tag", "broken")
    git(repo, "revert", "--no-edit", "HEAD")
    result = run(repo, "broken", "HEAD")
    assert result.exit_code == 2
    assert "base: the catalog at broken has errors" in result.stderr


def test_core_result_is_immutable(repo: Path) -> None:
    edit(repo, "departments.yaml", "示例县公安局", "示例县公安分局")
    result = diff_revisions(repo / "catalog", "base")
    with pytest.raises(AttributeError):
        result.base = "x"  # type: ignore[misc]
    assert isinstance(result.records, tuple)


# --- CI templates ---------------------------------------------------------------------------


def _commands(run_block: str) -> list[list[str]]:
    return [line.split() for line in run_block.splitlines() if line.strip().startswith("xpcli ")]


def test_workflow_parses_and_runs_existing_commands() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/catalog.yml").read_text("utf-8"))
    # PyYAML (YAML 1.1) reads the key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    commands = [c for s in steps for c in _commands(s.get("run", ""))]
    names = {c[1] for c in commands}
    assert {"validate", "diff", "build-handbook", "export"} <= names
    validate_step = next(c for c in commands if c[1] == "validate")
    assert {"--strict", "github"} <= set(validate_step)
    for command in commands:
        result = runner.invoke(app, [command[1], "--help"])
        assert result.exit_code == 0, command
    docs = (REPO / "docs/workflow-ci.md").read_text("utf-8")
    for name in names:
        assert f"xpcli {name}" in docs


def test_pre_commit_hook() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "xpcli-validate"
    assert hook["entry"] == "xpcli validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["always_run"] is True
    assert "xpcli-validate" in (REPO / "docs/workflow-ci.md").read_text("utf-8")


def test_diff_docs_name_every_json_key(repo: Path) -> None:
    _, data = as_json(repo, "base")
    docs = (REPO / "docs/diff.md").read_text("utf-8")
    for key in data:
        assert f"`{key}`" in docs, key


def test_compare_needs_no_git(catalog_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Comparing two loaded catalogs runs no process: subprocess is blocked while it runs."""
    from xpcli.compare import compare
    from xpcli.render_diff import render_markdown, render_text
    from xpcli.validate import validate

    old = validate(NEWBORN).catalog
    path = catalog_dir / "departments.yaml"
    path.write_text(path.read_text("utf-8").replace("示例县公安局", "示例县公安分局"), "utf-8")
    new = validate(catalog_dir).catalog

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("compare ran a process")

    monkeypatch.setattr(subprocess, "run", no_process)
    monkeypatch.setattr(subprocess, "Popen", no_process)
    result = compare(old, new, base="base")
    assert [(r.kind, r.id, r.change) for r in result.records] == [
        ("department", "public-security", "changed")
    ]
    assert "示例县公安局 → 示例县公安分局" in render_text(result, "zh")
    assert "| 修改 | `public-security` |" in render_markdown(result, "zh")


def test_diff_reads_like_a_reviewer_would(repo: Path) -> None:
    """Chinese labels, names instead of ids, 容缺受理 for tolerance, a legend, and a matter
    renamed inside an event's list shown as a rename, not one removed and one added."""
    edit(
        repo,
        "matters/newborn-household-registration.yaml",
        "material: resident-id-card, form: 原件",
        "material: resident-id-card, form: 原件, tolerance: true",
    )
    rename(repo, "vaccination-certificate", "vaccination-certificate-issue", keep_former=True)
    text = run_zh(repo)
    assert "图例：+ 新增  - 删除  > 改名  ~ 修改" in text
    assert "申请材料 › 居民身份证 › 容缺受理: 否 → 是" in text
    assert (
        "事项 › 预防接种证: vaccination-certificate → vaccination-certificate-issue（改名）" in text
    )
    assert "{" not in text and "null" not in text
    code, data = as_json(repo, "base")
    assert code == 0
    [event] = data["events"]["changed"]
    assert {
        "field": "matters.vaccination-certificate-issue",
        "old": "vaccination-certificate",
        "new": "vaccination-certificate-issue",
        "renamed": True,
    } in event["fields"]
    assert not any(f["field"] == "matters.vaccination-certificate" for f in event["fields"])


def run_zh(root: Path) -> str:
    result = runner.invoke(
        app, ["diff", "base", "--catalog", str(root / "catalog"), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    return result.stdout
