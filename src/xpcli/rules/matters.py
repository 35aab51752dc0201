"""Rules inside one matter or one event's list of matters."""

from __future__ import annotations

from collections.abc import Iterator

from xpcli.codes import check_digit_error
from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog, EventEntry, MaterialEntry
from xpcli.rules import rule


@rule
def material_listed_twice(catalog: Catalog) -> Iterator[Diagnostic]:
    """A matter does not list one material twice under the same condition."""
    for matter in catalog.matters.values():
        seen: dict[tuple[str, str | None], MaterialEntry] = {}
        for entry in matter.materials:
            first = seen.setdefault((entry.material, entry.condition), entry)
            if first is not entry:  # locations only for the rare duplicate: this is a hot loop
                yield problem(
                    "duplicate-material",
                    entry.source.at("material"),
                    id=entry.material,
                    first_line=first.source.at("material").line,
                )


@rule
def output_is_input(catalog: Catalog) -> Iterator[Diagnostic]:
    """A matter's output is not one of its own inputs."""
    for matter in catalog.matters.values():
        outputs = set(matter.outputs)
        for entry in matter.materials:
            if entry.material in outputs:
                yield problem("output-is-input", entry.source.at("material"), id=entry.material)


@rule
def promised_within_legal(catalog: Catalog) -> Iterator[Diagnostic]:
    """`promised_days` is at most `legal_days`."""
    for matter in catalog.matters.values():
        promised, legal = matter.promised_days, matter.legal_days
        if promised is not None and legal is not None and promised > legal:
            yield problem(
                "promised-exceeds-legal",
                matter.source.at("promised_days"),
                promised=promised,
                legal=legal,
            )


@rule
def visits_match_online(catalog: Catalog) -> Iterator[Diagnostic]:
    """全程网办 means no visit; 线下办理 means at least one."""
    for matter in catalog.matters.values():
        if matter.visits is None:
            continue
        if matter.online == "全程网办" and matter.visits > 0:
            yield problem("online-with-visits", matter.source.at("visits"), visits=matter.visits)
        elif matter.online == "线下办理" and matter.visits == 0:
            yield problem("offline-without-visits", matter.source.at("visits"))


@rule
def credit_code_check_digit(catalog: Catalog) -> Iterator[Diagnostic]:
    """A national 31-character `code` carries a credit code whose check character is right."""
    for matter in catalog.matters.values():
        wrong = check_digit_error(matter.code) if matter.code else None
        if wrong is not None:
            credit, expected = wrong
            yield problem(
                "bad-check-digit",
                matter.source.at("code"),
                credit_code=credit,
                found=credit[17],
                expected=expected,
            )


@rule
def matter_listed_twice(catalog: Catalog) -> Iterator[Diagnostic]:
    """An event lists each matter once (the figures would count it twice)."""
    for event in catalog.events.values():
        seen: dict[str, EventEntry] = {}
        for entry in event.matters:
            first = seen.setdefault(entry.matter, entry)
            if first is not entry:
                yield problem(
                    "duplicate-matter-entry",
                    entry.source.at("matter"),
                    id=entry.matter,
                    first_line=first.source.at("matter").line,
                )
