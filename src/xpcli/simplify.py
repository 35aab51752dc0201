"""An event's figures before and after 一件事一次办 (the method: docs/simplification.md).

`simplify` is the only place these figures are computed; the CLI, the handbook and the export
all call it. It is pure: the same catalog and event id give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xpcli.model import Catalog, MaterialEntry, Matter

INTERNAL, COMBINED, E_LICENSE, COMMITMENT = "内部生成", "一表申请", "电子证照共享", "告知承诺"
# Precedence: the first reason that applies is the one given. 告知承诺 comes last because it
# still asks something of the applicant (a signature), the other three ask nothing.
REASONS = (INTERNAL, COMBINED, E_LICENSE, COMMITMENT)
ORIGINAL, BOTH, ELECTRONIC = "原件", "原件及复印件", "电子件"
FIGURES = ("materials", "steps", "days", "visits")


@dataclass(frozen=True, slots=True)
class Figures:
    materials: int
    steps: int
    days: int
    visits: int

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURES}


@dataclass(frozen=True, slots=True)
class MergedMaterial:
    material: str
    form: str
    copies: int
    tolerance: bool
    matters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SetAside:
    material: str
    reason: str


@dataclass(frozen=True, slots=True)
class OptionalMaterial:
    material: str
    form: str
    matters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SituationMaterial:
    material: str
    form: str


@dataclass(frozen=True, slots=True)
class Situation:
    condition: str
    materials: tuple[SituationMaterial, ...]
    matters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Simplification:
    event: str
    before: Figures
    after: Figures
    reduction: Figures
    departments: int
    critical_path_days: int
    rounds: tuple[tuple[str, ...], ...]
    materials: tuple[MergedMaterial, ...]
    set_aside: tuple[SetAside, ...]
    optional: tuple[OptionalMaterial, ...]
    situations: tuple[Situation, ...]

    @property
    def step_names(self) -> tuple[str, ...]:
        """一表申请, 一窗受理, 并联审批 per round, 统一出件."""
        rounds: tuple[str, ...]
        if len(self.rounds) == 1:
            rounds = ("并联审批",)
        else:
            rounds = tuple(f"并联审批（第{k}轮）" for k in range(1, len(self.rounds) + 1))
        return ("一表申请", "一窗受理", *rounds, "统一出件")

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON object, keys in the contract's order."""
        return {
            "event": self.event,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "reduction": self.reduction.as_dict(),
            "departments": self.departments,
            "critical_path_days": self.critical_path_days,
            "rounds": [list(r) for r in self.rounds],
            "materials": [
                {
                    "material": m.material,
                    "form": m.form,
                    "copies": m.copies,
                    "tolerance": m.tolerance,
                    "matters": list(m.matters),
                }
                for m in self.materials
            ],
            "set_aside": [{"material": s.material, "reason": s.reason} for s in self.set_aside],
            "optional": [
                {"material": o.material, "form": o.form, "matters": list(o.matters)}
                for o in self.optional
            ],
            "situations": [
                {
                    "condition": s.condition,
                    "materials": [{"material": m.material, "form": m.form} for m in s.materials],
                    "matters": list(s.matters),
                }
                for s in self.situations
            ],
        }


def simplify(catalog: Catalog, event_id: str) -> Simplification:
    """The figures of one event of a valid catalog (KeyError for an unknown id)."""
    event = catalog.events[event_id]
    base = [catalog.matters[e.matter] for e in event.matters if e.condition is None]
    base_ids = {m.id for m in base}
    counted = [(m, e) for m in base for e in m.materials if e.required and e.condition is None]

    outputs = {o for m in base for o in m.outputs}

    def reason_for(material_id: str) -> str | None:
        if material_id in outputs:
            return INTERNAL
        material = catalog.materials[material_id]
        if event.combined_form is not None and material.kind == "表格":
            return COMBINED
        if material.e_license:
            return E_LICENSE
        return None

    by_material: dict[str, list[tuple[Matter, MaterialEntry]]] = {}
    for matter, entry in counted:
        by_material.setdefault(entry.material, []).append((matter, entry))
    reasons = {
        material_id: reason_for(material_id) or _commitment(pairs)
        for material_id, pairs in by_material.items()
    }
    merged = [
        _merge(material_id, pairs)
        for material_id, pairs in by_material.items()
        if reasons[material_id] is None
    ]
    if event.combined_form is not None:
        merged.append(MergedMaterial(event.combined_form, ORIGINAL, 1, False, ()))
    set_aside = tuple(
        SetAside(material_id, reason)
        for reason in REASONS
        for material_id, why in reasons.items()
        if why == reason
    )

    after_in_base = {
        e.matter: tuple(a for a in e.after if a in base_ids)
        for e in event.matters
        if e.condition is None
    }
    round_of = _rounds(after_in_base)
    levels = max(round_of.values(), default=1)
    rounds = tuple(tuple(m.id for m in base if round_of[m.id] == k) for k in range(1, levels + 1))
    critical = _critical_path(
        {m.id: _figure(m.promised_days) for m in base}, after_in_base, round_of
    )

    before = Figures(
        materials=len(counted),
        steps=sum(len(m.steps) for m in base),
        days=sum(_figure(m.promised_days) for m in base),
        visits=sum(_figure(m.visits) for m in base),
    )
    all_online = all(m.online == "全程网办" for m in base)
    after = Figures(
        materials=len(merged),
        steps=3 + levels,
        days=event.promised_days if event.promised_days is not None else critical,
        visits=event.visits if event.visits is not None else (0 if all_online else 1),
    )
    departments = tuple(dict.fromkeys(m.department for m in base))
    return Simplification(
        event=event.id,
        before=before,
        after=after,
        reduction=Figures(
            *(reduction_percent(getattr(before, f), getattr(after, f)) for f in FIGURES)
        ),
        departments=len(departments),
        critical_path_days=critical,
        rounds=rounds,
        materials=tuple(merged),
        set_aside=set_aside,
        optional=_optional(base, set(by_material)),
        situations=_situations(catalog, event_id, reason_for),
    )


