"""Cross-record rules. Each module holds small rules; each rule yields diagnostics of one code.

A rule is registered with `@rule` and receives the whole catalog; rules never print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from xpcli.diagnostics import Diagnostic
from xpcli.model import Catalog

Rule = Callable[[Catalog], Iterator[Diagnostic]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def run_rules(catalog: Catalog) -> list[Diagnostic]:
    _import_rule_modules()
    return [d for check in RULES for d in check(catalog)]


def _import_rule_modules() -> None:
    from xpcli.rules import (  # noqa: F401  (registration by import)
        dependencies,
        header,
        identity,
        matters,
        placeholders,
        references,
        status,
        trees,
        usage,
    )
