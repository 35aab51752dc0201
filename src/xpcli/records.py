"""Records as JSON-ready dicts, with names resolved: shared by `show --format json` and export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xpcli.model import Catalog, Event, Matter, Window
from xpcli.simplify import simplify


def window_record(window: Window | None) -> dict[str, Any] | None:
    if window is None:
        return None
    return {
        "id": window.id,
        "name": window.name,
        "address": window.address,
        "hours": window.hours,
        "phone": window.phone,
    }


def matter_record(catalog: Catalog, matter: Matter) -> dict[str, Any]:
    department = catalog.departments[matter.department]
    return {
        "id": matter.id,
        "name": matter.name,
        "code": matter.code,
        "local_code": matter.local_code,
        "type": matter.type,
        "department": {"id": department.id, "name": department.name},
        "legal_basis": list(matter.legal_basis),
        "conditions": list(matter.conditions),
        "materials": [
            {
                "material": entry.material,
                "name": catalog.materials[entry.material].name,
                "kind": catalog.materials[entry.material].kind,
                "form": entry.form,
                "copies": entry.copies,
                "required": entry.required,
                "tolerance": entry.tolerance,
                "commitment": entry.commitment,
                "condition": entry.condition,
                "note": entry.note,
            }
            for entry in matter.materials
        ],
        "outputs": [{"material": o, "name": catalog.materials[o].name} for o in matter.outputs],
        "steps": list(matter.steps),
        "legal_days": matter.legal_days,
        "promised_days": matter.promised_days,
        "visits": matter.visits,
        "online": matter.online,
        "fee": matter.fee,
        "location": matter.location,
        "phone": matter.phone,
        "window": window_record(catalog.window_of(matter.window)),
        "special_procedures": [{"name": p.name, "days": p.days} for p in matter.special_procedures],
        "faq": [{"question": q.question, "answer": q.answer} for q in matter.faq],
        "result": matter.result,
        "status": matter.status,
        "replaced_by": _successor(
            catalog.matters.get(matter.replaced_by or ""), catalog.matter_url
        ),
        "former_ids": list(matter.former_ids),
        "url": catalog.matter_url(matter.id),
    }


def event_record(catalog: Catalog, event: Event) -> dict[str, Any]:
    lead = catalog.departments[event.lead_department]
    figures = simplify(catalog, event.id).as_json()
    form = catalog.materials.get(event.combined_form or "")
    return {
        "id": event.id,
        "name": event.name,
        "tree": event.tree,
        "summary": event.summary,
        "lead_department": {"id": lead.id, "name": lead.name},
        "matters": [
            {
                "matter": entry.matter,
                "name": catalog.matters[entry.matter].name,
                "department": catalog.matters[entry.matter].department,
                "after": list(entry.after),
                "condition": entry.condition,
                "url": catalog.matter_url(entry.matter),
            }
            for entry in event.matters
        ],
        "combined_form": {"material": form.id, "name": form.name} if form else None,
        "promised_days": event.promised_days,
        "visits": event.visits,
        "window": window_record(catalog.event_window(event)),
        "status": event.status,
        "replaced_by": _successor(catalog.events.get(event.replaced_by or ""), catalog.event_url),
        "former_ids": list(event.former_ids),
        "url": catalog.event_url(event.id),
        "simplification": figures,
        "names": _names(catalog, event, figures),
    }


def _successor(record: Matter | Event | None, url: Callable[[str], str]) -> dict[str, str] | None:
    """A retired record's successor as a channel links to it; none when it is not published
    (missing, or a draft)."""
    if record is None or record.status == "draft":
        return None
    return {"id": record.id, "name": record.name, "url": url(record.id)}


def _names(catalog: Catalog, event: Event, figures: dict[str, Any]) -> dict[str, Any]:
    """The names of the materials and departments the event's record mentions by id, so that
    a channel can print its notice from this one file."""
    materials: list[str] = [event.combined_form] if event.combined_form else []
    for key in ("materials", "set_aside", "optional"):
        materials += [m["material"] for m in figures[key]]
    for situation in figures["situations"]:
        materials += [m["material"] for m in situation["materials"]]
    departments = [event.lead_department]
    departments += [catalog.matters[entry.matter].department for entry in event.matters]
    return {
        "materials": {m: catalog.materials[m].name for m in dict.fromkeys(materials)},
        "departments": {d: catalog.departments[d].name for d in dict.fromkeys(departments)},
    }
