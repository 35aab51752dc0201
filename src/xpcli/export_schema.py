"""JSON Schemas (Draft 2020-12) of the export format, one per kind of exported file."""

from __future__ import annotations

from typing import Any

from xpcli import slug

BASE = "https://xpcli.example.cn/export/1/"
SLUG = {"type": "string", "pattern": slug.PATTERN, "maxLength": slug.MAX_LENGTH}
TEXT = {"type": "string"}
OPT_TEXT = {"type": ["string", "null"]}
URL = {"type": "string", "pattern": "^https://"}
COUNT = {"type": "integer", "minimum": 0}
FORM = {"enum": ["原件", "复印件", "原件及复印件", "电子件"]}
FIGURES_OBJECT = {
    "type": "object",
    "required": ["materials", "steps", "days", "visits"],
    "additionalProperties": False,
    "properties": {k: {"type": "integer"} for k in ("materials", "steps", "days", "visits")},
}
NAMED = {
    "type": "object",
    "required": ["id", "name"],
    "additionalProperties": False,
    "properties": {"id": SLUG, "name": TEXT},
}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required if required is not None else list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


def _list(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


WINDOW = _object(
    {"id": SLUG, "name": TEXT, "address": OPT_TEXT, "hours": OPT_TEXT, "phone": OPT_TEXT}
)
OPT_WINDOW = {"oneOf": [{"type": "null"}, WINDOW]}
OPT_COUNT = {"type": ["integer", "null"], "minimum": 0}
# A retired record's published successor, or null.
SUCCESSOR = {
    "oneOf": [
        {"type": "null"},
        {
            "type": "object",
            "required": ["id", "name", "url"],
            "additionalProperties": False,
            "properties": {"id": SLUG, "name": TEXT, "url": URL},
        },
    ]
}
MATTER_TYPE = {
    "enum": [
        "行政许可",
        "行政确认",
        "行政给付",
        "行政裁决",
        "行政奖励",
        "行政征收",
        "其他行政权力",
        "公共服务",
        None,  # a draft may not have its type yet
    ]
}

SIMPLIFICATION = _object(
    {
        "event": SLUG,
        "before": FIGURES_OBJECT,
        "after": FIGURES_OBJECT,
        "reduction": FIGURES_OBJECT,
        "departments": COUNT,
        "critical_path_days": COUNT,
        "rounds": _list(_list(SLUG)),
        "materials": _list(
            _object(
                {
                    "material": SLUG,
                    "form": FORM,
                    "copies": COUNT,
                    "tolerance": {"type": "boolean"},
                    "matters": _list(SLUG),
                }
            )
        ),
        "set_aside": _list(
            _object(
                {
                    "material": SLUG,
                    "reason": {"enum": ["内部生成", "一表申请", "电子证照共享", "告知承诺"]},
                }
            )
        ),
        "optional": _list(_object({"material": SLUG, "form": FORM, "matters": _list(SLUG)})),
        "situations": _list(
            _object(
                {
                    "condition": TEXT,
                    "materials": _list(_object({"material": SLUG, "form": FORM})),
                    "matters": _list(SLUG),
                }
            )
        ),
    }
)

MATTER = _object(
    {
        "id": SLUG,
        "name": TEXT,
        "code": OPT_TEXT,
        "local_code": OPT_TEXT,
        "type": MATTER_TYPE,
        "department": NAMED,
        "legal_basis": _list(TEXT),
        "conditions": _list(TEXT),
        "materials": _list(
            _object(
                {
                    "material": SLUG,
                    "name": TEXT,
                    "kind": {"enum": ["证照", "证明", "表格", "文书", "其他"]},
                    "form": FORM,
                    "copies": {"type": "integer", "minimum": 1},
                    "required": {"type": "boolean"},
                    "tolerance": {"type": "boolean"},
                    "commitment": {"type": "boolean"},
                    "condition": OPT_TEXT,
                    "note": OPT_TEXT,
                }
            )
        ),
        "outputs": _list(_object({"material": SLUG, "name": TEXT})),
        "steps": _list(TEXT),
        "legal_days": {"type": ["integer", "null"], "minimum": 0},
        "promised_days": OPT_COUNT,  # null only on a draft
        "visits": OPT_COUNT,
        "online": {"enum": ["全程网办", "网上预审", "线下办理", None]},
        "fee": TEXT,
        "location": OPT_TEXT,
        "phone": OPT_TEXT,
        "window": OPT_WINDOW,
        "special_procedures": _list(_object({"name": TEXT, "days": OPT_COUNT})),
        "faq": _list(_object({"question": TEXT, "answer": TEXT})),
        "result": OPT_TEXT,
        "status": {"enum": ["active", "retired"]},  # drafts are never exported
        "replaced_by": SUCCESSOR,
        "former_ids": _list(SLUG),
        "url": URL,
    }
)

EVENT = _object(
    {
        "id": SLUG,
        "name": TEXT,
        "tree": SLUG,
        "summary": TEXT,
        "lead_department": NAMED,
        "matters": _list(
            _object(
                {
                    "matter": SLUG,
                    "name": TEXT,
                    "department": SLUG,
                    "after": _list(SLUG),
                    "condition": OPT_TEXT,
                    "url": URL,
                }
            )
        ),
        "combined_form": {"oneOf": [{"type": "null"}, _object({"material": SLUG, "name": TEXT})]},
        "promised_days": {"type": ["integer", "null"], "minimum": 0},
        "visits": {"type": ["integer", "null"], "minimum": 0},
        "window": OPT_WINDOW,
        "status": {"enum": ["active", "retired"]},  # drafts are never exported
        "replaced_by": SUCCESSOR,
        "former_ids": _list(SLUG),
        "url": URL,
        "simplification": SIMPLIFICATION,
        "names": _object(
            {
                "materials": {"type": "object", "additionalProperties": TEXT},
                "departments": {"type": "object", "additionalProperties": TEXT},
            }
        ),
    }
)

TREE_EVENT = _object(
    {
        "id": SLUG,
        "name": TEXT,
        "status": {"enum": ["active", "retired"]},
        "url": URL,
        "before": FIGURES_OBJECT,
        "after": FIGURES_OBJECT,
        "reduction": FIGURES_OBJECT,
    }
)
TREES = _list(_object({"id": SLUG, "title": TEXT, "events": _list(TREE_EVENT)}))
DEPARTMENTS = _list(_object({"id": SLUG, "name": TEXT, "short_name": OPT_TEXT, "phone": OPT_TEXT}))
MATERIALS = _list(
    _object(
        {
            "id": SLUG,
            "name": TEXT,
            "kind": {"enum": ["证照", "证明", "表格", "文书", "其他"]},
            "issuer": OPT_TEXT,
            "e_license": {"type": "boolean"},
        }
    )
)
META = _object(
    {
        "id": SLUG,
        "title": TEXT,
        "region": TEXT,
        "region_code": {"type": "string", "pattern": "^[0-9]{6}$"},
        "publisher": TEXT,
        "edition": TEXT,
        "hotline": OPT_TEXT,
    }
)
CATALOG = _object(
    {
        "format": {"const": "xpcli-export/1"},
        "catalog": META,
        "online": _object({"matter_url": URL, "event_url": URL}),
        "service_center": _object(
            {"name": TEXT, "address": TEXT, "hours": TEXT, "phone": OPT_TEXT}
        ),
        "trees": TREES,
        "events": _list(EVENT),
        "matters": _list(MATTER),
        "materials": MATERIALS,
        "departments": DEPARTMENTS,
        "windows": _list(WINDOW),
    }
)
REDIRECT_MAP = {"type": "object", "propertyNames": SLUG, "additionalProperties": URL}
REDIRECTS = _object({"matters": REDIRECT_MAP, "events": REDIRECT_MAP})
MANIFEST = _object(
    {
        "format": {"const": "xpcli-export/1"},
        "catalog": SLUG,
        "edition": TEXT,
        "counts": _object(
            {
                k: COUNT
                for k in ("events", "matters", "materials", "departments", "trees", "redirects")
            }
        ),
        "files": {
            "type": "object",
            "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        },
    }
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "catalog": CATALOG,
    "event": EVENT,
    "matter": MATTER,
    "trees": TREES,
    "departments": DEPARTMENTS,
    "materials": MATERIALS,
    "redirects": REDIRECTS,
    "manifest": MANIFEST,
}


def export_schema(kind: str) -> dict[str, Any]:
    from xpcli.schema_docs import described

    return described(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{BASE}{kind}.json",
            "title": f"xpcli export: {kind}",
            **SCHEMAS[kind],
        }
    )
