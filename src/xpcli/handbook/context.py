"""Build the handbook's data (`xpcli.handbook.data`) from a catalog: every string, number and
SVG is ready here, so the templates only loop and print.

Figures come from `xpcli.simplify.simplify` and nothing else; this module only labels them.
Catalog text stays plain `str` (the Jinja environment escapes it); only SVG markup generated
here from escaped text is passed as `Markup`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from markupsafe import Markup

from xpcli import messages
from xpcli.handbook import tree_svg
from xpcli.handbook.data import (
    Center,
    DepartmentView,
    EventMatterRow,
    EventRef,
    EventView,
    FigureRow,
    FlowStep,
    GuideGroup,
    Handbook,
    MaterialRow,
    MatterMaterialRow,
    MatterRef,
    MatterView,
    OptionalRow,
    SetAsideRow,
    SituationRow,
    TreeView,
    WindowView,
)
from xpcli.handbook.paper import PAPERS, Paper
from xpcli.handbook.qr import check_printable, qr_svg
from xpcli.model import Catalog, Event, MaterialEntry, Matter, SpecialProcedure, Window
from xpcli.simplify import COMBINED, COMMITMENT, E_LICENSE, INTERNAL, Simplification, simplify

Name = Callable[[str], str]  # an id to the name printed for it (type alias)
DEFAULT_HOTLINE = "12345"
FALLBACK_DATE = datetime(1980, 1, 1, tzinfo=UTC)  # an edition without a year: fixed, like zip


EXPLANATIONS = {
    INTERNAL: "由本“一件事”中的前序事项办结后生成，部门间内部流转，无需提交",
    COMBINED: "已并入联办申请表，无需另行填写",
    E_LICENSE: "通过电子证照共享获取，无需提交",
    COMMITMENT: "可签署告知承诺书代替；承诺不实的，依法承担相应责任",
}
FIGURE_LABELS = tuple((key, *label) for key, label in messages.FIGURE_LABELS["zh"].items())


def printable(url: str) -> str:
    """`url`, when its printed QR code decodes (else XpcliError handbook-url-too-long)."""
    check_printable(url)
    return url


def creation_date(edition: str, environ: dict[str, str] | None = None) -> datetime:
    """SOURCE_DATE_EPOCH when set; else the first day named by the edition ("2023年5月版")."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            pass
    match = re.search(
        r"(\d{4})\s*(?:年|[-./])\s*(?:(\d{1,2})\s*(?:月|[-./])?\s*(?:(\d{1,2}))?)?", edition
    )
    if match:
        year = int(match[1])
        month = int(match[2] or 1)
        day = int(match[3] or 1)
        try:
            return datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            try:
                return datetime(year, 1, 1, tzinfo=UTC)
            except ValueError:
                pass
    return FALLBACK_DATE


def title_lines(title: str) -> tuple[str, ...]:
    """Break a long title after its last closing quote or before 便民服务手册/手册, so the
    cover never strands a single character on a line. Short titles stay whole."""
    if len(title) <= 12:
        return (title,)
    for cut in ("”", "」", "》"):
        at = title.rfind(cut)
        if 0 < at < len(title) - 1:
            return (title[: at + 1], title[at + 1 :])
    for tail in ("便民服务手册", "服务手册", "手册"):
        if title.endswith(tail) and len(title) > len(tail) + 2:
            return (title[: -len(tail)], tail)
    return (title,)


def printed_events(catalog: Catalog) -> list[Event]:
    """Active events in print order (trees in order, events in tree order)."""
    return [e for e in catalog.events_in_print_order() if e.status == "active"]


def printed_urls(catalog: Catalog, all_matters: bool = False) -> list[str]:
    """Every URL the book prints as a QR code: its events' and its matters'."""
    events = [catalog.event_url(e.id) for e in printed_events(catalog)]
    return [*events, *(catalog.matter_url(m.id) for m in printed_matters(catalog, all_matters))]


def printed_matters(catalog: Catalog, all_matters: bool = False) -> list[Matter]:
    """The matters whose guides are printed, grouped by department (in the departments'
    order, then unknown departments), each group in catalog order: the matters of the printed
    events and the other active matters; with `all_matters`, every active matter only (a
    county's complete guide book, 办事指南汇编)."""
    wanted: set[str] = set()
    if not all_matters:
        wanted = {entry.matter for event in printed_events(catalog) for entry in event.matters}
    chosen = [m for m in catalog.matters.values() if m.status == "active" or m.id in wanted]
    rank = {dep_id: i for i, dep_id in enumerate(catalog.departments)}
    return sorted(chosen, key=lambda m: rank.get(m.department, len(rank)))


