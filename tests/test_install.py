"""`pip install xpcli` from a built wheel: version 0.2.0, the templates and schemas inside, and
the everyday commands working without WeasyPrint or Pango (only build-handbook needs them, and
says in the reader's language what to install)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import NEWBORN, REPO

# Run xpcli from an unpacked wheel with WeasyPrint (and Pango behind it) impossible to import.
RUNNER = """
import sys, importlib.abc
class NoPdf(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("weasyprint", "pydyf"):
            raise ImportError(f"{name} is not installed")
sys.meta_path.insert(0, NoPdf())
sys.path.insert(0, sys.argv.pop(1))
import xpcli
assert xpcli.__file__.startswith(sys.path[0]), xpcli.__file__
from xpcli.cli import main
sys.argv[0] = "xpcli"
main()
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot build the wheel here (needs hatchling from PyPI): {done.stderr}")
    (built,) = out.glob("xpcli-*.whl")
    return built


def test_wheel_carries_version_templates_and_entry_point(wheel: Path) -> None:
    assert wheel.name == "xpcli-0.2.0-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert "xpcli/templates/handbook/handbook.html.j2" in names
    assert "xpcli/schemas/matter.json" in names
    entry = zipfile.ZipFile(wheel).read("xpcli-0.2.0.dist-info/entry_points.txt").decode()
    assert "xpcli = xpcli.cli:main" in entry


def xpcli(site: Path, *args: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": ""}
    return subprocess.run(
        [sys.executable, "-c", RUNNER, str(site), *args, "--lang", lang],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    zipfile.ZipFile(wheel).extractall(target)
    return target


def test_everyday_commands_need_no_pdf_stack(site: Path, tmp_path: Path) -> None:
    assert xpcli(site, "--version").stdout == "xpcli 0.2.0\n"
    for args in (
        ["validate", str(NEWBORN)],
        ["show", "event", "newborn", "-c", str(NEWBORN)],
        ["show", "matter", "出生登记", "-c", str(NEWBORN)],
        ["list", "matters", "-c", str(NEWBORN)],
        ["stats", "-c", str(NEWBORN), "--format", "csv"],
        ["export", "-c", str(NEWBORN), "-o", str(tmp_path / "api")],
        ["schema", "matter"],
        ["init", str(tmp_path / "repo")],
    ):
        done = xpcli(site, *args)
        assert done.returncode == 0, (args, done.stderr)
    done = xpcli(site, "new", "event", "marriage", "-c", str(tmp_path / "repo/catalog"))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", "WeasyPrint 无法启动（weasyprint is not installed）；生成手册需要它和 Pango："),
        ("en", "WeasyPrint cannot start (weasyprint is not installed); build-handbook needs it"),
    ],
)
def test_build_handbook_names_what_to_install(
    site: Path, tmp_path: Path, lang: str, words: str
) -> None:
    done = xpcli(
        site, "build-handbook", "-c", str(NEWBORN), "-o", str(tmp_path / "h.pdf"), lang=lang
    )
    assert done.returncode == 2
    assert words in done.stderr
    assert "libpango-1.0-0" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "h.pdf").exists()
