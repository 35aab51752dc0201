"""Chinese `description`s for the JSON Schemas (input and export), so that an editor shows a
clerk what a key means on hover. One table, applied to every schema when it is printed
(`xpcli schema KIND`) or exported (`schema/*.json`); validation does not read descriptions."""

from __future__ import annotations

import copy
from typing import Any

from xpcli.messages import FIELD_LABELS

# What a key means, when its label alone does not say it.
DESCRIPTIONS = {
    "id": "id：a-z、0-9 和 -，最多 64 个字符；印在二维码网址中，改名须在 former_ids 中保留旧 id",
    "name": "名称（印在手册上）",
    "former_ids": "曾用 id：改名前的 id，旧二维码由此跳转到新网址",
    "status": "状态：active（在办）、draft（草稿，不印制、不导出）、retired（已停办，导出时注明）",
    "promised_days": "承诺办结时限，工作日；0 为即办件",
    "legal_days": "法定办结时限，工作日",
    "visits": "到办事现场次数",
    "online": "网办深度：全程网办、网上预审或线下办理",
    "required": "是否必需提交；false 为按需提供",
    "tolerance": "容缺受理：缺少此材料也可先受理",
    "commitment": "告知承诺：可用书面承诺代替此材料",
    "condition": "情形：仅在此情形下需要（如“委托他人代办的”）",
    "after": "前置事项：本件事中须先办结的事项 id",
    "combined_form": "一表申请：取代各事项申请表的联办申请表（材料 id，类型为表格）",
    "e_license": "可通过电子证照共享获取，群众无需提交",
    "outputs": "办理结果：本事项出具的材料 id（一件事中由此免于提交）",
    "matter_url": "事项网址模板，{id} 处替换为事项 id；印在二维码中，手册印制后不要再改",
    "event_url": "一件事网址模板，{id} 处替换为一件事 id；印在二维码中，手册印制后不要再改",
    "region_code": "6 位行政区划代码",
    "edition": "版次，印在封面并写入导出数据",
    "department": "实施主体：部门 id",
    "lead_department": "牵头部门：部门 id",
    "tree": "所属树：person（个人）或 enterprise（企业）",
    "steps": "办理流程：各环节名称，按顺序",
    "materials": "申请材料",
    "matters": "事项",
    "url": "网址：与手册二维码中的网址相同",
    "simplification": "精简前后指标（计算方法见 docs/simplification.md）",
    "names": "本记录中以 id 提及的材料和部门的名称",
    "before": "分别办理时的指标",
    "after_figures": "一件事一次办后的指标",
    "reduction": "减少比例（%，四舍五入）",
}


def described(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` with a Chinese description on every property the tables know."""
    result = copy.deepcopy(schema)
    _describe(result)
    return result


def _describe(node: Any) -> None:
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            text = DESCRIPTIONS.get(key) or FIELD_LABELS["zh"].get(key)
            if text and isinstance(sub, dict) and "description" not in sub:
                sub["description"] = text
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)
