"""Placeholders that `xpcli init` / `xpcli new` wrote and nobody replaced."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog, Event, Matter, Source
from xpcli.placeholders import PLACEHOLDERS
from xpcli.rules import rule

KeyedText = tuple[tuple[str | int, ...], str | None]


@rule
def placeholders_left(catalog: Catalog) -> Iterator[Diagnostic]:
    """A placeholder is an error in an active or retired record (it would be printed and
    exported) and a warning in a draft and in the files without a status."""
    for matter in catalog.matters.values():
        yield from _found(_code(matter.status), matter.source, _matter_texts(matter))
    for event in catalog.events.values():
        yield from _found(_code(event.status), event.source, _event_texts(event))
    if "catalog.yaml" not in catalog.broken:
        yield from _found("unfilled-placeholder", catalog.header.source, _header_texts(catalog))
    for department in catalog.departments.values():
        listed: list[KeyedText] = [(("name",), department.name)]
        listed.append((("short_name",), department.short_name))
        yield from _found("unfilled-placeholder", department.source, listed)
    for material in catalog.materials.values():
        named: list[KeyedText] = [(("name",), material.name), (("issuer",), material.issuer)]
        yield from _found("unfilled-placeholder", material.source, named)


def _code(status: str) -> str:
    return "unfilled-placeholder" if status == "draft" else "placeholder"


def _found(code: str, source: Source, texts: Iterable[KeyedText]) -> Iterator[Diagnostic]:
    for path, text in texts:
        if text in PLACEHOLDERS:
            yield problem(code, source.at(*path), value=text)


def _matter_texts(m: Matter) -> Iterator[KeyedText]:
    yield ("name",), m.name
    yield ("code",), m.code
    yield ("fee",), m.fee
    yield ("location",), m.location
    yield ("phone",), m.phone
    for key, items in (("legal_basis", m.legal_basis), ("conditions", m.conditions)):
        for i, text in enumerate(items):
            yield (key, i), text
    for i, step in enumerate(m.steps):
        yield ("steps", i), step
    for i, entry in enumerate(m.materials):
        yield ("materials", i, "condition"), entry.condition
        yield ("materials", i, "note"), entry.note


def _event_texts(e: Event) -> Iterator[KeyedText]:
    yield ("name",), e.name
    yield ("summary",), e.summary
    for i, entry in enumerate(e.matters):
        yield ("matters", i, "condition"), entry.condition


def _header_texts(catalog: Catalog) -> Iterator[KeyedText]:
    h = catalog.header
    yield ("catalog", "title"), h.title
    yield ("catalog", "region"), h.region
    yield ("catalog", "publisher"), h.publisher
    yield ("catalog", "edition"), h.edition
    yield ("catalog", "hotline"), h.hotline
    yield ("service_center", "name"), h.center_name
    yield ("service_center", "address"), h.center_address
    yield ("service_center", "hours"), h.center_hours
    yield ("service_center", "phone"), h.center_phone