def build_context(
    catalog: Catalog, paper_name: str = "A5", all_matters: bool = False, bleed: float = 0.0
) -> Handbook:
    paper = replace(PAPERS[paper_name], bleed=bleed)
    header = catalog.header
    events = printed_events(catalog)
    numbers = {e.id: i for i, e in enumerate(events, start=1)}
    results = {e.id: simplify(catalog, e.id) for e in events}
    matters = printed_matters(catalog, all_matters)
    created = creation_date(header.edition)

    def department_name(dep_id: str) -> str:
        dep = catalog.departments.get(dep_id)
        return dep.name if dep else dep_id

    def material_name(mat_id: str) -> str:
        mat = catalog.materials.get(mat_id)
        return mat.name if mat else mat_id

    def matter_name(matter_id: str) -> str:
        matter = catalog.matters.get(matter_id)
        return matter.name if matter else matter_id

    events_of: dict[str, list[EventRef]] = {}
    for event in events:
        ref = EventRef(numbers[event.id], event.name, f"event-{event.id}")
        for entry in event.matters:
            refs = events_of.setdefault(entry.matter, [])
            if ref not in refs:
                refs.append(ref)

    trees = tuple(_tree_view(catalog, tree.id, events, numbers, paper) for tree in catalog.trees)
    event_views = tuple(
        _event_notice(
            catalog,
            event,
            numbers[event.id],
            results[event.id],
            paper,
            department_name,
            material_name,
            matter_name,
        )
        for event in events
    )
    matter_views = tuple(
        _matter_view(
            catalog,
            matter,
            tuple(events_of.get(matter.id, ())),
            paper,
            department_name,
            material_name,
        )
        for matter in matters
    )
    by_department: dict[str, list[MatterRef]] = {}
    for matter in matters:
        by_department.setdefault(matter.department, []).append(
            MatterRef(matter.name, f"matter-{matter.id}")
        )
    departments = tuple(
        DepartmentView(
            dep.name, dep.short_name or "", dep.phone or "", tuple(by_department.get(dep.id, ()))
        )
        for dep in catalog.departments.values()
    )
    groups: dict[str, list[MatterView]] = {}
    for view, matter in zip(matter_views, matters, strict=True):
        groups.setdefault(matter.department, []).append(view)
    guide_groups = tuple(
        GuideGroup(department_name(dep_id), tuple(views)) for dep_id, views in groups.items()
    )
    center = Center(
        header.center_name, header.center_address, header.center_hours, header.center_phone or ""
    )
    by_window: dict[str, list[MatterRef]] = {}
    for matter in matters:
        if matter.window:
            by_window.setdefault(matter.window, []).append(
                MatterRef(matter.name, f"matter-{matter.id}")
            )
    windows = tuple(
        window_view(catalog, w, tuple(by_window.get(w.id, ()))) for w in catalog.windows.values()
    )
    return Handbook(
        lang="zh-CN",
        title=header.title,
        title_lines=title_lines(header.title),
        region=header.region,
        region_code=header.region_code,
        edition=header.edition,
        publisher=header.publisher,
        hotline=header.hotline or DEFAULT_HOTLINE,
        created=created.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        year=str(created.year),
        paper=paper,
        center=center,
        trees=trees,
        events=event_views,
        matters=matter_views,
        departments=departments,
        windows=windows,
        guide_groups=guide_groups,
        event_count=len(event_views),
        matter_count=len(matter_views),
    )


def window_view(
    catalog: Catalog, window: Window | None, matters: tuple[MatterRef, ...] = ()
) -> WindowView:
    header = catalog.header
    if window is None:
        return WindowView(
            f"{header.center_name}综合受理窗口",
            header.center_address,
            header.center_hours,
            header.center_phone or "",
        )
    return WindowView(
        window.name,
        window.address or header.center_address,
        window.hours or header.center_hours,
        window.phone or header.center_phone or "",
        matters,
    )


