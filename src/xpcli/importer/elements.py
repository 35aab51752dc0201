"""The national element names (and their common variants), and how a cell becomes a value.

A header is recognised when it is one of these names; a map file (`--map`) adds names of its
own and value tables for the code tables that differ by province. A value that cannot be read
raises `CellError`, which the import locates as `FILE:Sheet!C12`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xpcli.cells import is_formula_like

# element -> header names. The first name is the national one (the ledger writes it).
MATTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("实施编码", "事项编码", "实施清单编码", "事项实施编码"),
    "name": ("事项名称", "实施清单名称", "服务事项名称", "事项名", "task_name"),
    "local_code": ("地方实施编码", "地方编码", "本地实施编码", "本级编码"),
    "type": ("事项类型", "权力类型", "事项类别", "task_type"),
    "department": ("实施主体", "实施部门", "部门", "实施机构", "办理部门", "部门名称", "dept_name"),
    "legal_days": ("法定办结时限", "法定时限", "法定期限", "anticipate_day"),
    "promised_days": ("承诺办结时限", "承诺时限", "承诺期限", "promise_day"),
    "visits": ("到办事现场次数", "到现场次数", "跑动次数", "最多跑动次数", "limit_scene_num"),
    "online": ("办理形式", "网办深度", "网上办理深度", "handle_type"),
    "fee_flag": ("是否收费", "is_fee"),
    "fee": ("收费标准", "收费依据", "收费情况"),
    "legal_basis": ("设定依据", "法律依据", "实施依据"),
    "conditions": ("受理条件", "申请条件", "办理条件"),
    "steps": ("办理流程", "办理环节", "办理程序"),
    "location": ("办理地点", "受理地点", "transact_addr"),
    "phone": ("咨询方式", "咨询电话", "联系电话", "link_way"),
    "url": (
        "计算机端在线办理跳转地址",
        "办理链接",
        "在线办理地址",
        "网上办理地址",
        "在线办理链接",
        "办事指南链接",
        "事项链接",
        "url",
        "task_url",
        "link_url",
    ),
    "status": ("事项状态", "状态"),
    "result": ("办理结果", "办理结果名称", "结果名称", "result_name"),
    "window": ("受理窗口", "办理窗口", "窗口"),
    "special_procedures": ("特别程序",),
    "faq": ("常见问题",),
    "xpcli_id": ("目录ID", "xpcli_id"),
}
MATERIAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "material": ("材料名称", "申请材料", "material_name"),
    "form": ("材料形式", "material_form"),
    "kind": ("材料类型", "material_type"),
    "copies": ("纸质材料份数", "份数", "材料份数"),
    "originals": ("原件份数", "original_amount"),
    "copy_count": ("复印件份数", "copy_amount"),
    "need": ("材料必要性", "是否必要", "必要性", "is_need"),
    "issuer": ("来源渠道", "来源渠道说明", "出具单位", "source_explain"),
    "note": ("填报须知", "备注", "材料说明"),
    "condition": ("适用情形", "情形"),
    "commitment": ("告知承诺", "是否告知承诺", "可告知承诺"),
}
WINDOW_COLUMNS: dict[str, tuple[str, ...]] = {
    "window": ("窗口名称", "window_name"),
    "address": ("窗口地址", "transact_addr"),
    "hours": ("办理时间", "办公时间", "transact_time"),
    "phone": ("窗口电话", "window_tel"),
}
DEPARTMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "department": ("部门名称", "实施主体"),
    "short_name": ("简称", "部门简称"),
    "phone": ("咨询电话", "电话", "联系电话"),
}
SPECIAL_COLUMNS = {"name": ("special_name",), "days": ("special_date",)}
QA_COLUMNS = {"question": ("question",), "answer": ("answer",)}
# National elements xpcli does not keep: recognised, so not reported as unknown columns.
NOT_KEPT = (
    "基本编码",
    "实施主体编码",
    "法定办结时限单位",
    "承诺办结时限单位",
    "办结时限单位",
    "时限单位",
    "单位",
    "办理时间",
    "监督投诉方式",
    "移动端办理地址",
    "序号",
    "事项数",  # the ledger's 部门 sheet
    "受理事项数",  # the ledger's 窗口 sheet
    "dept_code",
    "task_code_basic",
    "_matter",
)
# JSON keys whose names differ from the sheets'.
JSON_MATTER = {"task_code": "code"}

ONLINE_VALUES = {
    "全程网办": "全程网办",
    "网上办理": "网上预审",  # applied for online; 全程网办 only when said so
    "网办": "网上预审",
    "不见面审批": "全程网办",
    "网上预审": "网上预审",
    "预审": "网上预审",
    "线下办理": "线下办理",
    "窗口办理": "线下办理",
    "线下": "线下办理",
    "现场办理": "线下办理",
}
ONLINE_DEPTH = ("线下办理", "网上预审", "全程网办")
TYPE_VALUES = {
    **{
        t: t
        for t in (
            "行政许可",
            "行政确认",
            "行政给付",
            "行政裁决",
            "行政奖励",
            "行政征收",
            "其他行政权力",
            "公共服务",
        )
    },
    "公共服务事项": "公共服务",
    "其他权力": "其他行政权力",
    "其他": "其他行政权力",
}
STATUS_VALUES = {
    "在用": "active",
    "有效": "active",
    "正常": "active",
    "启用": "active",
    "草稿": "draft",
    "待启用": "draft",
    "已取消": "retired",
    "取消": "retired",
    "停用": "retired",
    "废止": "retired",
    "已废止": "retired",
}
FORM_VALUES = {
    "原件": "原件",
    "纸质原件": "原件",
    "复印件": "复印件",
    "纸质复印件": "复印件",
    "原件及复印件": "原件及复印件",
    "原件和复印件": "原件及复印件",
    "原件、复印件": "原件及复印件",
    "电子件": "电子件",
    "电子": "电子件",
    "电子版": "电子件",
}
KIND_VALUES = {
    "证照": "证照",
    "证件证书证明": "证照",
    "证件": "证照",
    "证明": "证明",
    "表格": "表格",
    "申请表格文书": "表格",
    "申请表": "表格",
    "文书": "文书",
    "其他": "其他",
}
YES = frozenset(("是", "有", "Y", "y", "1", "true", "True", "TRUE", "√"))
NO = frozenset(("否", "无", "N", "n", "0", "false", "False", "FALSE", "不收费"))
LIST_SPLIT = re.compile(r"\s*(?:\r?\n|；|;)\s*")
STEP_SPLIT = re.compile(r"\s*(?:→|->|—>|＞|>|\r?\n|、|；|;)\s*")
STEP_NUMBER = re.compile(r"^(?:第?[0-9一二三四五六七八九十]+[.、．）)步]?\s*)")
DAYS = re.compile(r"^\s*([0-9]+)")
PHONE = re.compile(r"(?:0\d{2,3}-?)?\d{7,8}|1[3-9]\d{9}|12345")
SPECIAL = re.compile(r"^(.+?)[（(]\s*([0-9]+)\s*[^）)]*[）)]$")
QA = re.compile(r"问[:：]\s*(.+?)\s*答[:：]\s*(.+?)(?=\s*问[:：]|\Z)", re.S)


class CellError(ValueError):
    """A cell that cannot be read: `key` is a TEXT key, `params` its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Header names -> elements, per kind of table, with a map file's additions."""

    matter: dict[str, str]
    material: dict[str, str]
    window: dict[str, str]
    department: dict[str, str]
    values: dict[str, dict[str, str]]  # element -> {cell text: value}, from the map

    @property
    def known(self) -> frozenset[str]:
        return frozenset((*self.matter, *self.material, *self.window, *self.department))


