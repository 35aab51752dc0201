"""The command line itself speaks the reader's language: help, option texts, usage errors; the
language comes from --lang (before or after the command) or from the locale."""

from __future__ import annotations

import re

import pytest
import typer

from tests.conftest import NEWBORN, in_locale, run_cli
from xpcli import __version__
from xpcli.cli import app
from xpcli.cli.app import COMMAND_ORDER
from xpcli.cli.i18n import help_gaps


def commands_listed(help_text: str) -> list[str]:
    section = re.split(r"^(?:Commands|命令)[:：]$", help_text, flags=re.M)[1]
    return re.findall(r"^  (\S+)", section, flags=re.M)


def test_every_command_and_option_has_chinese_help() -> None:
    assert help_gaps(typer.main.get_command(app)) == []


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "zh", "--help"], None),
        (["--help", "--lang", "zh"], None),
        (["--help"], in_locale("zh_CN.UTF-8")),
    ],
)
def test_top_help_in_chinese(args: list[str], env: dict | None) -> None:
    result = run_cli(*args, env=env)
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("用法：xpcli [选项] 命令 [参数]...")
    assert "\n选项：\n" in text and "\n命令：\n" in text
    assert "显示本帮助并退出。" in text and "Show this message" not in text
    assert "  validate        校验目录" in text
    assert "--show-completion" in text  # shell completion is on


@pytest.mark.parametrize("args", [["--lang", "zh"], ["--lang=zh"]])
def test_lang_alone_shows_the_chinese_help_not_missing_command(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2  # as plain `xpcli`: help instead of a command
    assert "用法：xpcli [选项] 命令 [参数]..." in result.output
    assert "  validate        校验目录" in result.output
    assert "缺少命令" not in result.output


def test_top_help_in_english_lists_commands_in_a_clerks_order() -> None:
    result = run_cli("--help", env=in_locale("en_US.UTF-8"))
    assert result.stdout.startswith("Usage: xpcli [OPTIONS] COMMAND [ARGS]...")
    listed = commands_listed(result.stdout)
    known = [name for name in COMMAND_ORDER if name in listed]
    assert listed[: len(known)] == known
    assert listed[:3] == ["validate", "show", "list"]


def test_command_help_and_defaults_in_chinese() -> None:
    text = run_cli("validate", "--help", "--lang", "zh").stdout
    assert "用法：xpcli validate [选项] [path]" in text
    assert "有警告也判为失败" in text
    assert "目录文件夹。  [默认：catalog]" in text
    assert "示例：xpcli validate catalog --format github --strict" in text
    english = run_cli("validate", "--help", "--lang", "en").stdout
    assert "Fail on warnings too." in english and "[default: catalog]" in english


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["validate", "--bogus"], "错误：没有选项 --bogus", "Error: No such option: --bogus"),
        (
            ["validate", "--format", "xml"],
            "错误：'--format' / '-f' 的值无效：`xml` 不是可选值 'text', 'json', 'github' 之一。",
            "Error: Invalid value for '--format' / '-f': 'xml' is not one of 'text', 'json', "
            "'github'.",
        ),
        (["show", "event"], "错误：缺少参数 'ID'。", "Error: Missing argument 'ID'."),
        (["nope"], "错误：没有命令 nope。", "Error: No such command 'nope'."),
        (
            ["validate", "a", "b"],
            "错误：多余的参数：b",
            "Error: Got unexpected extra argument(s) (b)",
        ),
        (
            ["validate", "--format"],
            "错误：选项 --format 后面需要一个值。",
            "Error: Option '--format' requires an argument.",
        ),
    ],
)
def test_usage_errors_in_both_languages(args: list[str], zh: str, en: str) -> None:
    chinese = run_cli("--lang", "zh", *args)
    assert chinese.exit_code == 2
    assert zh in chinese.stderr
    english = run_cli(*args, env=in_locale("C.UTF-8"))
    assert english.exit_code == 2
    assert en in english.stderr


def test_usage_error_in_the_locales_language() -> None:
    result = run_cli("validate", "--bogus", env=in_locale("zh_CN.UTF-8"))
    assert result.stderr.startswith(
        "用法：xpcli validate [选项] [path]\n运行 'xpcli validate --help'"
    )


def test_lang_before_or_after_the_command_words_errors() -> None:
    for args in (["--lang", "zh", "show", "event", "nope"], ["show", "event", "nope", "--lang=zh"]):
        result = run_cli(*args, "--catalog", NEWBORN, env=in_locale("en_US.UTF-8"))
        assert result.exit_code == 1
        assert "未知的一件事" in result.stderr, args
    result = run_cli("--lang", "en", "validate", NEWBORN, env=in_locale("zh_CN.UTF-8"))
    assert result.stdout.startswith("catalog is valid")


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"xpcli {__version__}\n"
    assert __version__ == "0.2.0"


def test_schema_takes_lang() -> None:
    result = run_cli("schema", "bogus", "--lang", "zh")
    assert result.exit_code == 2
    assert (
        "不是可选值 catalog, departments, materials, windows, matter, event 之一" in result.stderr
    )
