"""The site's data, ready for the templates: every label, link and figure is prepared here, so
the templates only loop and print.

Figures come from `xpcli.simplify.simplify` and record fields from `xpcli.records` (the same
dicts as the export), labelled with the handbook's own words (`xpcli.handbook.context`), so a
page, the printed notice and the JSON never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xpcli.handbook.context import (
    DEFAULT_HOTLINE,
    EXPLANATIONS,
    FIGURE_LABELS,
    FlowStep,
    _days,
    _flow,
    material_requirement,
    matter_location,
    matter_phone,
    printed_events,
    printed_matters,
    visits_text,
    window_view,
)
from xpcli.model import Catalog, Event, Matter
from xpcli.records import event_record, matter_record
from xpcli.simplify import Simplification, merge_form, simplify
from xpcli.site.paths import ID, page_path, site_base

HOME, DEPARTMENTS, SEARCH, NOT_FOUND = (
    "index.html",
    "departments/index.html",
    "search/index.html",
    "404.html",
)


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    page: str  # page file, relative to the site root


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    unit: str
    before: int
    after: int
    reduction: str


@dataclass(frozen=True, slots=True)
class EventMatter:
    link: Link
    department: str
    when: str  # 同步受理 / …办结后 / 情形：…


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    name: str
    form: str
    copies: int
    tolerance: bool
    note: str
    situations: tuple[int, ...]  # indexes into EventPage.situations; () for everyone


@dataclass(frozen=True, slots=True)
class SituationItem:
    number: int
    condition: str
    materials: str
    matters: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Reasoned:
    name: str
    reason: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Window:
    name: str
    address: str
    hours: str
    phones: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventPage:
    id: str
    page: str
    url: str
    name: str
    tree: str
    summary: str
    lead_department: str
    figures: tuple[Figure, ...]
    departments: int
    days_note: str
    matters: tuple[EventMatter, ...]
    checklist: tuple[ChecklistItem, ...]
    set_aside: tuple[Reasoned, ...]
    optional: tuple[Reasoned, ...]
    situations: tuple[SituationItem, ...]
    flow: tuple[FlowStep, ...]
    window: Window


@dataclass(frozen=True, slots=True)
class MatterMaterial:
    name: str
    form: str
    copies: int
    requirement: str
    tolerance: bool
    note: str


@dataclass(frozen=True, slots=True)
class MatterPage:
    id: str
    page: str
    url: str
    record: dict[str, Any]  # xpcli.records.matter_record: the export's fields
    own_url: str | None  # its own page elsewhere (the provincial platform): linked, not built
    department: Link
    materials: tuple[MatterMaterial, ...]
    outputs: str
    legal_days: str
    promised_days: str
    visits: str
    location: str
    phone: str
    result: str  # 办理结果: its `result`, else the names of what it issues
    special_procedures: tuple[str, ...]
    events: tuple[Link, ...]
    structured: dict[str, Any]  # schema.org GovernmentService


@dataclass(frozen=True, slots=True)
class TreeSection:
    id: str
    title: str
    events: tuple[EventPage, ...]


@dataclass(frozen=True, slots=True)
class DepartmentSection:
    id: str
    page: str  # departments/<id>/index.html: one page each keeps a county's index small
    name: str
    phone: str
    matters: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Retired:
    page: str
    url: str
    name: str
    kind: str  # 事项 / 一件事
    replacement: Link | None  # its `replaced_by`, when that has a page


@dataclass(frozen=True, slots=True)
class Redirect:
    page: str
    target: str  # page file of the current record
    name: str


@dataclass(frozen=True, slots=True)
class Site:
    lang: str
    base: str
    title: str
    region: str
    publisher: str
    edition: str
    hotline: str
    center: Window
    trees: tuple[TreeSection, ...]
    events: tuple[EventPage, ...]
    matters: tuple[MatterPage, ...]
    departments: tuple[DepartmentSection, ...]
    retired: tuple[Retired, ...]
    redirects: tuple[Redirect, ...]


def build_context(catalog: Catalog) -> Site:
    """Every page of a valid catalog's site."""
    header = catalog.header
    base = site_base(header)
    center = Window(
        header.center_name,
        header.center_address,
        header.center_hours,
        _phones(header.center_phone, None, header.hotline),
    )
    events = [_event_page(catalog, e, simplify(catalog, e.id)) for e in printed_events(catalog)]
    matters = printed_matters(catalog)
    events_of: dict[str, list[Link]] = {}
    for page in events:
        for item in page.matters:
            links = events_of.setdefault(item.link.page, [])
            if all(link.page != page.page for link in links):
                links.append(Link(page.name, page.page))
    matter_pages = [
        _matter_page(catalog, m, tuple(events_of.get(_matter_page_path(catalog, m.id), ())))
        for m in matters
    ]
    event_by_id = {e.id: e for e in events}
    trees = tuple(
        TreeSection(
            tree.id,
            tree.title,
            tuple(event_by_id[e] for e in tree.events if e in event_by_id),
        )
        for tree in catalog.trees
    )
    return Site(
        lang="zh-CN",
        base=base,
        title=header.title,
        region=header.region,
        publisher=header.publisher,
        edition=header.edition,
        hotline=header.hotline or DEFAULT_HOTLINE,
        center=center,
        trees=trees,
        events=tuple(events),
        matters=tuple(matter_pages),
        departments=_departments(catalog, matters),
        retired=_retired(catalog),
        redirects=_redirects(catalog),
    )


