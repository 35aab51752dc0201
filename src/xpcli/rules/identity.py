"""Former ids keep printed QR codes working: they must not clash."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from xpcli.diagnostics import Diagnostic, problem
from xpcli.model import Catalog, Event, Matter
from xpcli.rules import rule


@rule
def former_ids(catalog: Catalog) -> Iterator[Diagnostic]:
    """A former id is not a current id of the same kind, and only one record claims it."""
    yield from _former_ids("matter", catalog.matters)
    yield from _former_ids("event", catalog.events)


def _former_ids(kind: str, records: Mapping[str, Matter | Event]) -> Iterator[Diagnostic]:
    claimed: dict[str, str] = {}
    for record in records.values():
        for i, former in enumerate(record.former_ids):
            # Located only when reported: a file read by the other process is parsed again for
            # its positions (see LazyPositions).
            if former in records:
                where = record.source.at("former_ids", i)
                yield problem("former-id-is-current", where, kind=kind, id=former)
            elif former in claimed and claimed[former] != record.id:
                where = record.source.at("former_ids", i)
                yield problem(
                    "former-id-claimed-twice", where, kind=kind, id=former, other=claimed[former]
                )
            else:
                claimed[former] = record.id