def vocabulary(
    extra: dict[str, str] | None = None, values: dict[str, dict[str, str]] | None = None
) -> Vocabulary:
    """The built-in names, plus a map's `columns` (header -> element or national name)."""

    def names(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
        return {name: element for element, all_names in columns.items() for name in all_names}

    matter, material = names(MATTER_COLUMNS), names(MATERIAL_COLUMNS)
    window, department = names(WINDOW_COLUMNS), names(DEPARTMENT_COLUMNS)
    for header, target in (extra or {}).items():
        for table in (matter, material, window, department):
            if target in table.values() or target in table:
                table[header] = table.get(target, target)
    return Vocabulary(matter, material, window, department, values or {})


def clean(text: str) -> str:
    """A cell's text; the apostrophe that keeps a formula-like text from running is dropped
    (the ledger writes it, see xpcli.cells)."""
    text = text.strip()
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def days(text: str) -> int:
    if text in ("即办", "即时办结", "当场办结", "立即办结"):
        return 0
    found = DAYS.match(text)
    if found is None or int(found.group(1)) > 3650:
        raise CellError("import-not-days", value=text)
    return int(found.group(1))


def count(text: str, limit: int = 99) -> int:
    found = DAYS.match(text)
    if found is None or int(found.group(1)) > limit:
        raise CellError("import-not-count", value=text, limit=limit)
    return int(found.group(1))


def choice(text: str, table: dict[str, str], own: dict[str, str] | None = None) -> str:
    """A value from a code table: the map's own table first, then the built-in one."""
    for source in (own or {}, table):
        if text in source:
            return source[text]
    raise CellError("import-not-in-table", value=text, allowed=" | ".join(dict.fromkeys(table)))


def online(text: str, own: dict[str, str] | None = None) -> str:
    """办理形式: several forms may be listed (窗口办理、网上办理); the deepest counts."""
    parts = [p for p in re.split(r"[,，、/；;\s]+", text) if p]
    found = {choice(p, ONLINE_VALUES, own) for p in parts} if parts else set()
    if not found:
        raise CellError("import-not-in-table", value=text, allowed=" | ".join(ONLINE_VALUES))
    return max(found, key=ONLINE_DEPTH.index)


def yes_no(text: str) -> bool:
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("import-not-yes-no", value=text)


def lines(text: str, limit: int) -> list[str]:
    """One item per line; a one-line cell is split at ；(the ledger writes one per line)."""
    parts = re.split(r"\r?\n", text) if "\n" in text else LIST_SPLIT.split(text)
    items = [item.strip() for item in parts if item.strip()]
    if any(len(item) > limit for item in items):
        raise CellError("import-too-long", value=text[:40], limit=limit)
    return items


def steps(text: str) -> list[str] | None:
    """办理流程 as steps (申请→受理→审核→办结); None when the text is a description rather than
    a list of short steps: the matter then stays a draft until someone writes them."""
    items = [STEP_NUMBER.sub("", s).strip() for s in STEP_SPLIT.split(text)]
    items = [s for s in items if s]
    if not items or len(items) > 50 or any(len(s) > 50 for s in items):
        return None
    return items


def phone(text: str) -> str | None:
    """The first phone number in 咨询方式 (which often also holds an address)."""
    if len(text) <= 40 and not re.search(r"[\u4e00-\u9fff]", text):
        return text
    found = PHONE.search(text)
    return found.group(0) if found else None


def special_procedures(text: str) -> list[dict[str, object]]:
    """特别程序: `专家评审（10个工作日）；公示（5日）`, or names alone."""
    result: list[dict[str, object]] = []
    for item in lines(text, 220):
        found = SPECIAL.match(item)
        if found:
            result.append({"name": found.group(1).strip(), "days": int(found.group(2))})
        elif len(item) <= 200:
            result.append({"name": item})
        else:
            raise CellError("import-too-long", value=item[:40], limit=200)
    return result


def faq(text: str) -> list[dict[str, str]]:
    """常见问题 as `问：…答：…` pairs."""
    pairs = [{"question": q.strip(), "answer": a.strip()} for q, a in QA.findall(text)]
    if not pairs:
        raise CellError("import-not-faq", value=text[:40])
    return pairs


def faq_text(items: list[tuple[str, str]]) -> str:
    """The ledger's cell for faq: what `faq` reads back."""
    return "\n".join(f"问：{q}\n答：{a}" for q, a in items)


def special_text(items: list[tuple[str, int | None]]) -> str:
    return "；".join(name if d is None else f"{name}（{d}个工作日）" for name, d in items)