# ---------------------------------------------------------------- paths


def _event_page_path(catalog: Catalog, event_id: str) -> str:
    return _path(catalog.header.event_url, event_id, catalog)


def _matter_page_path(catalog: Catalog, matter_id: str) -> str:
    """From the URL template even when the matter has its own `url` (a provincial page, linked
    to from ours, never generated)."""
    return _path(catalog.header.matter_url, matter_id, catalog)


def _path(template: str, record_id: str, catalog: Catalog) -> str:
    path = page_path(template.replace(ID, record_id), site_base(catalog.header))
    if path is None:  # validation (bad-site-base) keeps a valid catalog's templates below it
        raise ValueError(f"{template} is not below the site base")
    return path


# ---------------------------------------------------------------- events


def _phones(center: str | None, lead: str | None, hotline: str | None) -> tuple[str, ...]:
    """Where to ask, as in the handbook's notice: the centre, the lead department, 12345."""
    phones = []
    if center:
        phones.append(f"{center}（政务服务中心）")
    if lead and lead != center:
        phones.append(f"{lead}（牵头部门）")
    phones.append(f"{hotline or DEFAULT_HOTLINE}（政务服务便民热线）")
    return tuple(phones)


def _event_page(catalog: Catalog, event: Event, result: Simplification) -> EventPage:
    record = event_record(catalog, event)
    lead = catalog.departments[event.lead_department]
    matters = tuple(
        EventMatter(
            Link(item["name"], _matter_page_path(catalog, item["matter"])),
            catalog.departments[item["department"]].name,
            _when(catalog, item["after"], item["condition"]),
        )
        for item in record["matters"]
    )
    return EventPage(
        id=event.id,
        page=_event_page_path(catalog, event.id),
        url=record["url"],
        name=event.name,
        tree=next((t.title for t in catalog.trees if t.id == event.tree), ""),
        summary=event.summary,
        lead_department=lead.name,
        figures=tuple(
            Figure(
                label,
                unit,
                getattr(result.before, key),
                getattr(result.after, key),
                f"{getattr(result.reduction, key)}%",
            )
            for key, label, unit in FIGURE_LABELS
        ),
        departments=result.departments,
        days_note=_days_note(event, result),
        matters=matters,
        checklist=_checklist(catalog, event, result),
        set_aside=tuple(
            Reasoned(catalog.materials[s.material].name, s.reason, EXPLANATIONS.get(s.reason, ""))
            for s in result.set_aside
        ),
        optional=tuple(
            Reasoned(
                catalog.materials[o.material].name,
                o.form,
                "用于：" + "、".join(catalog.matters[m].name for m in o.matters),
            )
            for o in result.optional
        ),
        situations=tuple(
            SituationItem(
                i,
                s.condition,
                "、".join(f"{catalog.materials[m.material].name}（{m.form}）" for m in s.materials),
                tuple(
                    Link(catalog.matters[m].name, _matter_page_path(catalog, m)) for m in s.matters
                ),
            )
            for i, s in enumerate(result.situations, start=1)
        ),
        flow=_flow(result, event, catalog, lambda m: catalog.materials[m].name),
        window=_window(catalog, event, lead.phone),
    )


