"""Templates for a new county's catalog (`xpcli init`) and for new records (`xpcli new`).

Pure apart from writing the files it is asked to write; never prints.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from xpcli import placeholders, slug
from xpcli.errors import XpcliError
from xpcli.loader import discover

CATALOG_YAML = """\
# The catalog's metadata, online URL templates, service centre and trees.
# Contract: docs of xpcli, "The catalog format". Edit the values; keep the keys.
catalog:
  id: {county}                          # slug: a-z, 0-9 and -
  title: 示例县“一件事一次办”便民服务手册   # the handbook's title
  region: 示例省示例市示例县
  region_code: "610000"                 # 6-digit administrative division code, quoted
  publisher: 示例县政务服务中心
  edition: 2024年1月版                   # printed on the cover and in exports
  hotline: "12345"
online:
  # Printed into QR codes: once handbooks are printed, never change these templates.
  matter_url: https://zwfw.example.cn/{county}/matters/{{id}}
  event_url: https://zwfw.example.cn/{county}/events/{{id}}
service_center:
  name: 示例县政务服务中心
  address: {address}
  hours: 周一至周五 9:00—17:00（法定节假日除外）
  phone: "{phone}"
trees:                                  # exactly two trees, in print order
  - id: person
    title: 个人全生命周期“一件事”
    events: [newborn]
  - id: enterprise
    title: 企业全生命周期“一件事”
    events: []
"""

DEPARTMENTS_YAML = """\
# Implementing departments (实施主体). Matters name them by id.
departments:
  - id: health
    name: 示例县卫生健康局
    short_name: 卫健局
  - id: public-security
    name: 示例县公安局
    short_name: 公安局
"""

MATERIALS_YAML = """\
# The shared dictionary of application materials (申请材料).
# kind: 证照 | 证明 | 表格 | 文书 | 其他; e_license: true = obtainable by 电子证照共享.
materials:
  - id: resident-id-card
    name: 居民身份证
    kind: 证照
    issuer: 公安机关
  - id: birth-certification-form
    name: 出生医学证明申领表
    kind: 表格
  - id: birth-medical-certificate
    name: 出生医学证明
    kind: 证明
    issuer: 助产机构
  - id: household-register
    name: 户口簿
    kind: 证照
    e_license: true
  - id: newborn-household-page
    name: 户口簿新生儿页
    kind: 证照
"""

EXAMPLE_MATTERS = {
    "birth-medical-certificate": """\
# An example matter (事项); replace it with your county's own.
id: birth-medical-certificate
name: 出生医学证明首次签发
type: 公共服务
department: health
materials:
  - {material: resident-id-card, form: 原件}
  - {material: birth-certification-form, form: 原件}
outputs: [birth-medical-certificate]
steps: [申请, 受理, 审核, 办结]
legal_days: 5
promised_days: 1
visits: 1
online: 网上预审
""",
    "newborn-household-registration": """\
# An example matter (事项); replace it with your county's own.
id: newborn-household-registration
name: 出生登记
type: 行政确认
department: public-security
materials:
  - {material: birth-medical-certificate, form: 原件}
  - {material: resident-id-card, form: 原件}
  - {material: household-register, form: 原件}
outputs: [newborn-household-page]
steps: [申请, 受理, 审核, 办结]
legal_days: 20
promised_days: 5
visits: 1
online: 网上预审
""",
}

EXAMPLE_EVENT = """\
# An example event (一件事); replace it with your county's own.
id: newborn
name: 新生儿出生“一件事”
tree: person
summary: 新生儿出生后，父母一次申请即可办理出生医学证明和户口登记。
lead_department: health
matters:
  - matter: birth-medical-certificate
  - matter: newborn-household-registration
    after: [birth-medical-certificate]
promised_days: 3
"""

MATTER_TEMPLATE = """\
# A matter (事项). The id is printed into QR codes: never rename it without listing the old
# id in former_ids. Optional keys are commented out; uncomment the ones you need.
id: {id}
name: {matter_name}                   # TODO
# code: "{code}"   # national implementation code (实施编码)
type: 行政确认                   # 行政许可 | 行政确认 | 行政给付 | 行政裁决 | 行政奖励
                                 # | 行政征收 | 其他行政权力 | 公共服务
