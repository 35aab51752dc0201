"""The 基础清单台账: the catalog as the spreadsheet a service centre keeps and sends upward.

Sheets 事项清单 (one row per matter, national element names as headers, 实施编码 first),
材料清单, 一件事清单 (each event's figures from `simplify`), 部门 and 窗口. The cells are written
so that `xpcli import` reads them back to the same catalog: lists one item per line, steps
joined by →, 特别程序 as 名称（N个工作日）, 常见问题 as 问：… 答：….

Written with XlsxWriter (a streaming writer: rows go out as they are made) and read back in the
tests with openpyxl. Every text cell goes through `xpcli.cells.text_cell`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from xpcli.cells import text_cell
from xpcli.importer.elements import faq_text, special_text
from xpcli.model import Catalog, Matter
from xpcli.simplify import simplify

STATUS_WORDS = {"active": "在用", "draft": "草稿", "retired": "已取消"}
NEED_WORDS = {(True, False): "必要", (False, False): "非必要", (True, True): "容缺后补"}
FIXED_DATE = datetime(1980, 1, 1)  # document properties: the same catalog gives the same bytes
MAX_WIDTH = 60  # characters; longer text wraps in its cell


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


MATTER_HEADERS = (
    "实施编码",
    "事项名称",
    "地方实施编码",
    "事项类型",
    "实施主体",
    "法定办结时限",
    "承诺办结时限",
    "到办事现场次数",
    "办理形式",
    "是否收费",
    "收费标准",
    "设定依据",
    "受理条件",
    "办理流程",
    "办理地点",
    "咨询方式",
    "受理窗口",
    "计算机端在线办理跳转地址",
    "特别程序",
    "常见问题",
    "办理结果",
    "事项状态",
    "目录ID",
)
MATERIAL_HEADERS = (
    "实施编码",
    "事项名称",
    "实施主体",
    "材料名称",
    "材料形式",
    "材料类型",
    "纸质材料份数",
    "材料必要性",
    "适用情形",
    "告知承诺",
    "来源渠道",
    "填报须知",
)
FIGURE_NAMES = (("materials", "申请材料"), ("steps", "办理环节"), ("days", "办理时限"))
EVENT_HEADERS = (
    "一件事名称",
    "目录ID",
    "牵头部门",
    "包含事项数",
    "涉及部门数",
    *(f"{label}（{side}）" for _, label in FIGURE_NAMES for side in ("精简前", "精简后", "减少%")),
    "跑动次数（精简前）",
    "跑动次数（精简后）",
    "跑动次数（减少%）",
    "事项状态",
)
DEPARTMENT_HEADERS = ("部门名称", "简称", "咨询电话", "事项数")
WINDOW_HEADERS = ("窗口名称", "窗口地址", "办理时间", "窗口电话", "受理事项数")


def ledger_sheets(catalog: Catalog) -> list[Sheet]:
    matters = sorted(catalog.matters.values(), key=lambda m: (m.department, m.code or "", m.id))
    return [
        Sheet("事项清单", MATTER_HEADERS, [_matter_row(catalog, m) for m in matters]),
        Sheet(
            "材料清单", MATERIAL_HEADERS, [r for m in matters for r in _material_rows(catalog, m)]
        ),
        Sheet("一件事清单", EVENT_HEADERS, _event_rows(catalog)),
        Sheet("部门", DEPARTMENT_HEADERS, _department_rows(catalog)),
        Sheet("窗口", WINDOW_HEADERS, _window_rows(catalog)),
    ]


def _lines(items: tuple[str, ...]) -> str:
    return "\n".join(items)


def _matter_row(catalog: Catalog, m: Matter) -> tuple[Any, ...]:
    department = catalog.departments.get(m.department)
    window = catalog.window_of(m.window)
    charged = m.fee != "不收费"
    return (
        m.code or "",
        m.name,
        m.local_code or "",
        m.type or "",
        department.name if department else m.department,
        m.legal_days,
        m.promised_days,
        m.visits,
        m.online or "",
        "是" if charged else "否",
        m.fee if charged else "",
        _lines(m.legal_basis),
        _lines(m.conditions),
        "→".join(m.steps),
        m.location or "",
        m.phone or "",
        window.name if window else "",
        m.url or "",
        special_text([(p.name, p.days) for p in m.special_procedures]),
        faq_text([(q.question, q.answer) for q in m.faq]),
        m.result or "",
        STATUS_WORDS[m.status],
        m.id,
    )


def _material_rows(catalog: Catalog, m: Matter) -> list[tuple[Any, ...]]:
    department = catalog.departments.get(m.department)
    rows = []
    for e in m.materials:
        material = catalog.materials.get(e.material)
        rows.append(
            (
                m.code or "",
                m.name,
                department.name if department else m.department,
                material.name if material else e.material,
                e.form,
                material.kind if material else "",
                e.copies,
                NEED_WORDS[(e.required, e.tolerance and e.required)],
                e.condition or "",
                "是" if e.commitment else "否",
                (material.issuer or "") if material else "",
                e.note or "",
            )
        )
    return rows


def _event_rows(catalog: Catalog) -> list[tuple[Any, ...]]:
    rows = []
    printed = catalog.events_in_print_order()
    shown = {e.id for e in printed}
    rest = sorted((e for e in catalog.events.values() if e.id not in shown), key=lambda e: e.id)
    for event in printed + rest:
        result = simplify(catalog, event.id)
        lead = catalog.departments.get(event.lead_department)
        figures: list[int] = []
        for key in ("materials", "steps", "days", "visits"):
            before, after = getattr(result.before, key), getattr(result.after, key)
            figures += [before, after, getattr(result.reduction, key)]
        rows.append(
            (
                event.name,
                event.id,
                lead.name if lead else event.lead_department,
                len(event.matters),
                result.departments,
                *figures,
                STATUS_WORDS[event.status],
            )
        )
    return rows


def _department_rows(catalog: Catalog) -> list[tuple[Any, ...]]:
    counts: dict[str, int] = {}
    for m in catalog.matters.values():
        counts[m.department] = counts.get(m.department, 0) + 1
    return [
        (d.name, d.short_name or "", d.phone or "", counts.get(d.id, 0))
        for d in catalog.departments.values()
    ]


def _window_rows(catalog: Catalog) -> list[tuple[Any, ...]]:
    counts: dict[str, int] = {}
    for m in catalog.matters.values():
        if m.window:
            counts[m.window] = counts.get(m.window, 0) + 1
    return [
        (w.name, w.address or "", w.hours or "", w.phone or "", counts.get(w.id, 0))
        for w in catalog.windows.values()
    ]


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """The xlsx: a bold header row, frozen, with filters; columns as wide as their usual text."""
    import xlsxwriter

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"created": FIXED_DATE, "title": "基础清单台账"})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    plain = workbook.add_format({"valign": "top"})
    for sheet in sheets:
        ws = workbook.add_worksheet(sheet.name)
        widths = _widths(sheet)
        for col, header in enumerate(sheet.headers):
            ws.write_string(0, col, header, head)
            ws.set_column(col, col, widths[col], wrap if widths[col] >= MAX_WIDTH else plain)
        for r, row in enumerate(sheet.rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    ws.write_number(r, col, value)
                else:
                    ws.write_string(r, col, text_cell(str(value)))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.headers) - 1)
    workbook.close()
    return buffer.getvalue()


def _widths(sheet: Sheet) -> list[float]:
    """Each column as wide as its header or its 90th-percentile line (CJK counts double)."""
    widths = []
    for col, header in enumerate(sheet.headers):
        sizes = sorted(
            max((_display(line) for line in str(row[col]).split("\n")), default=0)
            for row in sheet.rows
            if row[col] not in (None, "")
        )
        usual = sizes[int(len(sizes) * 0.9)] if sizes else 0
        widths.append(float(min(max(_display(header), usual) + 2, MAX_WIDTH)))
    return widths


def _display(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)
