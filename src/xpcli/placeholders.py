"""The values `xpcli init` and `xpcli new` write for a person to replace: one list, used by the
templates (`scaffold.py`) and by the rule that finds them left in place (`rules/placeholders.py`).

Left in an active (or retired) record they are errors: the handbook and the export would print
"事项名称" or a telephone number of zeros. In a draft, and in catalog.yaml, departments.yaml and
materials.yaml (which have no status), they are warnings, so `validate --strict` names them.
"""

from __future__ import annotations

TODO = "TODO"
MATTER_NAME = "事项名称"
EVENT_NAME = "……“一件事”"
ELLIPSIS = "……"
CONDITION = "……的"
LEGAL_BASIS = "《……》第……条"
CODE = "0" * 32
PHONE = "0000-00000000"
ADDRESS = "待填写：政务服务中心地址"

# The template fields of scaffold.py's texts, by name.
FIELDS = {
    "todo": TODO,
    "matter_name": MATTER_NAME,
    "event_name": EVENT_NAME,
    "ellipsis": ELLIPSIS,
    "condition": CONDITION,
    "legal_basis": LEGAL_BASIS,
    "code": CODE,
    "phone": PHONE,
    "address": ADDRESS,
}
PLACEHOLDERS = frozenset(FIELDS.values())