department: {department}
# legal_basis:                   # 设定依据
#   - {legal_basis}
# conditions:                    # 受理条件
#   - {ellipsis}
materials:                       # required, may be empty: [] ; ids from materials.yaml
  # - material: resident-id-card
  #   form: 原件                   # 原件 | 复印件 | 原件及复印件 | 电子件
  #   copies: 1
  #   required: true              # false = 按需提供
  #   tolerance: false            # true = 容缺受理
  #   condition: {condition}              # needed only in this situation (情形)
  #   note: {ellipsis}
  []
# outputs: []                    # materials this matter issues (办理结果)
steps: [申请, 受理, 审核, 办结]
# legal_days: 20                 # 法定办结时限, working days
promised_days: 5                 # 承诺办结时限, working days (0 = 即办件)
visits: 1                        # 到办事现场次数
online: 网上预审                  # 全程网办 | 网上预审 | 线下办理
# fee: 不收费
# location: 政务服务中心一楼综合窗口
# phone: "{phone}"
# former_ids: []                 # ids this matter had before
status: draft                    # active | draft | retired
"""

EVENT_TEMPLATE = """\
# An event (一件事). List it in its tree in catalog.yaml, in print order. The id is printed
# into QR codes: never rename it without listing the old id in former_ids.
id: {id}
name: {event_name}                 # TODO
tree: person                     # person or enterprise (a tree id of catalog.yaml)
summary: {ellipsis}                      # one sentence for citizens
lead_department: {todo}            # 牵头部门: a department id
matters:                         # at least two; matter ids
  - matter: {todo}
  - matter: {todo}
    # after: [...]               # matters of this event that must finish first
    # condition: {condition}             # a situational matter (情形)
