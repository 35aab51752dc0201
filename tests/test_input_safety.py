"""Hostile or mistyped catalog input (issue 16's validation gaps, issue 11's typing slips):
each case names its code, file and line."""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NEWBORN, check, found, runner, write
from xpcli import cells, export_schema, placeholders, scaffold, slug, textsafe
from xpcli.cli import app
from xpcli.compare import compare
from xpcli.diagnostics import HINT_BUDGET, SHORTLIST, Suggestions, closest
from xpcli.errors import Term, XpcliError
from xpcli.handbook import bounded
from xpcli.messages import render, say
from xpcli.render_diff import render_markdown, render_text
from xpcli.schema import FILE_KINDS, schema
from xpcli.yamlparse import MAX_ITEMS

MATTER = """\
id: extra
name: 额外事项
type: 公共服务
department: health
materials:
  - material: resident-id-card
    form: 原件
steps: [申请, 办结]
promised_days: 1
visits: 1
online: 线下办理
"""


def matter(catalog_dir: Path, text: str, name: str = "extra") -> None:
    write(catalog_dir, f"matters/{name}.yaml", text)


# --- One slug pattern ----------------------------------------------------------------------


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_every_schema_uses_the_one_slug_pattern(kind: str) -> None:
    document = schema(kind)
    assert document["definitions"]["slug"] == {
        "type": "string",
        "maxLength": slug.MAX_LENGTH,
        "pattern": slug.PATTERN,
    }
    # Any other pattern that looks like an id rule is a second home of the fact.
    others = [p for p in _patterns(document) if "a-z0-9" in p and p != slug.PATTERN]
    assert others == []


def test_export_schema_uses_the_one_slug_pattern() -> None:
    assert export_schema.SLUG["pattern"] == slug.PATTERN
    assert "a-z0-9" not in json.dumps(export_schema.SLUG | {"pattern": ""})


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("newborn", True),
        ("a-1", True),
        ("console", True),
        ("com10", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("evil\n", False),
        ("a--b", False),
        ("-a", False),
        ("A", False),
        ("con", False),
        ("nul", False),
        ("lpt9", False),
        ("com1", False),
    ],
)
def test_is_slug_agrees_with_the_schema_pattern(text: str, ok: bool) -> None:
    assert slug.is_slug(text) is ok
    rust = jsonschema_rs.validator_for(schema("matter")["definitions"]["slug"])
    assert rust.is_valid(text) is ok


def test_id_with_a_final_newline_is_not_an_id(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("id: extra", 'id: "extra\\n"'))
    assert ("bad-slug", "matters/extra.yaml", 1) in found(check(catalog_dir))


def test_a_final_newline_breaks_any_pattern(catalog_dir: Path) -> None:
    text = (catalog_dir / "catalog.yaml").read_text(encoding="utf-8")
    write(catalog_dir, "catalog.yaml", text.replace('"610000"', '"610000\\n"'))
    assert ("bad-value", "catalog.yaml", 6) in found(check(catalog_dir))


@pytest.mark.parametrize("name", ["con", "aux", "nul", "prn", "com1", "lpt9"])
def test_windows_device_names_are_not_ids(catalog_dir: Path, name: str) -> None:
    matter(catalog_dir, MATTER.replace("id: extra", f"id: {name}"), name=name)
    assert found(check(catalog_dir)) == [("reserved-id", f"matters/{name}.yaml", 1)]


def test_new_refuses_a_windows_device_name(catalog_dir: Path) -> None:
    result = runner.invoke(app, ["new", "matter", "con", "--catalog", str(catalog_dir)])
    assert result.exit_code == 2
    assert not (catalog_dir / "matters" / "con.yaml").exists()


