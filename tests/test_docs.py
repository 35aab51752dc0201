"""The documentation cannot drift from the code.

- docs/diagnostics.md is exactly what `python docs/generate.py` writes, and names every code;
- every command of the CLI has an example in its help and is described in docs/cli.md,
  with each of its options.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer

from xpcli.cli import app
from xpcli.messages import CODES

REPO = Path(__file__).parent.parent
DOCS = REPO / "docs"


def _load_generator() -> ModuleType:
    """docs/generate.py is a development script, not part of the package."""
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _load_generator()
OUTPUT, diagnostics_markdown = GENERATOR.OUTPUT, GENERATOR.diagnostics_markdown


# Typer may vendor its own click, so commands and groups are recognised by their attributes.
def _is_group(command: Any) -> bool:
    return hasattr(command, "commands")


def _walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """("xpcli show event", command) for the app and every group and command below it."""
    yield " ".join(("xpcli", *path)), command
    if _is_group(command):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, (*path, name))


ALL = list(_walk(typer.main.get_command(app), ()))
COMMANDS = [(name, c) for name, c in ALL if not _is_group(c)]
GROUPS = [(name, c) for name, c in ALL if _is_group(c) and name != "xpcli"]


def test_docgen_writes_into_the_repository() -> None:
    assert OUTPUT == REPO / "docs" / "diagnostics.md"


def test_diagnostics_page_is_generated() -> None:
    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    assert text == diagnostics_markdown(), (
        "docs/diagnostics.md is out of date: run `python docs/generate.py` (make docs)"
    )


def test_diagnostics_page_names_every_code() -> None:
    text = diagnostics_markdown()
    for name, code in CODES.items():
        assert f"### `{name}`" in text, name
        assert code.example in text, name


def test_diagnostics_page_shows_every_output_format() -> None:
    text = diagnostics_markdown()
    for option in ("--format json", "--format github", "--lang zh"):
        assert f"$ xpcli validate catalog {option}" in text
    assert '"errors": 5' in text
    assert "::error file=catalog/catalog.yaml,line=8,col=16,title=wrong-type::" in text


def test_the_cli_has_commands() -> None:
    names = {name for name, _ in COMMANDS}
    expected = {"validate", "schema", "show event", "show matter", "stats", "build-handbook"}
    assert {f"xpcli {name}" for name in expected} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_help_has_an_example(name: str, command: Any) -> None:
    assert command.help is not None and "Example:" in command.help, (
        f"`{name} --help` needs a line `Example: {name} …`"
    )


@pytest.mark.parametrize(
    ("name", "command"), COMMANDS + GROUPS, ids=[n for n, _ in COMMANDS + GROUPS]
)
def test_command_is_documented(name: str, command: Any) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"`{name}" in text, f"docs/cli.md does not describe `{name}`"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_options_are_documented(name: str, command: Any) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    flags = [
        max(param.opts, key=len)
        for param in command.params
        if param.param_type_name == "option" and param.name != "help"
    ]
    missing = [flag for flag in flags if f"`{flag}" not in text]
    assert not missing, f"docs/cli.md does not describe {', '.join(missing)} of `{name}`"


def test_nothing_refers_outside_the_repository() -> None:
    """The method behind every figure is documented here (docs/simplification.md), not in a
    folder beside the repository."""
    needle = "shared" + "/spec"
    found = [
        path.relative_to(REPO).as_posix()
        for folder in ("src", "docs", "tests", "benchmarks", "templates")
        for path in (REPO / folder).rglob("*")
        if path.suffix in (".py", ".md", ".yaml", ".j2", ".toml")
        and path.is_file()
        and needle in path.read_text("utf-8", errors="replace")
    ]
    readme = (REPO / "README.md").read_text("utf-8")
    assert found == [] and needle not in readme
    assert "docs/simplification.md" in readme
