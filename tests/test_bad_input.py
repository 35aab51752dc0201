"""The bad-input corpus: every file exits 1 with a message located in that file, and no
traceback. Large cases are generated here rather than committed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NEWBORN, runner
from xpcli.cli import app
from xpcli.yamlparse import parse

CORPUS = Path(__file__).parent / "corpus"


def generated_cases() -> dict[str, bytes]:
    head = "id: {}\nname: 甲\ntype: 公共服务\ndepartment: health\nmaterials: []\n"
    tail = "promised_days: 1\nvisits: 1\nonline: 线下办理\n"
    big_step = "  - " + "申" * 200 + "\n"
    return {
        # 10 MB of steps: over the file-size limit.
        "ten-megabytes": (
            head.format("ten-megabytes")
            + "steps:\n"
            + big_step * (10_000_000 // len(big_step.encode()))
            + tail
        ).encode(),
        # 100,000 items in one list.
        "hundred-thousand-items": (
            head.format("hundred-thousand-items") + "steps:\n" + "  - 申请\n" * 100_000 + tail
        ).encode(),
        # Nesting deeper than any catalog needs, and far deeper than libyaml allows.
        "nested-100": (f"id: nested-100\nname: {'[' * 100}{']' * 100}\n").encode(),
        "nested-100000": (f"id: nested-100000\nname: {'[' * 100_000}{']' * 100_000}\n").encode(),
    }


def all_cases() -> list[tuple[str, bytes]]:
    files = [(p.stem, p.read_bytes()) for p in sorted(CORPUS.glob("*.yaml"))]
    return files + sorted(generated_cases().items())


def test_corpus_is_large_enough() -> None:
    assert len(list(CORPUS.glob("*.yaml"))) >= 30


@pytest.mark.parametrize(("name", "content"), all_cases(), ids=[n for n, _ in all_cases()])
def test_bad_file_exits_1_with_located_message(tmp_path: Path, name: str, content: bytes) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(NEWBORN, root)
    (root / "matters" / f"{name}.yaml").write_bytes(content)

    result = runner.invoke(
        app, ["validate", str(root), "--format", "json", "--lang", "en"], catch_exceptions=False
    )

    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    mine = [d for d in report["diagnostics"] if d["file"] == f"matters/{name}.yaml"]
    assert mine, report
    assert all(d["line"] >= 1 and d["column"] >= 1 for d in mine)
    assert any(d["severity"] == "error" for d in mine)
    assert "Traceback" not in result.output


def test_text_format_shows_file_line_column(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(NEWBORN, root)
    shutil.copy(CORPUS / "gbk.yaml", root / "matters" / "gbk.yaml")
    result = runner.invoke(app, ["validate", str(root), "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 1
    assert (
        "matters/gbk.yaml:2:7: error not-utf8 not UTF-8 (byte 0xB6), GBK?; "
        "convert it: iconv -f GBK -t UTF-8 FILE > NEW"
    ) in result.stdout


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_parser_never_raises_on_text(text: str) -> None:
    parsed = parse(text, "fuzz.yaml")
    assert all(d.location.line >= 1 for d in parsed.diagnostics)


YAMLISH = st.lists(
    st.sampled_from(
        [
            "a",
            ":",
            " ",
            "\n",
            "-",
            "[",
            "]",
            "{",
            "}",
            "&x",
            "*x",
            "!!str",
            "'",
            '"',
            "#",
            "\t",
            "---",
            "...",
            "?",
            "|",
            ">",
            "0471",
            "9:30",
            "no",
            "中文",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(YAMLISH)
def test_parser_never_raises_on_yaml_like_text(text: str) -> None:
    parsed = parse(text, "fuzz.yaml")
    assert all(d.location.line >= 1 and d.location.column >= 1 for d in parsed.diagnostics)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_cli_never_tracebacks_on_bytes(tmp_path: Path, content: bytes) -> None:
    root = tmp_path / "catalog"
    if not root.exists():
        shutil.copytree(NEWBORN, root)
    (root / "matters" / "fuzz.yaml").write_bytes(content)
    result = runner.invoke(app, ["validate", str(root), "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1)
    json.loads(result.stdout)
