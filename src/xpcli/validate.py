"""Validation: load the catalog, run the rules, return one report. Never prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xpcli.diagnostics import Report
from xpcli.loader import load_catalog
from xpcli.model import Catalog
from xpcli.rules import run_rules


@dataclass(frozen=True, slots=True)
class Validation:
    catalog: Catalog  # complete only when the report has no errors
    report: Report
    files: int


def validate(root: Path) -> Validation:
    loaded = load_catalog(root)
    report = Report.of([*loaded.diagnostics, *run_rules(loaded.catalog)])
    return Validation(loaded.catalog, report, loaded.files)
