"""Shared helpers: a small valid catalog (the contract's worked example) to copy and break."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from xpcli.cli import app
from xpcli.validate import Validation, validate

FIXTURES = Path(__file__).parent / "fixtures"
NEWBORN = FIXTURES / "newborn"
REPO = Path(__file__).parent.parent


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A fresh copy of the worked-example catalog."""
    target = tmp_path / "catalog"
    shutil.copytree(NEWBORN, target)
    return target


# The locale variables a test sets or clears to choose the default language.
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# The one CliRunner every test file uses (directly, or through run_cli and the cli fixture).
runner = CliRunner()


def run_cli(
    *args: str | Path, env: Mapping[str, str | None] | None = None, input: str | None = None
) -> Result:
    """`xpcli ARGS...` in process, the one way every test runs the command line. An exception
    escaping a command fails the test (the CLI must turn every failure into a message)."""
    return runner.invoke(app, [str(a) for a in args], env=env, input=input, catch_exceptions=False)


def in_locale(value: str) -> dict[str, str | None]:
    """An environment whose only locale setting is LANG=`value`."""
    return {**dict.fromkeys(LOCALE_VARS), "LANG": value}


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def found(result: Validation) -> list[tuple[str, str, int]]:
    """(code, file, line) of every diagnostic."""
    return [(d.code, d.location.file, d.location.line) for d in result.report.diagnostics]


def codes(result: Validation) -> set[str]:
    return {d.code for d in result.report.diagnostics}


def check(root: Path) -> Validation:
    return validate(root)


# A git that needs no user configuration and reads none: the tests' commits are reproducible.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.cn",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.cn",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, input: str | None = None) -> str:
    """`git -C repo ARGS...`, its output without the final newline; a failure fails the test."""
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    return done.stdout.strip()