def _window(catalog: Catalog, event: Event, lead_phone: str | None) -> Window:
    """The event's window (its own, the one its base matters share, else the centre's
    综合受理窗口, as the handbook says), with where to ask."""
    header = catalog.header
    view = window_view(catalog, catalog.event_window(event))
    phones = _phones(header.center_phone, lead_phone, header.hotline)
    if view.phone and view.phone != header.center_phone:
        phones = (f"{view.phone}（受理窗口）", *phones)
    return Window(view.name, view.address, view.hours, phones)


def _when(catalog: Catalog, after: list[str], condition: str | None) -> str:
    if condition:
        return f"情形：{condition}"
    if after:
        return "、".join(catalog.matters[a].name for a in after) + "办结后"
    return "同步受理"


def _days_note(event: Event, result: Simplification) -> str:
    if event.promised_days is not None and result.critical_path_days != result.after.days:
        return (
            f"办理时限为本“一件事”的承诺时限；按各事项承诺时限测算为"
            f"{result.critical_path_days}个工作日。"
        )
    return ""


def _checklist(catalog: Catalog, event: Event, result: Simplification) -> tuple[ChecklistItem, ...]:
    """The merged list everyone brings, then each situation's materials that the merged list
    does not already ask for (one row per material, tagged with every situation needing it)."""
    items = []
    for merged in result.materials:
        material = catalog.materials[merged.material]
        if event.combined_form == merged.material and not merged.matters:
            note = "一表申请：替代各事项的申请表，窗口可提供空白表"
        else:
            note = "用于：" + "、".join(catalog.matters[m].name for m in merged.matters)
            if material.issuer:
                note = f"{material.issuer}出具；{note}"
        items.append(
            ChecklistItem(material.name, merged.form, merged.copies, merged.tolerance, note, ())
        )
    everyone = {m.material for m in result.materials}
    extra: dict[str, tuple[list[str], list[int]]] = {}
    for number, situation in enumerate(result.situations, start=1):
        for entry in situation.materials:
            if entry.material not in everyone:
                forms, numbers = extra.setdefault(entry.material, ([], []))
                forms.append(entry.form)
                numbers.append(number)
    for material_id, (forms, numbers) in extra.items():
        conditions = "；".join(result.situations[n - 1].condition for n in numbers)
        items.append(
            ChecklistItem(
                catalog.materials[material_id].name,
                merge_form(forms),
                1,
                False,
                f"情形：{conditions}",
                tuple(numbers),
            )
        )
    return tuple(items)


# ---------------------------------------------------------------- matters


def _matter_page(catalog: Catalog, matter: Matter, events: tuple[Link, ...]) -> MatterPage:
    header = catalog.header
    record = matter_record(catalog, matter)
    department = catalog.departments[matter.department]
    materials = tuple(
        MatterMaterial(
            item["name"],
            item["form"],
            item["copies"],
            material_requirement(entry),
            item["tolerance"],
            item["note"] or "",
        )
        for item, entry in zip(record["materials"], matter.materials, strict=True)
    )
    location = matter_location(catalog, matter)
    phone = matter_phone(catalog, matter)
    outputs = "、".join(o["name"] for o in record["outputs"])
    page = _matter_page_path(catalog, matter.id)
    template_url = header.matter_url.replace(ID, matter.id)
    return MatterPage(
        id=matter.id,
        page=page,
        url=record["url"],
        record=record,
        own_url=record["url"] if record["url"] != template_url else None,
        department=Link(department.name, department_page(department.id)),
        materials=materials,
        outputs=outputs,
        legal_days=_days(matter.legal_days),
        promised_days=_days(matter.promised_days, instant=True),
        visits=visits_text(matter.visits),
        location=location,
        phone=phone or "—",
        result=record["result"] or outputs,
        special_procedures=tuple(
            f"{p['name']}（{p['days']}个工作日）" if p["days"] is not None else p["name"]
            for p in record["special_procedures"]
        ),
        events=events,
        structured=_government_service(catalog, record, location, phone),
    )


