"""Indicators for the report upward, per department and overall, with the counts behind them.

Over the active matters (a draft lacks elements, a retired matter is no longer handled):
- 即办件比例: promised_days 0, of all;
- 全程网办率: online 全程网办, of all;
- 零跑动率: visits 0, of all;
- 最多跑一次率: visits ≤ 1, of all;
- 承诺时限压缩率: 1 − Σ promised_days / Σ legal_days over the matters that have both (sums,
  so a 60-day licence weighs more than a 1-day certificate; the rate of the total, as the
  events' reductions are).
Percentages are rounded half up to one decimal; a rate over no matter is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xpcli.model import Catalog, Matter

RATES = ("instant", "online", "zero_visits", "one_visit")
NAMES = {
    "instant": "即办件比例",
    "online": "全程网办率",
    "zero_visits": "零跑动率",
    "one_visit": "最多跑一次率",
    "compression": "承诺时限压缩率",
}


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    of: int

    @property
    def percent(self) -> float | None:
        return percent(self.count, self.of)


@dataclass(frozen=True, slots=True)
class Compression:
    matters: int  # with both legal and promised days
    legal_days: int
    promised_days: int

    @property
    def percent(self) -> float | None:
        if self.legal_days == 0:
            return None
        return percent(self.legal_days - self.promised_days, self.legal_days)


@dataclass(frozen=True, slots=True)
class Indicators:
    department: str | None  # id; None for the whole catalog
    name: str
    matters: int
    instant: Rate
    online: Rate
    zero_visits: Rate
    one_visit: Rate
    compression: Compression

    def as_json(self) -> dict[str, Any]:
        rates = {
            key: {"count": r.count, "of": r.of, "percent": r.percent}
            for key in RATES
            for r in [getattr(self, key)]
        }
        c = self.compression
        return {
            "department": self.department,
            "name": self.name,
            "matters": self.matters,
            **rates,
            "compression": {
                "matters": c.matters,
                "legal_days": c.legal_days,
                "promised_days": c.promised_days,
                "percent": c.percent,
            },
        }


def percent(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    value = Decimal(100 * part) / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def indicators(catalog: Catalog) -> tuple[Indicators, list[Indicators]]:
    """(overall, per department in the order of departments.yaml; departments without active
    matters are left out)."""
    active = [m for m in catalog.matters.values() if m.status == "active"]
    by_department: dict[str, list[Matter]] = {}
    for matter in active:
        by_department.setdefault(matter.department, []).append(matter)
    rows = [
        _of(dep.id, dep.name, by_department[dep.id])
        for dep in catalog.departments.values()
        if dep.id in by_department
    ]
    return _of(None, "全部", active), rows


def _of(department: str | None, name: str, matters: list[Matter]) -> Indicators:
    n = len(matters)
    both = [m for m in matters if m.legal_days is not None and m.promised_days is not None]
    return Indicators(
        department=department,
        name=name,
        matters=n,
        instant=Rate(sum(m.promised_days == 0 for m in matters), n),
        online=Rate(sum(m.online == "全程网办" for m in matters), n),
        zero_visits=Rate(sum(m.visits == 0 for m in matters), n),
        one_visit=Rate(sum(m.visits is not None and m.visits <= 1 for m in matters), n),
        compression=Compression(
            len(both),
            sum(m.legal_days or 0 for m in both),
            sum(m.promised_days or 0 for m in both),
        ),
    )
