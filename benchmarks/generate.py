"""Synthetic catalogs for the benchmarks: N matters, N//7 events, deterministic from a seed.

The catalog follows the catalog format (docs/catalog-format.md) and passes
`xpcli validate --strict`: every reference resolves, every material is used, `after` points
only to earlier matters of the same event, 全程网办 has no visit and 线下办理 at least one,
`promised_days <= legal_days`, and an event's own figures are omitted or strictly better than
the sums over its matters. Matters are about 40 lines with Chinese texts of realistic length.

    python benchmarks/generate.py OUT N [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

# Bump when the output changes, so that run.py regenerates cached catalogs.
GENERATOR_VERSION = 2

# ---------------------------------------------------------------------------------------------
# Vocabulary (Chinese text, English slugs). Nothing here starts with a YAML indicator or holds
# ": " or " #", so every text can be written as a plain scalar; `_scalar` checks that anyway.

DEPARTMENT_NAMES = [
    ("administrative-approval", "行政审批服务局", "行政审批局"),
    ("public-security", "公安局", "公安局"),
    ("health", "卫生健康局", "卫健局"),
    ("medical-insurance", "医疗保障局", "医保局"),
    ("human-resources", "人力资源和社会保障局", "人社局"),
    ("civil-affairs", "民政局", "民政局"),
    ("education", "教育局", "教育局"),
    ("market-regulation", "市场监督管理局", "市场监管局"),
    ("taxation", "税务局", "税务局"),
    ("housing-fund", "住房公积金管理中心", "公积金中心"),
    ("housing-construction", "住房和城乡建设局", "住建局"),
    ("natural-resources", "自然资源局", "自然资源局"),
    ("ecology-environment", "生态环境分局", "生态环境分局"),
    ("transport", "交通运输局", "交通局"),
    ("water-resources", "水利局", "水利局"),
    ("agriculture", "农业农村局", "农业农村局"),
    ("commerce", "商务局", "商务局"),
    ("culture-tourism", "文化和旅游局", "文旅局"),
    ("emergency-management", "应急管理局", "应急局"),
    ("fire-rescue", "消防救援大队", "消防大队"),
    ("veterans-affairs", "退役军人事务局", "退役军人局"),
    ("disabled-federation", "残疾人联合会", "残联"),
    ("justice", "司法局", "司法局"),
    ("finance", "财政局", "财政局"),
    ("statistics", "统计局", "统计局"),
    ("forestry", "林业局", "林业局"),
    ("urban-management", "城市管理执法局", "城管局"),
    ("audit", "审计局", "审计局"),
    ("ethnic-religious", "民族宗教事务局", "民宗局"),
    ("development-reform", "发展和改革局", "发改局"),
    ("industry-information", "工业和信息化局", "工信局"),
    ("science-technology", "科学技术局", "科技局"),
    ("archives", "档案馆", "档案馆"),
    ("meteorology", "气象局", "气象局"),
    ("power-supply", "供电分公司", "供电公司"),
    ("water-supply", "自来水公司", "水务公司"),
    ("gas-supply", "燃气公司", "燃气公司"),
    ("post-office", "邮政分公司", "邮政公司"),
    ("banks", "人民银行兴平支行", "人行支行"),
    ("customs", "海关驻兴平办事处", "海关办事处"),
    ("trade-union", "总工会", "总工会"),
    ("womens-federation", "妇女联合会", "妇联"),
]

# (slug, Chinese) subject areas of a matter.
SUBJECTS = [
    ("food-business", "食品经营"),
    ("food-production", "食品生产"),
    ("public-place-hygiene", "公共场所卫生"),
    ("drug-retail", "药品零售"),
    ("medical-device", "医疗器械经营"),
    ("catering", "餐饮服务"),
    ("household", "户口"),
    ("residence-permit", "居住证"),
    ("passport", "普通护照"),
    ("vehicle", "机动车"),
    ("driving-license", "机动车驾驶证"),
    ("seal", "公章刻制"),
    ("social-insurance", "社会保险"),
    ("pension", "基本养老保险"),
    ("unemployment", "失业保险"),
    ("work-injury", "工伤保险"),
    ("maternity", "生育保险"),
    ("medical-insurance", "基本医疗保险"),
    ("housing-fund", "住房公积金"),
    ("minimum-living", "最低生活保障"),
    ("temporary-assistance", "临时救助"),
    ("disability", "残疾人证"),
    ("marriage", "婚姻登记"),
    ("adoption", "收养登记"),
    ("funeral", "殡葬服务"),
    ("school", "义务教育入学"),
    ("kindergarten", "幼儿园入园"),
    ("student-aid", "学生资助"),
    ("teacher", "教师资格"),
    ("business", "企业设立"),
    ("branch", "分支机构"),
    ("tax", "税务"),
    ("invoice", "发票"),
    ("construction", "建筑工程施工"),
    ("planning", "建设工程规划"),
    ("land", "国有建设用地使用权"),
    ("real-estate", "不动产"),
    ("drainage", "城镇污水排入排水管网"),
    ("fire", "消防"),
    ("gathering", "公众聚集场所"),
    ("environment", "建设项目环境影响评价"),
    ("pollution", "排污"),
    ("water-intake", "取水"),
    ("road", "道路运输经营"),
    ("taxi", "网络预约出租汽车"),
    ("fishing", "渔业捕捞"),
    ("seed", "农作物种子生产经营"),
    ("pesticide", "农药经营"),
    ("veterinary", "动物防疫条件"),
    ("tourism", "旅行社业务经营"),
    ("entertainment", "娱乐场所经营"),
    ("internet-cafe", "网吧经营"),
    ("publication", "出版物零售"),
    ("hazardous", "危险化学品经营"),
    ("fireworks", "烟花爆竹零售"),
    ("veteran", "退役军人"),
    ("legal-aid", "法律援助"),
    ("notary", "公证"),
    ("electricity", "低压用电报装"),
    ("water", "供水报装"),
    ("gas", "燃气报装"),
    ("bank-account", "单位银行结算账户"),
    ("customs-broker", "报关单位"),
    ("archive", "档案查询"),
    ("forest", "林木采伐"),
    ("outdoor-ad", "户外广告设施设置"),
    ("tree-felling", "城市树木迁移"),
    ("employment", "就业登记"),
    ("startup", "创业担保贷款"),
    ("training", "职业技能培训补贴"),
]

# (slug, Chinese, matter type) actions.
ACTIONS = [
    ("license", "许可", "行政许可"),
    ("license-change", "许可变更", "行政许可"),
    ("license-renewal", "许可延续", "行政许可"),
    ("license-cancel", "许可注销", "行政许可"),
    ("registration", "登记", "行政确认"),
    ("change-registration", "变更登记", "行政确认"),
    ("deregistration", "注销登记", "行政确认"),
    ("filing", "备案", "其他行政权力"),
    ("recognition", "资格认定", "行政确认"),
    ("subsidy", "补贴申领", "行政给付"),
    ("benefit", "待遇核定", "行政给付"),
    ("transfer", "关系转移接续", "公共服务"),
    ("inquiry", "信息查询", "公共服务"),
    ("certificate", "证明开具", "公共服务"),
    ("reissue", "证件补领", "公共服务"),
    ("award", "表彰奖励", "行政奖励"),
    ("fee-collection", "费用征收", "行政征收"),
    ("dispute", "争议裁决", "行政裁决"),
    ("inspection", "检查验收", "其他行政权力"),
    ("application", "申请受理", "公共服务"),
]

SCOPES = [
    "",
    "",
    "",
    "（首次申请）",
    "（个人）",
    "（单位）",
    "（跨区域）",
    "（特殊情形）",
    "（网上申请）",
    "（延期办理）",
]

LAWS = [
    "行政许可",
    "食品安全",
    "社会保险",
    "户口登记",
    "居民身份证",
    "道路交通安全",
    "消防",
    "环境保护",
    "城乡规划",
    "建筑",
    "税收征收管理",
    "义务教育",
    "教师",
    "就业促进",
    "残疾人保障",
    "老年人权益保障",
    "未成年人保护",
    "民法典",
    "土地管理",
    "水",
    "森林",
    "安全生产",
    "药品管理",
    "基本医疗卫生与健康促进",
    "母婴保健",
    "退役军人保障",
]
REGULATIONS = ["管理办法", "实施条例", "管理规定", "实施细则", "办理规程", "服务规范"]
ISSUERS = [
    "国务院",
    "国家市场监督管理总局",
    "人力资源和社会保障部",
    "公安部",
    "民政部",
    "住房和城乡建设部",
    "教育部",
    "财政部",
    "国家税务总局",
    "陕西省人民政府",
    "陕西省人力资源和社会保障厅",
    "咸阳市人民政府",
]
CN_DIGITS = "零一二三四五六七八九"

APPLICANTS = [
    "申请人",
    "申请单位",
    "用人单位",
    "参保人员",
    "户籍人员",
    "经营者",
    "法定代表人",
    "监护人",
    "建设单位",
    "权利人",
]
CONDITION_HEADS = [
    "具有完全民事行为能力",
    "在本市行政区域内依法设立并取得营业执照",
    "已按规定连续缴纳社会保险费满十二个月",
    "具有本市常住户口或者持有有效居住证",
    "有与申请事项相适应的经营场所、设施设备和专业技术人员",
    "近三年内无严重违法失信记录",
    "符合国家和省市相关产业政策及规划要求",
    "已完成前置审批或者取得相关部门出具的书面意见",
    "申请材料齐全、符合法定形式",
    "属于本部门管辖范围",
]
CONDITION_TAILS = [
    "，且申请事项符合法律法规规定的条件和标准",
    "，并能够提供真实、有效的证明材料",
    "，未被列入经营异常名录或者严重违法失信名单",
    "，相关费用已按规定结清",
    "，且在规定期限内提出申请",
    "，并承诺对所提交材料的真实性负责",
    "",
]

MATERIAL_THINGS = [
    ("id-card", "居民身份证", "证照", "公安机关"),
    ("household-book", "居民户口簿", "证照", "公安机关"),
    ("business-license", "营业执照", "证照", "市场监督管理部门"),
    ("marriage-certificate", "结婚证", "证照", "民政部门"),
    ("social-security-card", "社会保障卡", "证照", "人力资源和社会保障部门"),
    ("property-certificate", "不动产权证书", "证照", "自然资源部门"),
    ("birth-certificate", "出生医学证明", "证明", "助产机构"),
    ("death-certificate", "居民死亡医学证明（推断）书", "证明", "医疗卫生机构"),
    ("disability-card", "中华人民共和国残疾人证", "证照", "残疾人联合会"),
    ("degree-certificate", "毕业证书", "证照", "教育部门"),
    ("veteran-certificate", "退役证明", "证明", "退役军人事务部门"),
    ("driving-licence", "机动车驾驶证", "证照", "公安机关交通管理部门"),
]
PROOF_SUBJECTS = [
    "场所使用",
    "房屋租赁",
    "收入状况",
    "家庭经济状况",
    "无犯罪记录",
    "健康状况",
    "劳动合同",
    "工作经历",
    "专业技术资格",
    "安全评估",
    "验收合格",
    "缴费",
    "银行开户",
    "法定代表人任职",
    "股东会决议",
    "章程",
    "设备清单",
    "平面布局",
    "管理制度",
    "应急预案",
    "检测报告",
    "委托",
    "亲属关系",
    "居住",
]
PROOF_KINDS = [
    ("证明", "证明"),
    ("材料", "其他"),
    ("文件", "文书"),
    ("报告", "文书"),
    ("书", "文书"),
    ("协议", "文书"),
    ("清单", "其他"),
]
FORM_TITLES = ["申请表", "登记表", "申请书", "备案表", "审批表", "信息采集表"]
FORMS = ["原件", "原件", "原件", "复印件", "复印件", "原件及复印件", "电子件"]
NOTES = [
    "加盖单位公章",
    "须在有效期内",
    "复印件须注明“与原件一致”并签字",
    "由申请人本人签字确认",
    "外地户籍人员提供",
    "核验原件后退还",
    "A4纸打印",
    "一式两份",
    "法定代表人签字并加盖公章",
    "提交扫描件即可",
]
MATERIAL_CONDITIONS = [
    "委托他人代办的",
    "申请人为未成年人的",
    "非本市户籍的",
    "变更法定代表人的",
    "涉及前置审批事项的",
    "申请人为外籍人员的",
    "已婚的",
    "材料遗失的",
]
EVENT_CONDITIONS = [
    "自愿申领社会保障卡的",
    "需要办理住房公积金提取的",
    "涉及特种行业经营的",
    "申请人符合困难救助条件的",
    "需要同步办理税务登记的",
    "属于退役军人的",
    "需要异地转移接续的",
    "申请人为残疾人的",
]
STEP_SETS = [
    ["申请", "受理", "审核", "办结"],
    ["申请", "受理", "审查", "决定", "送达"],
    ["申请", "受理", "现场核查", "审核", "发证"],
    ["网上申请", "受理", "审核", "办结"],
    ["申请", "受理", "办结"],
    ["申请", "受理", "初审", "复审", "公示", "决定", "送达"],
]
FEES = [
    "不收费",
    "不收费",
    "不收费",
    "按照国家规定标准收费",
    "工本费每证20元",
    "按照《陕西省行政事业性收费项目目录》规定标准收取",
]
FLOORS = ["一楼", "二楼", "三楼"]
WINDOWS = ["综合受理窗口", "专项业务窗口", "企业开办专区", "社会事务窗口", "不动产登记专区"]
LIFE_STAGES = [
    "新生儿出生",
    "入园入学",
    "就业创业",
    "婚育",
    "参保就医",
    "扶残助困",
    "军人退役",
    "退休养老",
    "身后",
    "住房保障",
    "户籍迁移",
    "老年优待",
    "人才落户",
    "困难救助",
]
BUSINESS_STAGES = [
    "企业开办",
    "企业经营许可",
    "工程建设",
    "员工招聘",
    "企业变更",
    "涉税办理",
    "政策兑现",
    "企业注销",
    "水电气报装",
    "融资信贷",
]

ONLINE = ["全程网办", "网上预审", "网上预审", "线下办理"]


# ---------------------------------------------------------------------------------------------
# Writing YAML by hand keeps the layout of a hand-edited file (flow lists for steps, comments)
# and lets us quote exactly what the contract asks to quote.

_PLAIN_UNSAFE = re.compile(r"(: |\s#|^[-?:,\[\]{}#&*!|>'\"%@`\s]|\s$|^[0-9.+~]|:$)")


def _scalar(text: str) -> str:
    """A text as a plain scalar when that is safe, else double-quoted."""
    if _PLAIN_UNSAFE.search(text) or text in ("true", "false", "null", "~", ""):
        return json.dumps(text, ensure_ascii=False)
    return text


def _quoted(text: str) -> str:
    """Phone numbers and codes are always quoted (the contract asks for it)."""
    return json.dumps(text, ensure_ascii=False)


def _cn_number(k: int) -> str:
    """1..99 in Chinese numerals (第三十五条)."""
    if k < 10:
        return CN_DIGITS[k]
    tens, ones = divmod(k, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def _phone(rng: random.Random) -> str:
    return f"029-3{rng.randrange(8800000, 8899999)}"


# ---------------------------------------------------------------------------------------------


def generate(root: Path, n: int, seed: int = 7) -> None:
    """Write a catalog of `n` matters and `n // 7` events into `root` (replaced if it exists)."""
    if n < 14:
        raise ValueError("n must be at least 14 (two events of seven matters)")
    rng = random.Random(seed)
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    (root / "matters").mkdir(parents=True)
    (root / "events").mkdir()

    departments = DEPARTMENT_NAMES[:40]
    n_events = n // 7
    materials = _materials(rng, max(60, n // 10))
    forms = [m for m in materials if m["kind"] == "表格"]
    licences = [m for m in materials if m["kind"] == "证照"]
    others = [m for m in materials if m["kind"] not in ("表格",)]

    # Matters. Matter i asks for form i and ordinary material i (modulo their counts), so every
    # material of the dictionary is used once n is at least the number of materials.
    matters = [_matter(rng, i, departments, forms, others, licences) for i in range(n)]
    used = {e["material"] for m in matters for e in m["materials"]}
    used.update(o for m in matters for o in m["outputs"])
    unused = [m["id"] for m in forms + others if m["id"] not in used]  # only when n is tiny
    for j, material_id in enumerate(unused):
        matter = matters[j % n]
        taken = {e["material"] for e in matter["materials"]} | set(matter["outputs"])
        if material_id not in taken:
            matter["materials"].append({"material": material_id, "form": "原件"})

    # Events: shuffled matters cut into groups of seven; the remainder joins the first events.
    order = list(range(n))
    rng.shuffle(order)
    groups = [order[k * 7 : (k + 1) * 7] for k in range(n_events)]
    for k, index in enumerate(order[n_events * 7 :]):
        groups[k % n_events].append(index)
    joint_forms = []
    events = []
    for k, group in enumerate(groups):
        tree = "enterprise" if k % 3 == 1 else "person"
        event, joint = _event(rng, k, tree, [matters[i] for i in group])
        events.append(event)
        joint_forms.append(joint)

    _write_header(root, events)
    _write_departments(root, rng, departments)
    _write_materials(root, materials + joint_forms)
    for matter in matters:
        folder = root / "matters" / matter["department"]
        folder.mkdir(exist_ok=True)
        (folder / f"{matter['id']}.yaml").write_text(_matter_yaml(matter), "utf-8")
    for event in events:
        (root / "events" / f"{event['id']}.yaml").write_text(_event_yaml(event), "utf-8")


def _materials(rng: random.Random, count: int) -> list[dict]:
    """`count` shared materials: common licences, proofs and documents, about 1/6 forms."""
    out = [
        {"id": slug, "name": name, "kind": kind, "issuer": issuer, "e_license": True}
        for slug, name, kind, issuer in MATERIAL_THINGS
    ]
    k = 0
    while len(out) < count:
        subject_slug, subject = SUBJECTS[k % len(SUBJECTS)]
        proof = PROOF_SUBJECTS[(k // len(SUBJECTS)) % len(PROOF_SUBJECTS)]
        if k % 6 == 0:
            out.append(
                {
                    "id": f"{subject_slug}-form-{k}",
                    "name": f"{subject}{FORM_TITLES[(k // 6) % len(FORM_TITLES)]}",
                    "kind": "表格",
                }
            )
        else:
            tail, kind = PROOF_KINDS[k % len(PROOF_KINDS)]
            item: dict = {
                "id": f"{subject_slug}-proof-{k}",
                "name": f"{subject}{proof}{tail}",
                "kind": kind,
            }
            if rng.random() < 0.5:
                item["issuer"] = rng.choice(ISSUERS)
            if rng.random() < 0.15:
                item["e_license"] = True
            out.append(item)
        k += 1
    return out


def _matter(
    rng: random.Random, i: int, departments: list, forms: list, others: list, licences: list
) -> dict:
    subject_slug, subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
    action_slug, action, kind = ACTIONS[rng.randrange(len(ACTIONS))]
    scope = rng.choice(SCOPES)
    name = f"{subject}{action}{scope}"
    department = departments[rng.randrange(len(departments))][0]
    matter_id = f"{subject_slug}-{action_slug}-{i:05d}"

    # One application form, the round-robin material, then 1-5 more: 3-7 entries in all.
    entries: list[dict] = [{"material": forms[i % len(forms)]["id"], "form": "原件"}]
    picked = {entries[0]["material"]}
    candidates = [others[i % len(others)]] + [rng.choice(others) for _ in range(rng.randint(2, 5))]
    for candidate in candidates:
        material = candidate["id"]
        if material in picked:
            continue
        picked.add(material)
        entry: dict = {"material": material, "form": rng.choice(FORMS)}
        roll = rng.random()
        if roll < 0.15:
            entry["copies"] = rng.randint(2, 3)
        if 0.15 <= roll < 0.25:
            entry["required"] = False
        if 0.25 <= roll < 0.32:
            entry["tolerance"] = True
        if 0.32 <= roll < 0.45:
            entry["condition"] = rng.choice(MATERIAL_CONDITIONS)
        if rng.random() < 0.6:
            entry["note"] = rng.choice(NOTES)
        entries.append(entry)
    spare = [m["id"] for m in licences if m["id"] not in picked]
    outputs = [rng.choice(spare)] if spare and rng.random() < 0.35 else []

    online = rng.choice(ONLINE)
    visits = 0 if online == "全程网办" else (1 if online == "网上预审" else rng.randint(1, 2))
    legal_days = rng.choice([None, 5, 10, 15, 20, 30, 60])
    ceiling = legal_days if legal_days is not None else 20
    promised_days = rng.randint(0, ceiling)
    legal_basis = [_law(rng) for _ in range(rng.randint(2, 3))]
    conditions = [
        rng.choice(CONDITION_HEADS) + rng.choice(CONDITION_TAILS) for _ in range(rng.randint(2, 4))
    ]
    dept_name = next(d[1] for d in departments if d[0] == department)
    return {
        "id": matter_id,
        "serial": i + 1,
        "name": name,
        "code": f"1161048100{rng.randrange(10**7):07d}X{rng.randrange(10**12):012d}",
        "type": kind,
        "department": department,
        "legal_basis": legal_basis,
        "conditions": list(dict.fromkeys(conditions)),
        "materials": entries,
        "outputs": outputs,
        "steps": rng.choice(STEP_SETS),
        "legal_days": legal_days,
        "promised_days": promised_days,
        "visits": visits,
        "online": online,
        "fee": rng.choice(FEES),
        "location": f"兴平市政务服务中心{rng.choice(FLOORS)}{dept_name}{rng.choice(WINDOWS)}",
        "phone": _phone(rng),
        "former_ids": [f"{matter_id}-old"] if rng.random() < 0.05 else [],
    }


def _law(rng: random.Random) -> str:
    article = _cn_number(rng.randint(2, 99))
    if rng.random() < 0.5:
        return f"《中华人民共和国{rng.choice(LAWS)}法》第{article}条"
    issuer = rng.choice(ISSUERS)
    title = f"{rng.choice(LAWS)}{rng.choice(REGULATIONS)}"
    return f"《{title}》（{issuer}令第{rng.randint(1, 120)}号）第{article}条"


def _event(rng: random.Random, k: int, tree: str, members: list[dict]) -> tuple[dict, dict]:
    stages = LIFE_STAGES if tree == "person" else BUSINESS_STAGES
    stage = stages[k % len(stages)]
    event_id = f"{tree}-event-{k:05d}"
    entries = []
    for position, matter in enumerate(members):
        entry: dict = {"matter": matter["id"]}
        earlier = [m["id"] for m in members[:position]]
        if earlier and rng.random() < 0.45:
            entry["after"] = rng.sample(earlier, min(len(earlier), rng.randint(1, 2)))
        if position >= 2 and rng.random() < 0.2:
            entry["condition"] = rng.choice(EVENT_CONDITIONS)
        entries.append(entry)
    base = [m for m, e in zip(members, entries, strict=True) if "condition" not in e]
    # A situational matter's `after` may name a base matter, never the reverse; a base
    # matter that names a situational one is fine too (the validator only needs same-event).
    joint = {
        "id": f"{event_id}-joint-application",
        "name": f"{stage}“一件事”联办申请表（第{k + 1}号）",
        "kind": "表格",
    }
    event: dict = {
        "id": event_id,
        "name": f"{stage}“一件事”（{k + 1}）",
        "tree": tree,
        "summary": f"{stage}时，申请人一次提交材料，即可同步办理"
        + "、".join(m["name"] for m in members[:3])
        + f"等{len(members)}个事项，实现一表申请、一窗受理、并联审批、统一出件。",
        "lead_department": members[0]["department"],
        "matters": entries,
        "combined_form": joint["id"],
    }
    days = sum(m["promised_days"] for m in base)
    visits = sum(m["visits"] for m in base)
    if days > 1 and rng.random() < 0.6:
        event["promised_days"] = rng.randint(max(1, days // 4), days - 1)
    if visits > 1 and rng.random() < 0.6:
        event["visits"] = 1
    return event, joint


def _write_header(root: Path, events: list[dict]) -> None:
    person = [e["id"] for e in events if e["tree"] == "person"]
    enterprise = [e["id"] for e in events if e["tree"] == "enterprise"]
    lines = [
        "# 基准测试用的合成目录（benchmarks/generate.py 生成），内容为示意。",
        "catalog:",
        "  id: synthetic",
        "  title: 兴平市“一件事一次办”便民服务手册（基准测试）",
        "  region: 陕西省咸阳市兴平市",
        '  region_code: "610481"',
        "  publisher: 兴平市政务服务中心",
        "  edition: 2023年5月版",
        '  hotline: "12345"',
        "online:",
        "  matter_url: https://zwfw.example.cn/synthetic/matters/{id}",
        "  event_url: https://zwfw.example.cn/synthetic/events/{id}",
        "service_center:",
        "  name: 兴平市政务服务中心",
        "  address: 陕西省兴平市东城街道办事处金城路市民中心一楼",
        "  hours: 周一至周五 9:00—12:00，13:30—17:30（法定节假日除外）",
        '  phone: "029-38812000"',
        "trees:",
        "  - id: person",
        f"    title: 个人全生命周期“人生{len(person)}件事”",
        "    events:",
        *(f"      - {e}" for e in person),
        "  - id: enterprise",
        f"    title: 企业全生命周期“企业{len(enterprise)}件事”",
        "    events:",
        *(f"      - {e}" for e in enterprise),
    ]
    (root / "catalog.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def _write_departments(root: Path, rng: random.Random, departments: list) -> None:
    lines = ["departments:"]
    for slug, name, short in departments:
        lines += [
            f"  - id: {slug}",
            f"    name: 兴平市{name}",
            f"    short_name: {short}",
            f"    phone: {_quoted(_phone(rng))}",
        ]
    (root / "departments.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def _write_materials(root: Path, materials: list[dict]) -> None:
    lines = ["materials:"]
    for m in materials:
        lines += [f"  - id: {m['id']}", f"    name: {_scalar(m['name'])}", f"    kind: {m['kind']}"]
        if "issuer" in m:
            lines.append(f"    issuer: {_scalar(m['issuer'])}")
        if m.get("e_license"):
            lines.append("    e_license: true")
    (root / "materials.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def _matter_yaml(m: dict) -> str:
    lines = [
        f"# {m['name']}：实施清单第{m['serial']}项，2023年复核。",
        f"id: {m['id']}",
        f"name: {_scalar(m['name'])}",
        f"code: {_quoted(m['code'])}",
        f"type: {m['type']}",
        f"department: {m['department']}",
        "legal_basis:",
        *(f"  - {_scalar(text)}" for text in m["legal_basis"]),
        "conditions:",
        *(f"  - {_scalar(text)}" for text in m["conditions"]),
        "materials:",
    ]
    for entry in m["materials"]:
        lines.append(f"  - material: {entry['material']}")
        lines.append(f"    form: {entry['form']}")
        for key in ("copies", "required", "tolerance"):
            if key in entry:
                value = entry[key]
                text = str(value).lower() if isinstance(value, bool) else str(value)
                lines.append(f"    {key}: {text}")
        for key in ("condition", "note"):
            if key in entry:
                lines.append(f"    {key}: {_scalar(entry[key])}")
    if m["outputs"]:
        lines.append(f"outputs: [{', '.join(m['outputs'])}]")
    lines.append(f"steps: [{', '.join(m['steps'])}]")
    if m["legal_days"] is not None:
        lines.append(f"legal_days: {m['legal_days']}")
    lines += [
        f"promised_days: {m['promised_days']}",
        f"visits: {m['visits']}",
        f"online: {m['online']}",
        f"fee: {_scalar(m['fee'])}",
        f"location: {_scalar(m['location'])}",
        f"phone: {_quoted(m['phone'])}",
    ]
    if m["former_ids"]:
        lines.append(f"former_ids: [{', '.join(m['former_ids'])}]")
    return "\n".join(lines) + "\n"


def _event_yaml(e: dict) -> str:
    lines = [
        f"id: {e['id']}",
        f"name: {_scalar(e['name'])}",
        f"tree: {e['tree']}",
        f"summary: {_scalar(e['summary'])}",
        f"lead_department: {e['lead_department']}",
        "matters:",
    ]
    for entry in e["matters"]:
        lines.append(f"  - matter: {entry['matter']}")
        if "after" in entry:
            lines.append(f"    after: [{', '.join(entry['after'])}]")
        if "condition" in entry:
            lines.append(f"    condition: {_scalar(entry['condition'])}")
    lines.append(f"combined_form: {e['combined_form']}")
    for key in ("promised_days", "visits"):
        if key in e:
            lines.append(f"{key}: {e[key]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="catalog folder to write (replaced)")
    parser.add_argument("n", type=int, help="number of matters")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    generate(args.out, args.n, args.seed)
    print(f"wrote {args.out}: {args.n} matters, {args.n // 7} events (seed {args.seed})")


if __name__ == "__main__":
    main()