def _government_service(
    catalog: Catalog, record: dict[str, Any], location: str, phone: str
) -> dict[str, Any]:
    """schema.org GovernmentService for search engines (JSON-LD)."""
    header = catalog.header
    service: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": record["name"],
        "serviceType": record["type"] or "",
        "url": record["url"],
        "provider": {"@type": "GovernmentOrganization", "name": record["department"]["name"]},
        "areaServed": {"@type": "AdministrativeArea", "name": header.region},
        "availableChannel": {
            "@type": "ServiceChannel",
            "name": header.center_name,
            "serviceLocation": {"@type": "Place", "name": location, "address": location},
            "availableLanguage": "zh-CN",
        },
    }
    if record["code"]:
        service["identifier"] = record["code"]
    if phone:
        service["availableChannel"]["servicePhone"] = {
            "@type": "ContactPoint",
            "telephone": phone,
        }
    return service


# ---------------------------------------------------------------- the rest


def _departments(catalog: Catalog, matters: list[Matter]) -> tuple[DepartmentSection, ...]:
    by_department: dict[str, list[Link]] = {}
    for matter in matters:
        by_department.setdefault(matter.department, []).append(
            Link(matter.name, _matter_page_path(catalog, matter.id))
        )
    return tuple(
        DepartmentSection(
            d.id, department_page(d.id), d.name, d.phone or "", tuple(by_department[d.id])
        )
        for d in catalog.departments.values()
        if d.id in by_department
    )


def department_page(department_id: str) -> str:
    return f"departments/{department_id}/index.html"


def _retired(catalog: Catalog) -> tuple[Retired, ...]:
    """A page at each retired record's address: no longer handled, and where to go instead
    (its `replaced_by` when that is published, else the centre, which every page names)."""
    pages = []
    for m in sorted(catalog.matters.values(), key=lambda m: m.id):
        if m.status == "retired":
            successor = catalog.matters.get(m.replaced_by or "")
            link = (
                Link(successor.name, _matter_page_path(catalog, successor.id))
                if successor is not None and successor.status != "draft"
                else None
            )
            pages.append(
                Retired(
                    _matter_page_path(catalog, m.id), catalog.matter_url(m.id), m.name, "事项", link
                )
            )
    for e in sorted(catalog.events.values(), key=lambda e: e.id):
        if e.status == "retired":
            follower = catalog.events.get(e.replaced_by or "")
            link = (
                Link(follower.name, _event_page_path(catalog, follower.id))
                if follower is not None and follower.status != "draft"
                else None
            )
            pages.append(
                Retired(
                    _event_page_path(catalog, e.id), catalog.event_url(e.id), e.name, "一件事", link
                )
            )
    return tuple(pages)


def _redirects(catalog: Catalog) -> tuple[Redirect, ...]:
    """A page at each former id's address, sending the reader to the record's page."""
    found = [
        Redirect(_matter_page_path(catalog, former), _matter_page_path(catalog, m.id), m.name)
        for m in sorted(catalog.matters.values(), key=lambda m: m.id)
        if m.status != "draft"
        for former in m.former_ids
    ]
    found += [
        Redirect(_event_page_path(catalog, former), _event_page_path(catalog, e.id), e.name)
        for e in sorted(catalog.events.values(), key=lambda e: e.id)
        if e.status != "draft"
        for former in e.former_ids
    ]
    return tuple(found)