def _figure(value: int | None) -> int:
    """A matter's figure. Only a draft lacks one, and an event with such a matter is invalid
    (`incomplete-matter-in-event`), so a valid catalog never reaches the 0."""
    return 0 if value is None else value


def _commitment(pairs: list[tuple[Matter, MaterialEntry]]) -> str | None:
    """告知承诺 when every counted entry of the material accepts a signed commitment."""
    return COMMITMENT if all(entry.commitment for _, entry in pairs) else None


def merge_form(forms: Iterable[str]) -> str:
    """Common form; 原件及复印件 when 原件 and 复印件 mix; 电子件 only when all are 电子件."""
    distinct = set(forms)
    if distinct == {ELECTRONIC}:
        return ELECTRONIC
    distinct.discard(ELECTRONIC)
    return distinct.pop() if len(distinct) == 1 else BOTH


def _merge(material_id: str, pairs: list[tuple[Matter, MaterialEntry]]) -> MergedMaterial:
    entries = [entry for _, entry in pairs]
    return MergedMaterial(
        material=material_id,
        form=merge_form(e.form for e in entries),
        copies=max(e.copies for e in entries),
        tolerance=all(e.tolerance for e in entries),
        matters=tuple(dict.fromkeys(m.id for m, _ in pairs)),
    )


def _rounds(after: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Round of each matter: 1 without predecessors, else one after its latest predecessor."""
    round_of: dict[str, int] = {}
    for start in after:
        stack = [start]
        while stack:
            current = stack[-1]
            pending = [a for a in after[current] if a not in round_of]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            round_of[current] = 1 + max((round_of[a] for a in after[current]), default=0)
    return round_of


def _critical_path(
    days: dict[str, int], after: dict[str, tuple[str, ...]], round_of: dict[str, int]
) -> int:
    """Largest sum of promised days along an `after` chain."""
    finish: dict[str, int] = {}
    for matter_id in sorted(after, key=round_of.__getitem__):  # predecessors come first
        finish[matter_id] = days[matter_id] + max((finish[a] for a in after[matter_id]), default=0)
    return max(finish.values(), default=0)


def reduction_percent(before: int, after: int) -> int:
    if before == 0:
        return 0
    percent = Decimal(100 * (before - after)) / Decimal(before)
    return int(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _optional(base: list[Matter], counted_ids: set[str]) -> tuple[OptionalMaterial, ...]:
    """按需提供: unconditional `required: false` entries not already asked for anyway."""
    found: dict[str, list[tuple[str, str]]] = {}
    for matter in base:
        for entry in matter.materials:
            if not entry.required and entry.condition is None and entry.material not in counted_ids:
                found.setdefault(entry.material, []).append((matter.id, entry.form))
    return tuple(
        OptionalMaterial(
            material_id, merge_form(f for _, f in pairs), tuple(dict.fromkeys(m for m, _ in pairs))
        )
        for material_id, pairs in found.items()
    )


def _situations(catalog: Catalog, event_id: str, reason_for: Any) -> tuple[Situation, ...]:
    """情形, in order of first appearance: a base matter's conditional entries, and situational
    matters with those of their materials the event does not already cover."""
    event = catalog.events[event_id]
    materials: dict[str, dict[str, list[str]]] = {}
    matters: dict[str, list[str]] = {}

    def add(condition: str, entry: MaterialEntry) -> None:
        materials.setdefault(condition, {}).setdefault(entry.material, []).append(entry.form)
        matters.setdefault(condition, [])

    for item in event.matters:
        matter = catalog.matters[item.matter]
        if item.condition is None:
            for entry in matter.materials:
                if entry.condition is not None:
                    add(entry.condition, entry)
        else:
            materials.setdefault(item.condition, {})
            matters.setdefault(item.condition, []).append(matter.id)
            for entry in matter.materials:
                if entry.required and reason_for(entry.material) is None:
                    add(item.condition, entry)
    return tuple(
        Situation(
            condition,
            tuple(SituationMaterial(m, merge_form(forms)) for m, forms in by_id.items()),
            tuple(dict.fromkeys(matters[condition])),
        )
        for condition, by_id in materials.items()
    )