def _tree_view(
    catalog: Catalog, tree_id: str, events: list[Event], numbers: dict[str, int], paper: Paper
) -> TreeView:
    tree = next(t for t in catalog.trees if t.id == tree_id)
    own = [e for e in events if e.tree == tree.id]
    diagram_events = [
        tree_svg.DiagramEvent(
            numbers[e.id],
            e.name,
            catalog.event_url(e.id),
            tuple(
                tree_svg.DiagramMatter(catalog.matters[m.matter].name, m.condition is not None)
                for m in e.matters
                if m.matter in catalog.matters
            ),
        )
        for e in own
    ]
    pages = tree_svg.layout(tree.title, diagram_events, paper.diagram_width, paper.diagram_height)
    matter_ids = {m.matter for e in own for m in e.matters}
    return TreeView(
        id=tree.id,
        anchor=f"tree-{tree.id}",
        title=tree.title,
        event_count=len(own),
        matter_count=len(matter_ids),
        diagrams=tuple(Markup(p.svg) for p in pages),
        events=tuple(EventRef(numbers[e.id], e.name, f"event-{e.id}") for e in own),
    )


def _event_notice(
    catalog: Catalog,
    event: Event,
    number: int,
    result: Simplification,
    paper: Paper,
    department_name: Name,
    material_name: Name,
    matter_name: Name,
) -> EventView:
    header = catalog.header
    lead = catalog.departments.get(event.lead_department)
    url = catalog.event_url(event.id)
    rows = []
    for i, entry in enumerate(event.matters, start=1):
        matter = catalog.matters[entry.matter]
        after = "、".join(matter_name(a) for a in entry.after)
        if entry.condition:
            when = f"情形：{entry.condition}"
        elif after:
            when = f"{after}办结后"
        else:
            when = "同步受理"
        rows.append(
            EventMatterRow(
                number=i,
                name=matter.name,
                anchor=f"matter-{matter.id}",
                department=department_name(matter.department),
                situation=entry.condition or "",
                after=after,
                when=when,
            )
        )
    combined = event.combined_form
    materials = []
    for i, merged in enumerate(result.materials, start=1):
        if combined is not None and merged.material == combined and not merged.matters:
            note = "一表申请：替代各事项的申请表，窗口可提供空白表"
        else:
            note = "用于：" + "、".join(matter_name(m) for m in merged.matters)
            issuer = (
                catalog.materials[merged.material].issuer
                if merged.material in catalog.materials
                else None
            )
            if issuer:
                note = f"{issuer}出具；{note}"
        materials.append(
            MaterialRow(
                i,
                material_name(merged.material),
                merged.form,
                merged.copies,
                merged.tolerance,
                note,
            )
        )
    set_aside = tuple(
        SetAsideRow(material_name(s.material), s.reason, EXPLANATIONS.get(s.reason, ""))
        for s in result.set_aside
    )
    optional = tuple(
        OptionalRow(material_name(o.material), o.form, "、".join(matter_name(m) for m in o.matters))
        for o in result.optional
    )
    situations = tuple(
        SituationRow(
            s.condition,
            "、".join(f"{material_name(m.material)}（{m.form}）" for m in s.materials),
            "、".join(matter_name(m) for m in s.matters),
        )
        for s in result.situations
    )
    flow = _flow(result, event, catalog, material_name)
    figures = tuple(
        FigureRow(
            label,
            unit,
            getattr(result.before, key),
            getattr(result.after, key),
            f"{getattr(result.reduction, key)}%",
        )
        for key, label, unit in FIGURE_LABELS
    )
    lead_phone = (lead.phone if lead and lead.phone else "") or (header.center_phone or "")
    phones = []
    if header.center_phone:
        phones.append(f"{header.center_phone}（政务服务中心）")
    if lead_phone and lead_phone != header.center_phone:
        phones.append(f"{lead_phone}（牵头部门）")
    phones.append(f"{header.hotline or DEFAULT_HOTLINE}（政务服务便民热线）")
    days_note = ""
    if event.promised_days is not None and result.critical_path_days != result.after.days:
        days_note = (
            f"办理时限为本“一件事”的承诺时限；按各事项承诺时限测算为"
            f"{result.critical_path_days}个工作日。"
        )
    return EventView(
        id=event.id,
        anchor=f"event-{event.id}",
        number=number,
        name=event.name,
        tree_title=next((t.title for t in catalog.trees if t.id == event.tree), ""),
        summary=event.summary,
        lead_department=lead.name if lead else event.lead_department,
        lead_phone=lead_phone,
        phones="　".join(phones),
        window=window_view(catalog, catalog.event_window(event)),
        url=url,
        qr=Markup(qr_svg(printable(url), paper.qr_mm, f"{event.name} 在线办理二维码")),
        matters=tuple(rows),
        materials=tuple(materials),
        set_aside=set_aside,
        optional=optional,
        situations=situations,
        flow=flow,
        figures=figures,
        departments=result.departments,
        days_note=days_note,
    )


