"""The catalog's JSON Schemas (package data) and their errors as located diagnostics.

The schemas use only what draft-07 and 2020-12 share, so editors (yaml-language-server) and
xpcli read them alike. A valid document is accepted by jsonschema-rs in microseconds; only an
invalid one is handed to python-jsonschema, whose error objects become the diagnostics.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import jsonschema_rs

from xpcli import slug
from xpcli.diagnostics import Diagnostic, Hint, did_you_mean, problem
from xpcli.placeholders import PLACEHOLDERS
from xpcli.yamlparse import KeyPath, PositionMap, locate

FILE_KINDS = ("catalog", "departments", "materials", "windows", "matter", "event")
SLUG_PATTERN = slug.PATTERN


@cache
def schema_text(kind: str) -> str:
    return resources.files("xpcli.schemas").joinpath(f"{kind}.json").read_text("utf-8")


@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads(schema_text(kind))


@cache
def _fast(kind: str) -> Any:
    return jsonschema_rs.validator_for(schema(kind))


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """A schema pattern as ECMAScript reads it: `$` is the end of the text. Python's `$` also
    matches before a final newline, so `id: "evil\\n"` passed python-jsonschema's check while
    jsonschema-rs and editors rejected it (and the export wrote `matters/evil<LF>.json`)."""
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


@cache
def _full(kind: str) -> Any:
    return _Validator(schema(kind))


def check(
    kind: str, data: Any, file: str, positions: PositionMap, skip: set[KeyPath]
) -> list[Diagnostic]:
    """Schema diagnostics for one document; paths in `skip` already have their own."""
    if _fast(kind).is_valid(data):
        return []
    found: dict[tuple[object, ...], Diagnostic] = {}
    for err in _full(kind).iter_errors(data):
        path = tuple(err.absolute_path)
        if any(path[: i + 1] in skip for i in range(len(path))):
            continue
        for d in _diagnostics(err, path, file, positions):
            # `required` yields one error per missing key, each naming them all.
            found.setdefault((d.code, d.location, *sorted(d.params.items())), d)
    return list(found.values())


def field_name(path: KeyPath) -> str:
    """`materials[2].form`: how a maintainer names a place in a file."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


_SCHEMA_TYPES = {"string": "text", "array": "list", "object": "mapping"}


def _type_name(value: Any) -> str:
    return {
        dict: "mapping",
        list: "list",
        str: "text",
        bool: "boolean",
        int: "integer",
        float: "number",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def _diagnostics(
    err: jsonschema.ValidationError, path: KeyPath, file: str, positions: PositionMap
) -> list[Diagnostic]:
    keyword = err.validator
    spec: Any = err.validator_value
    value: Any = err.instance
    schema: Any = err.schema
    name = field_name(path)
    if keyword == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        extras = [key for key in value if key not in known]
        return [
            problem(
                "unknown-key",
                locate(positions, (*path, key), file, key=True),
                hint=did_you_mean(key, known),
                key=key,
                field=name,
            )
            for key in extras
        ]
    if keyword == "required":
        missing = [key for key in spec if key not in value]
        return [
            problem("missing-key", locate(positions, path, file), key=key, field=name)
            for key in missing
        ]
    location = locate(positions, path, file)
    if keyword == "type":
        expected = spec if isinstance(spec, str) else "/".join(spec)
        hint: Hint | None = None
        if expected == "string" and isinstance(value, int | float | bool):
            hint = ("quote_it", {"text": _yaml_text(value)})
        elif expected == "boolean" and isinstance(value, str):
            hint = ("use_boolean", {})
        return [
            problem(
                "wrong-type",
                location,
                hint=hint,
                field=name,
                expected=_SCHEMA_TYPES.get(expected, expected),
                got=_type_name(value),
            )
        ]
    if keyword == "enum":
        allowed = [str(item) for item in spec]
        return [
            problem(
                "bad-enum",
                location,
                hint=did_you_mean(str(value), allowed),
                field=name,
                value=str(value),
                allowed=" | ".join(allowed),
            )
        ]
    if keyword == "pattern" and spec == SLUG_PATTERN:
        if value in PLACEHOLDERS:  # `lead_department: TODO` from `xpcli new event`
            return [problem("placeholder", location, value=value)]
        if slug.is_reserved(value):
            return [problem("reserved-id", location, field=name, value=value)]
        return [problem("bad-slug", location, field=name, value=str(value))]
    if keyword == "maxLength" and schema.get("pattern") == SLUG_PATTERN:
        return [problem("bad-slug", location, field=name, value=str(value))]
    return [
        problem("bad-value", location, field=name, value=_short(value), rule=f"{keyword}: {spec}")
    ]


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