# --- Spreadsheet cells ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["=1+2", "+1", "-2", "@SUM(A1)"])
def test_stats_csv_never_writes_a_formula(catalog_dir: Path, name: str) -> None:
    path = catalog_dir / "events" / "newborn.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^name: .*$", f'name: "{name}"', text), encoding="utf-8")
    result = runner.invoke(app, ["stats", "--format", "csv", "--catalog", str(catalog_dir)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    (cell,) = [row[1] for row in rows if row and row[0] == "newborn"]
    assert cell == "'" + name


def test_text_cell_leaves_plain_text_alone() -> None:
    assert cells.text_cell("出生登记") == "出生登记"
    assert cells.text_cell("a=b") == "a=b"
    assert cells.text_cell("\t=1") == "'\t=1"
    assert cells.text_cell("\r=1") == "'\r=1"
    assert cells.text_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'


# --- Pull-request markdown -----------------------------------------------------------------


def test_a_newline_in_a_value_never_injects_markdown(catalog_dir: Path, tmp_path: Path) -> None:
    old = check(catalog_dir).catalog
    path = catalog_dir / "events" / "newborn.yaml"
    text = path.read_text(encoding="utf-8")
    hostile = "甲\\n# 已批准\\n<img src=x onerror=alert(1)>|`x`*y*[l](https://e.cn)"
    path.write_text(re.sub(r"(?m)^name: .*$", lambda _: f'name: "{hostile}"', text), "utf-8")
    new = check(catalog_dir).catalog
    assert new.events["newborn"].name.count("\n") == 2
    markdown = render_markdown(compare(old, new, base="main\n# x", head="<b>"), "zh")
    lines = markdown.splitlines()
    assert [line for line in lines if line.startswith("#")] == [
        "### 目录变更 main \\# x → &lt;b&gt;（）",
        "#### 一件事",
    ]
    assert "<img" not in markdown and "<b>" not in markdown
    (row,) = [line for line in lines if "已批准" in line]
    assert "甲 \\# 已批准 &lt;img src=x onerror=alert\\(1\\)&gt;\\|\\`x\\`\\*y\\*" in row
    assert row.count(" | ") == 3  # the | inside the name does not open a fifth cell
    text = render_text(compare(old, new, base="main"), "zh")
    assert "已批准" in text and not any(line.startswith("# ") for line in text.splitlines())
    assert "甲\\n# 已批准\\n<img" in text  # the newlines shown, not obeyed


def test_markdown_inline_and_code() -> None:
    assert textsafe.markdown_inline("a\r\nb\x1bc") == "a b\\\\x1bc"
    assert textsafe.markdown_code("a`b|c\nd") == "a'b\\|c d"
    assert textsafe.printable("\x1b[2J\x07ok\tx\n") == "\\x1b[2J\\x07ok\tx\n"


# --- Control characters and URL templates --------------------------------------------------


@pytest.mark.parametrize(
    ("line", "character", "number"),
    [
        ('fee: "收费\\e[31m登记"', "#x001B", 3),
        ('fee: "a\\0b"', "#x0000", 3),
        ("fee: 'ok'\nlocation: \"a\\x07\"", "#x0007", 4),
        ('location: "\\x9b"', "#x009B", 3),
        ('"\\e[2J": 1', "#x001B", 3),
        ('conditions: ["\\r申请", 办结]', "#x000D", 3),
        # A block scalar has no escapes: `\e` there is two characters of text.
        ('conditions:\n  - |\n    a\n    \\e\n  - "\\N"', "#x0085", 7),
    ],
)
def test_escaped_control_characters_are_errors_on_their_line(
    catalog_dir: Path, line: str, character: str, number: int
) -> None:
    matter(catalog_dir, MATTER.replace("name: 额外事项\n", f"name: 额外事项\n{line}\n"))
    result = check(catalog_dir)
    assert found(result) == [("control-character", "matters/extra.yaml", number)]
    (d,) = result.report.diagnostics
    assert d.params == {"character": character}
    assert "extra" not in result.catalog.matters


def test_no_escape_sequence_reaches_the_terminal(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("id: extra", 'id: "\\e]0;pwned\\a"'))
    write(catalog_dir, "matters/\x1b[31mred.yaml", MATTER)
    result = runner.invoke(app, ["validate", str(catalog_dir), "--lang", "en"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "matters/\\x1b[31mred.yaml" in result.output


@pytest.mark.parametrize(
    "template",
    [
        "https://zwfw.example.cn/m/\t{id}",
        "https://zwfw.example.cn/m/{id}\n",
        "https://zwfw.example.cn/m/{id}\n<script>",
        "https://zwfw.example.cn/m/\u3000{id}",
        "https:///{id}",
        "https://:443/{id}",
        "https://[::1/{id}",
        "http://zwfw.example.cn/{id}",
        "https://zwfw.example.cn/matters",
        "https://zwfw.example.cn/m/ {id}",
    ],
)
def test_bad_url_templates(catalog_dir: Path, template: str) -> None:
    text = (catalog_dir / "catalog.yaml").read_text(encoding="utf-8")
    quoted = json.dumps(template, ensure_ascii=False)
    text = re.sub(r"(?m)^  matter_url: .*$", lambda _: f"  matter_url: {quoted}", text)
    write(catalog_dir, "catalog.yaml", text)
    result = check(catalog_dir)
    assert ("bad-url-template", "catalog.yaml", 10) in found(result)
    (d,) = [d for d in result.report.diagnostics if d.severity == "error"]
    assert "\n" not in str(d.params["value"]) and "\t" not in str(d.params["value"])


# --- Crashes: rich markup and narrow encodings --------------------------------------------


def test_markup_in_names_and_paths_is_printed_as_text(tmp_path: Path) -> None:
    root = tmp_path / "c[/x]"
    shutil.copytree(NEWBORN, root)
    path = root / "matters" / "newborn-household-registration.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: 出生登记", 'name: "[/x]出生[bold]登记"'), "utf-8")
    event = root / "events" / "newborn.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("name: 新生儿出生“一件事”", 'name: "[/x]新生儿"'), "utf-8")
    runs = [
        ["validate", str(root)],
        ["show", "matter", "newborn-household-registration", "--catalog", str(root)],
        ["show", "event", "newborn", "--catalog", str(root)],
        ["stats", "--catalog", str(root)],
        ["export", "--catalog", str(root), "-o", str(tmp_path / "api[/x]")],
        ["export", "--catalog", str(root), "-o", str(tmp_path / "api[/x]"), "--check"],
        ["init", str(tmp_path / "i[/x]")],
        ["show", "matter", "[/x]", "--catalog", str(root)],
        ["new", "matter", "brand-new", "--catalog", str(root)],
    ]
    shown = runner.invoke(app, [*runs[1], "--lang", "zh"])
    assert "[/x]出生[bold]登记（newborn-household-registration）" in shown.stdout
    for args in runs:
        result = runner.invoke(app, [*args, "--lang", "en"])
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert result.exit_code in (0, 1), (args, result.output)
        if args[0] != "validate":
            assert "[/x]" in result.output, args  # said as text, not taken as markup


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_narrow_output_encoding_is_no_traceback(encoding: str) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    command = [sys.executable, "-c", "from xpcli.cli import main; main()", "validate"]
    done = subprocess.run(
        [*command, str(NEWBORN), "--lang", "zh"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert "目录校验通过".encode("unicode_escape") in done.stdout


# --- Near-linear on hostile input ----------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdex-", max_size=12),
    st.lists(st.text(alphabet="abcdex-", min_size=1, max_size=12), max_size=SHORTLIST),
)
def test_closest_picks_what_difflib_picks(word: str, candidates: list[str]) -> None:
    for n, cutoff in ((1, 0.6), (3, 0.4)):
        expected = difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)
        assert closest(word, candidates, n=n, cutoff=cutoff) == expected


def test_suggestions_look_each_word_up_once_within_a_budget() -> None:
    hints = Suggestions(["newborn", "marriage"], budget=2)
    assert hints("newbron") == ("did_you_mean", {"suggestion": "newborn"})
    assert hints("newbron") == ("did_you_mean", {"suggestion": "newborn"})  # cached, no cost
    assert hints("mariage") == ("did_you_mean", {"suggestion": "marriage"})
    assert hints("marriag") is None  # over the budget: no lookup, no hint


def test_thousands_of_dangling_references_get_bounded_hints(catalog_dir: Path) -> None:
    refs = "".join(f"  - material: resident-id-crd-{i}\n    form: 原件\n" for i in range(150))
    matter(catalog_dir, MATTER.replace("  - material: resident-id-card\n    form: 原件\n", refs))
    unresolved = [d for d in check(catalog_dir).report.diagnostics if d.code != "unused-material"]
    assert [d.code for d in unresolved] == ["unresolved-reference"] * 150
    assert [d.location.line for d in unresolved] == [6 + 2 * i for i in range(150)]
    hinted = [d for d in unresolved if d.hint is not None]
    assert len(hinted) == HINT_BUDGET
    assert hinted[0].hint == ("did_you_mean", {"suggestion": "resident-id-card"})


def test_a_huge_list_stops_at_the_item_limit(catalog_dir: Path) -> None:
    head = MATTER.replace("steps: [申请, 办结]\n", "")
    matter(catalog_dir, head + "steps: [" + "1," * (MAX_ITEMS + 10) + "1]\n")
    result = check(catalog_dir)
    assert found(result) == [("too-many-items", "matters/extra.yaml", 11)]
    (d,) = result.report.diagnostics
    assert d.location.column == len("steps: [") + 2 * MAX_ITEMS + 1


def test_a_huge_mapping_stops_at_the_item_limit(catalog_dir: Path) -> None:
    keys = "".join(f"k{i}: 1\n" for i in range(MAX_ITEMS + 5))
    matter(catalog_dir, MATTER + keys)
    # MATTER has 9 keys on 11 lines: the key that fills the mapping is k{MAX_ITEMS - 9}.
    assert found(check(catalog_dir)) == [("too-many-items", "matters/extra.yaml", 3 + MAX_ITEMS)]


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_no_schema_allows_more_items_than_the_reader(kind: str) -> None:
    def limits(node: Any) -> list[int]:
        if isinstance(node, dict):
            own = [node["maxItems"]] if "maxItems" in node else []
            return own + [n for value in node.values() for n in limits(value)]
        if isinstance(node, list):
            return [n for value in node for n in limits(value)]
        return []

    assert max(limits(schema(kind)), default=0) <= MAX_ITEMS


# --- Typing slips (issue 11): a Chinese message at the line of the slip --------------------


@pytest.mark.parametrize(
    ("replace", "by", "code", "line"),
    [
        ("name: 额外事项", "name：额外事项", "fullwidth-colon", 2),
        ("visits: 1", "visits:1", "colon-without-space", 10),
        ("promised_days: 1", "promised_days:1", "colon-without-space", 9),
        ("    form: 原件", "  　　form: 原件", "fullwidth-space", 7),
        ("    form: 原件", "    　form: 原件", "fullwidth-space", 7),
        ("id: extra", "　id: extra", "fullwidth-space", 1),
        ("online: 线下办理", "online: “线下办理”", "fullwidth-quotes", 11),
        ("name: 额外事项", "name: “额外: 事项”", "fullwidth-quotes", 2),
        ("    form: 原件", "    form: 原件\n    required: “false”", "fullwidth-quotes", 8),
    ],
)
def test_typing_slips_are_named_at_their_line(
    catalog_dir: Path, replace: str, by: str, code: str, line: int
) -> None:
    matter(catalog_dir, MATTER.replace(replace, by))
    result = check(catalog_dir)
    assert found(result) == [(code, "matters/extra.yaml", line)]
    (d,) = result.report.diagnostics
    assert "yaml-syntax" not in render(d, "zh") and any(
        "\u4e00" <= c <= "\u9fff" for c in render(d, "zh")
    )


def test_the_full_width_colon_message_in_chinese(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("name: 额外事项", "name：额外事项"))
    result = runner.invoke(app, ["validate", str(catalog_dir), "--lang", "zh"])
    assert result.exit_code == 1
    assert (
        "matters/extra.yaml:2:5: error fullwidth-colon `name` 后面是全角冒号“：”，"
        "请改成半角冒号加空格：`name: ...`" in result.stdout
    )


def test_a_slip_inside_a_block_of_text_is_not_an_error(catalog_dir: Path) -> None:
    text = "conditions:\n  - |\n    注意：原件\n    　　首行缩进\n    url:x\n"
    matter(catalog_dir, MATTER.replace("steps:", text + "steps:"))
    assert found(check(catalog_dir)) == []


def test_yes_where_a_boolean_is_meant_says_write_true_or_false(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("    form: 原件", "    form: 原件\n    required: yes"))
    result = check(catalog_dir)
    assert found(result) == [("ambiguous-scalar", "matters/extra.yaml", 8)]
    (d,) = result.report.diagnostics
    assert render(d, "zh").endswith("；请写 true 或 false")
    assert render(d, "en").endswith("; write true or false")


def test_a_leading_zero_would_be_lost(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER + "phone: 02912345678\n")
    result = check(catalog_dir)
    assert found(result) == [("leading-zero", "matters/extra.yaml", 12)]
    (d,) = result.report.diagnostics
    assert render(d, "zh") == (
        "`02912345678` 开头的 0 会丢失（被读成数字 2912345678）；"
        '电话、编码等请加引号："02912345678"'
    )


# --- Placeholders left by init/new (issue 11) ---------------------------------------------


def test_placeholders_warn_in_a_draft_and_fail_an_active_record(catalog_dir: Path) -> None:
    runner.invoke(app, ["new", "matter", "foo", "--department", "health", "-c", str(catalog_dir)])
    path = catalog_dir / "matters" / "health" / "foo.yaml"
    assert found(check(catalog_dir)) == [("unfilled-placeholder", "matters/health/foo.yaml", 4)]
    text = path.read_text(encoding="utf-8").replace("status: draft", "status: active")
    path.write_text(text, encoding="utf-8")
    result = check(catalog_dir)
    assert found(result) == [("placeholder", "matters/health/foo.yaml", 4)]
    (d,) = result.report.diagnostics
    assert render(d, "zh") == "`事项名称` 是 xpcli init/new 写入的占位内容：印制或发布前必须替换"


def test_uncommented_template_lines_are_placeholders_too(catalog_dir: Path) -> None:
    runner.invoke(app, ["new", "matter", "foo", "--department", "health", "-c", str(catalog_dir)])
    path = catalog_dir / "matters" / "health" / "foo.yaml"
    text = path.read_text(encoding="utf-8").replace("事项名称", "新事项")
    text = text.replace("# phone", "phone").replace("# legal_basis:", "legal_basis:")
    path.write_text(text.replace("#   - 《", "  - 《"), encoding="utf-8")
    assert found(check(catalog_dir)) == [
        ("unfilled-placeholder", "matters/health/foo.yaml", 10),
        ("unfilled-placeholder", "matters/health/foo.yaml", 30),
    ]


def test_a_new_event_names_its_todo_references(catalog_dir: Path) -> None:
    runner.invoke(app, ["new", "event", "bar", "-c", str(catalog_dir)])
    assert found(check(catalog_dir)) == [
        ("placeholder", "events/bar.yaml", 7),
        ("placeholder", "events/bar.yaml", 9),
        ("placeholder", "events/bar.yaml", 10),
    ]


def test_scaffold_writes_the_listed_placeholders() -> None:
    written = scaffold.MATTER_TEMPLATE + scaffold.EVENT_TEMPLATE + scaffold.CATALOG_YAML
    written = written.replace("# TODO", "#")  # a comment, not a value
    for name, value in placeholders.FIELDS.items():
        assert "{" + name + "}" in written, name
        assert value not in written, value  # only through the one list


# --- A runaway handbook template ----------------------------------------------------------


def _render(tmp_path: Path, template: str) -> str:
    from xpcli.handbook.context import build_context
    from xpcli.handbook.pdf import render_html

    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "handbook.html.j2").write_text(template, encoding="utf-8")
    return render_html(build_context(check(NEWBORN).catalog), [folder])


def test_nested_loops_stop_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "RENDER_SECONDS", 1)
    loops = "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(XpcliError) as raised:
        _render(tmp_path, loops)
    assert time.monotonic() - started < 30
    assert raised.value.code == "handbook-template-timeout"
    assert raised.value.params == {"seconds": 1}


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{{ 'x' * (10 ** 14) }}", "template-memory"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "template-recursion"),
    ],
)
def test_memory_and_recursion_errors_are_messages(
    tmp_path: Path, template: str, reason: str
) -> None:
    with pytest.raises(XpcliError) as raised:
        _render(tmp_path, template)
    assert raised.value.code == "handbook-template-stopped"
    assert raised.value.params["reason"] == Term(reason)
    assert say("handbook-template-stopped", "zh", **raised.value.params).startswith(
        "手册模板已停止"
    )


def test_output_stops_at_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounded, "MAX_HTML_CHARS", 1000)
    with pytest.raises(XpcliError) as raised:
        _render(tmp_path, "{% for a in range(99999) %}xxxxxxxxxx{% endfor %}")
    assert (raised.value.code, raised.value.params) == (
        "handbook-template-too-long",
        {"limit": 1000},
    )


def test_the_cli_says_it_with_exit_2(tmp_path: Path, catalog_dir: Path) -> None:
    write(
        catalog_dir, "templates/handbook.html.j2", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"
    )
    result = runner.invoke(
        app,
        ["build-handbook", "-c", str(catalog_dir), "-o", str(tmp_path / "b.pdf"), "--lang", "zh"],
    )
    assert result.exit_code == 2
    assert "手册模板已停止：宏无休止地调用自身（RecursionError）" in result.stderr
    assert "Traceback" not in result.output