def _flow(
    result: Simplification, event: Event, catalog: Catalog, material_name: Name
) -> tuple[FlowStep, ...]:
    names = result.step_names
    if event.combined_form:
        first = f"填写《{material_name(event.combined_form)}》，一次提交材料清单所列材料"
    else:
        first = "一次提交材料清单所列材料"
    window = window_view(catalog, catalog.event_window(event)).name
    details = [first, f"{window}一次受理，材料由部门内部流转"]
    for round_ids in result.rounds:
        parts = []
        for matter_id in round_ids:
            matter = catalog.matters[matter_id]
            dep = catalog.departments.get(matter.department)
            label = dep.label if dep else matter.department
            parts.append(f"{matter.name}（{label}）")
        details.append("、".join(parts) + " 同步审批")
    details.append(f"办理结果由{window}统一发放")
    return tuple(
        FlowStep(i, name, detail)
        for i, (name, detail) in enumerate(zip(names, details, strict=True), start=1)
    )


def _special(procedure: SpecialProcedure) -> str:
    if procedure.days is None:
        return f"{procedure.name}（不计入承诺时限）"
    return f"{procedure.name}（{procedure.days}个工作日，不计入承诺时限）"


def _days(days: int | None, instant: bool = False) -> str:
    if days is None:
        return "—"
    if days == 0 and instant:
        return "即办"
    return f"{days}个工作日"


def material_requirement(entry: MaterialEntry) -> str:
    """必须提供 / 按需提供 / 情形：…, and （可告知承诺） where a commitment may replace it."""
    if entry.condition:
        requirement = f"情形：{entry.condition}"
    elif entry.required:
        requirement = "必须提供"
    else:
        requirement = "按需提供"
    if entry.commitment:
        requirement += "（可告知承诺）"
    return requirement


def visits_text(visits: int | None) -> str:
    if visits is None:
        return "—"
    return "0次（不见面审批）" if visits == 0 else f"{visits}次"


def matter_location(catalog: Catalog, matter: Matter) -> str:
    """Its own location, else its window's, else the centre's."""
    header = catalog.header
    window = catalog.window_of(matter.window)
    if matter.location:
        return matter.location
    if window is not None:
        return f"{window.name}（{window.address or header.center_address}）"
    return f"{header.center_name}（{header.center_address}）"


def matter_phone(catalog: Catalog, matter: Matter) -> str:
    """Its own phone, else its window's, its department's, the centre's; "" when none."""
    window = catalog.window_of(matter.window)
    dep = catalog.departments.get(matter.department)
    return (
        matter.phone
        or (window.phone if window and window.phone else "")
        or (dep.phone if dep and dep.phone else "")
        or (catalog.header.center_phone or "")
    )


def _matter_view(
    catalog: Catalog,
    matter: Matter,
    events: tuple[EventRef, ...],
    paper: Paper,
    department_name: Name,
    material_name: Name,
) -> MatterView:
    rows = []
    for i, entry in enumerate(matter.materials, start=1):
        requirement = material_requirement(entry)
        rows.append(
            MatterMaterialRow(
                i,
                material_name(entry.material),
                entry.form,
                entry.copies,
                requirement,
                entry.tolerance,
                entry.note or "",
            )
        )
    url = catalog.matter_url(matter.id)
    visits = visits_text(matter.visits)
    location = matter_location(catalog, matter)
    phone = matter_phone(catalog, matter)
    return MatterView(
        id=matter.id,
        anchor=f"matter-{matter.id}",
        name=matter.name,
        code=matter.code or "—",
        type=matter.type or "—",
        department=department_name(matter.department),
        legal_basis=matter.legal_basis,
        conditions=matter.conditions,
        materials=tuple(rows),
        outputs=matter.result or "、".join(material_name(o) for o in matter.outputs),
        special_procedures=tuple(_special(p) for p in matter.special_procedures),
        faq=tuple((q.question, q.answer) for q in matter.faq),
        steps=matter.steps,
        legal_days=_days(matter.legal_days),
        promised_days=_days(matter.promised_days, instant=True),
        visits=visits,
        online=matter.online or "—",
        fee=matter.fee,
        location=location,
        phone=phone or "—",
        events=events,
        url=url,
        qr=Markup(qr_svg(printable(url), paper.qr_mm, f"{matter.name} 在线办理二维码")),
    )
