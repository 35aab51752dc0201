"""Shared helpers: a small valid catalog (the contract's worked example) to copy and break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
