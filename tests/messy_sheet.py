"""A messy 实施清单 built in code (nothing big is committed): a title row above the header,
national element names mixed with variants, extra columns, blank rows, the same matter name
under two departments, dashed local codes, national codes with computed check characters,
rows that lack elements (they become drafts), a materials sheet and a windows sheet; and the
same matter sheet as a GBK csv. Also the platforms' AUDIT_* JSON. Used by tests/test_import.py
and benchmarks/import_bench.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import Workbook

from xpcli.codes import credit_check_character

DEPARTMENTS = (
    "兴平市公安局",
    "兴平市卫生健康局",
    "兴平市医疗保障局",
    "兴平市人力资源和社会保障局",
    "兴平市民政局",
    "兴平市市场监督管理局",
    "兴平市行政审批服务局",
    "兴平市住房和城乡建设局",
    "兴平市交通运输局",
    "兴平市自然资源局",
)
TYPES = ("行政许可", "行政确认", "公共服务事项", "行政给付", "其他权力")
ONLINE = ("全程网办", "网上预审", "窗口办理", "窗口办理、网上办理")
HEADER = (
    "序号",
    "实施编码",
    "事项名称",
    "地方编码",  # a variant of 地方实施编码
    "事项类型",
    "部门",  # a variant of 实施主体
    "法定办结时限",
    "法定办结时限单位",
    "承诺时限",  # a variant of 承诺办结时限
    "到办事现场次数",
    "办理形式",
    "是否收费",
    "收费标准",
    "设定依据",
    "受理条件",
    "办理流程",
    "咨询方式",
    "受理窗口",
    "办理链接",  # a variant of 计算机端在线办理跳转地址
    "监督投诉方式",
    "备注（内部）",  # extra columns nobody asked for
    "经办人",
)
MATERIAL_HEADER = (
    "实施编码",
    "事项名称",
    "实施主体",
    "材料名称",
    "材料形式",
    "材料类型",
    "纸质材料份数",
    "材料必要性",
    "来源渠道",
    "填报须知",
)
WINDOW_HEADER = ("窗口名称", "窗口地址", "办理时间", "窗口电话")
WINDOWS = (
    ("综合受理1号窗口", "政务服务中心一楼东区", "周一至周五 9:00—17:00", "029-38812101"),
    ("不动产登记窗口", "政务服务中心二楼", "", "029-38812102"),
)


def national_code(n: int) -> str:
    first17 = f"11610481MB{n:07d}"
    return first17 + credit_check_character(first17) + "3" + f"{n:012d}"


def matter_rows(count: int) -> list[list[object]]:
    """`count` matters (some rows blank in between). Every 50th name repeats under another
    department; every 7th has a dashed local code instead of a national one; every 11th lacks
    its 办理流程 and 办理形式 (a draft)."""
    rows: list[list[object]] = []
    for i in range(count):
        name_number = i - 1 if i % 50 == 1 else i  # the same name, next department
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        dashed = i % 7 == 3
        code = "" if dashed else national_code(i)
        local = f"511A0138{i:06d}-511602000000-000-{i % 9}-00" if dashed else ""
        draft = i % 11 == 5
        legal = 20 + i % 10
        rows.append(
            [
                i + 1,
                code,
                f"事项{name_number:04d}号登记",
                local,
                TYPES[i % len(TYPES)],
                department,
                legal,
                "工作日",
                f"{i % 10}个工作日" if i % 4 else "即办",
                0 if ONLINE[i % 4] == "全程网办" else 1,
                "" if draft else ONLINE[i % 4],
                "否" if i % 5 else "是",
                "" if i % 5 else "按规定收取工本费",
                "《中华人民共和国行政许可法》\n《陕西省政务服务条例》第十条",
                "申请人具有完全民事行为能力；材料齐全",
                "" if draft else "申请→受理→审核→办结",
                f"电话：029-388{i % 100:05d}，地址：人民路1号",
                WINDOWS[i % 2][0] if i % 3 == 0 else "",
                f"https://zwfw.example.gov.cn/guide?item={i}" if i % 2 == 0 else "",
                "12345",
                f"内部备注{i}",
                "张三",
            ]
        )
        if i % 97 == 0:
            rows.append([""] * len(HEADER))  # blank rows are skipped
    return rows


def material_rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for i in range(0, count, 3):
        if i % 7 == 3 or i % 50 == 1:
            continue  # keyed by code below: skip the matters without one
        code = national_code(i)
        for j, (name, form, kind, need) in enumerate(
            (
                ("居民身份证", "原件", "证件证书证明", "必要"),
                ("申请表", "原件", "申请表格文书", "必要"),
                (f"专用证明{i % 13}", "复印件", "证明", "容缺后补"),
            )
        ):
            rows.append([code, "", "", name, form, kind, 1 + j % 2, need, "申请人", ""])
    return rows


def write_xlsx(path: Path, count: int) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "事项清单"
    sheet.append(["兴平市政务服务事项实施清单（2024年版）"])  # a title row above the header
    sheet.append(list(HEADER))
    for row in matter_rows(count):
        sheet.append(row)
    materials = workbook.create_sheet("材料清单")
    materials.append(list(MATERIAL_HEADER))
    for row in material_rows(count):
        materials.append(row)
    windows = workbook.create_sheet("窗口")
    windows.append(list(WINDOW_HEADER))
    for window in WINDOWS:
        windows.append(list(window))
    workbook.create_sheet("说明").append(["本表由业务科室填报"])
    workbook.save(path)
    return path


def write_csv(path: Path, count: int, encoding: str = "gbk") -> Path:
    """The matter sheet as csv (GBK, as Excel saves it on a Chinese Windows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["兴平市政务服务事项实施清单（2024年版）"])
    writer.writerow(HEADER)
    for row in matter_rows(count):
        writer.writerow(row)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def audit_json(path: Path) -> Path:
    """Two matters as the provincial platform returns them."""
    records = [
        {
            "AUDIT_ITEM": {
                "task_name": "食品经营许可（新办）",
                "task_code": national_code(90001),
                "dept_name": "兴平市行政审批服务局",
                "dept_code": "11610481MB0000000X",
                "anticipate_day": "20",
                "promise_day": "7",
                "limit_scene_num": "1",
                "is_fee": "0",
                "handle_type": "网上预审",
                "link_way": "029-38812003",
                "transact_addr": "政务服务中心二楼",
                "url": "https://zwfw.example.gov.cn/guide?item=food",
                "task_type": "行政许可",
            },
            "AUDIT_MATERIAL": [
                {
                    "material_name": "食品经营许可申请书",
                    "material_form": "原件",
                    "is_need": "1",
                    "original_amount": "1",
                    "copy_amount": "0",
                    "source_explain": "申请人自备",
                },
                {
                    "material_name": "营业执照",
                    "material_form": "",
                    "is_need": "1",
                    "original_amount": "1",
                    "copy_amount": "1",
                    "source_explain": "市场监管部门",
                },
            ],
            "AUDIT_ITEM_WINDOW": [
                {
                    "window_name": "食品许可窗口",
                    "transact_addr": "政务服务中心二楼5号",
                    "window_tel": "029-38812555",
                    "transact_time": "周一至周五 9:00—17:00",
                }
            ],
            "AUDIT_ITEM_SPECIAL": [{"special_name": "现场核查", "special_date": "10"}],
            "AUDIT_QA": [{"question": "可以网上办理吗？", "answer": "可以，网上预审后现场领证。"}],
        },
        {
            "AUDIT_ITEM": {
                "task_name": "公共场所卫生许可",
                "task_code": national_code(90002),
                "dept_name": "兴平市卫生健康局",
                "promise_day": "即办",
                "limit_scene_num": "0",
                "is_fee": "否",
                "handle_type": "全程网办",
            },
            "AUDIT_MATERIAL": [],
        },
    ]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