# combined_form: ...             # a material of kind 表格 replacing every form (一表申请)
# promised_days: 5               # the event's own commitment
# visits: 1                      # the event's own visits figure
# former_ids: []
status: draft                    # active | draft | retired
"""


# The templates' comments in Chinese, by their English text: a clerk gets the files in the
# language of `--lang`. A line whose Chinese is "" is dropped (its sentence ends earlier).
COMMENTS_ZH = {
    "The catalog's metadata, online URL templates, service centre and trees.": (
        "目录信息、网上办理地址模板、政务服务中心和两棵树。"
    ),
    'Contract: docs of xpcli, "The catalog format". Edit the values; keep the keys.': (
        "格式见 xpcli 文档《目录格式》（catalog-format.zh.md）。只改值，不改键名。"
    ),
    "slug: a-z, 0-9 and -": "id：只用 a-z、0-9 和 -",
    "the handbook's title": "手册标题",
    "6-digit administrative division code, quoted": "6 位行政区划代码，加引号",
    "printed on the cover and in exports": "印在封面并写入导出数据",
    "Printed into QR codes: once handbooks are printed, never change these templates.": (
        "二维码中印有这些地址：手册印制后不要再改。"
    ),
    "exactly two trees, in print order": "正好两棵树，按印制顺序",
    "Implementing departments (实施主体). Matters name them by id.": (
        "实施主体（部门）。事项用 id 引用部门。"
    ),
    "The shared dictionary of application materials (申请材料).": "申请材料字典，各事项共用。",
    "kind: 证照 | 证明 | 表格 | 文书 | 其他; e_license: true = obtainable by 电子证照共享.": (
        "kind：证照 | 证明 | 表格 | 文书 | 其他；e_license: true 表示可通过电子证照共享获取。"
    ),
    "An example matter (事项); replace it with your county's own.": "示例事项，请换成本县的事项。",
    "An example event (一件事); replace it with your county's own.": (
        "示例“一件事”，请换成本县的一件事。"
    ),
    "A matter (事项). The id is printed into QR codes: never rename it without listing the old": (
        "事项。id 印在二维码中：改名时须把旧 id 写进 former_ids。"
    ),
    "id in former_ids. Optional keys are commented out; uncomment the ones you need.": (
        "可选的键已注释掉，需要时去掉行首的 #。"
    ),
    "national implementation code (实施编码)": "实施编码",
    "required, may be empty: [] ; ids from materials.yaml": (
        "必填，可为空 []；材料 id 见 materials.yaml"
    ),
    "needed only in this situation (情形)": "仅在此情形下需要",
    "materials this matter issues (办理结果)": "办理结果（本事项出具的材料）",
    "法定办结时限, working days": "法定办结时限，工作日",
    "承诺办结时限, working days (0 = 即办件)": "承诺办结时限，工作日（0 = 即办件）",
    "ids this matter had before": "本事项以前用过的 id",
    "An event (一件事). List it in its tree in catalog.yaml, in print order. The id is printed": (
        "一件事。请在 catalog.yaml 的树中按印制顺序列出它。"
    ),
    "into QR codes: never rename it without listing the old id in former_ids.": (
        "id 印在二维码中：改名时须把旧 id 写进 former_ids。"
    ),
    "person or enterprise (a tree id of catalog.yaml)": (
        "person 或 enterprise（catalog.yaml 中树的 id）"
    ),
    "one sentence for citizens": "一句话向群众说明",
    "牵头部门: a department id": "牵头部门：部门 id",
    "at least two; matter ids": "至少两个；事项 id",
    "matters of this event that must finish first": "本件事中须先办结的事项",
    "a situational matter (情形)": "特定情形下才办的事项",
    "a material of kind 表格 replacing every form (一表申请)": (
        "一表申请：取代各事项申请表的联办表格"
    ),
    "the event's own commitment": "本件事的承诺时限",
    "the event's own visits figure": "本件事的跑动次数",
}


def in_language(text: str, lang: str) -> str:
    """A template with its comments in `lang` (written in English, translated by COMMENTS_ZH)."""
    if lang != "zh":
        return text
    for english, chinese in COMMENTS_ZH.items():
        text = text.replace(f"# {english}", f"# {chinese}" if chinese else "#")
    return "".join(line for line in text.splitlines(keepends=True) if line.strip() != "#")


def _check_slug(record_id: str) -> None:
    if not slug.is_slug(record_id):
        raise XpcliError("scaffold-bad-slug", id=record_id)


def catalog_files(county: str, lang: str) -> dict[str, str]:
    """The files of a new catalog, by path inside the catalog folder."""
    files = {
        "catalog.yaml": CATALOG_YAML.format(county=county, **placeholders.FIELDS),
        "departments.yaml": DEPARTMENTS_YAML,
        "materials.yaml": MATERIALS_YAML,
        "events/newborn.yaml": EXAMPLE_EVENT,
        **{f"matters/{k}.yaml": v for k, v in EXAMPLE_MATTERS.items()},
    }
    return {rel: in_language(text, lang) for rel, text in files.items()}


def init_folder(target: Path, files: dict[str, str]) -> list[Path]:
    """Write `files` into `target` (missing or empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise XpcliError("scaffold-not-empty", path=target)
    written = []
    try:
        for rel, text in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise XpcliError("cannot-write", path=target, reason=exc.strerror or exc) from exc
    return written


def _check_real_folder(folder: Path) -> None:
    """Missing or a real folder: a file there is not "the id exists", and a symlink would
    send the new file out of the catalog."""
    if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
        raise XpcliError("scaffold-not-a-folder", path=folder)


def county_id(target: Path, county: str | None) -> str:
    """The catalog's id: the one given, else the folder's name as a slug."""
    county = county or _slug_of(target.resolve().name)
    _check_slug(county)
    return county


def _slug_of(name: str) -> str:
    county = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[: slug.MAX_LENGTH].strip("-")
    return county if slug.is_slug(county) else "county"


def new_record(
    catalog: Path, kind: str, record_id: str, department: str | None = None, lang: str = "en"
) -> Path:
    """Write a commented template for a new matter or event; never overwrite."""
    _check_slug(record_id)
    if not catalog.is_dir():
        raise XpcliError("no-catalog", path=catalog)
    name = "matters" if kind == "matter" else "events"
    folder = catalog / name
    _check_real_folder(folder)
    found, _ = discover(catalog, name)  # never follows a symlink (`matters -> /`)
    existing = [path for path, _ in found if path.name == f"{record_id}.yaml"]
    if existing:
        raise XpcliError("scaffold-exists", path=existing[0])
    if kind == "matter":
        if department is not None:
            _check_slug(department)
            _check_real_folder(folder / department)
        path = folder / (department or "") / f"{record_id}.yaml"
        text = MATTER_TEMPLATE.format(
            id=record_id, department=department or placeholders.TODO, **placeholders.FIELDS
        )
    else:
        path = folder / f"{record_id}.yaml"
        text = EVENT_TEMPLATE.format(id=record_id, **placeholders.FIELDS)
    text = in_language(text, lang)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(text)
    except FileExistsError as exc:
        raise XpcliError("scaffold-exists", path=path) from exc
    except OSError as exc:
        raise XpcliError("cannot-write", path=path, reason=exc.strerror or exc) from exc
    return path
