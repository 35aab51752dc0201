"""Terminal layouts (rich renderables) for `show` and `stats`; the CLI prints them.

The handbook's words for a clerk are Chinese, so these layouts are too.
"""

from __future__ import annotations

import csv
import io

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from xpcli.cells import text_cell
from xpcli.lookup import Listing
from xpcli.messages import figure_heading, figure_name, say
from xpcli.model import Catalog, Event, Matter
from xpcli.simplify import FIGURES, Simplification
from xpcli.stats import Stats


def figures_table(result: Simplification, title: str = "精简前后对比") -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("项目")
    table.add_column("分别办理", justify="right")
    table.add_column("一件事一次办", justify="right")
    table.add_column("减少", justify="right")
    for figure in FIGURES:
        table.add_row(
            figure_heading(figure, "zh"),
            str(getattr(result.before, figure)),
            str(getattr(result.after, figure)),
            f"{getattr(result.reduction, figure)}%",
        )
    return table


def event_view(catalog: Catalog, result: Simplification) -> RenderableType:
    event = catalog.events[result.event]
    name = lambda material_id: escape(catalog.materials[material_id].name)  # noqa: E731
    matter_name = lambda matter_id: escape(catalog.matters[matter_id].name)  # noqa: E731
    lead = catalog.departments[event.lead_department].name
    head = Text.from_markup(
        f"[bold]{escape(event.name)}[/bold]  ({event.id})\n{escape(event.summary)}\n"
        f"牵头部门：{escape(lead)}　涉及部门：{result.departments} 个　"
        f"关键路径：{result.critical_path_days} 个工作日"
    )

    checklist = Table(title="一次性告知材料清单", title_justify="left")
    for column in ("材料", "形式", "份数", "容缺", "所涉事项"):
        checklist.add_column(column, overflow="fold")
    for m in result.materials:
        checklist.add_row(
            name(m.material),
            m.form,
            str(m.copies),
            "可容缺" if m.tolerance else "",
            "、".join(matter_name(x) for x in m.matters) or "（联办申请表）",
        )

    lines = ["[bold]免于提交[/bold]"]
    lines += [f"  {name(s.material)}：{s.reason}" for s in result.set_aside] or ["  无"]
    lines.append("[bold]按需提供[/bold]")
    lines += [
        f"  {name(o.material)}（{o.form}）：{'、'.join(matter_name(x) for x in o.matters)}"
        for o in result.optional
    ] or ["  无"]
    lines.append("[bold]特定情形[/bold]")
    for situation in result.situations:
        parts = [f"{name(m.material)}（{m.form}）" for m in situation.materials]
        parts += [f"加办：{matter_name(x)}" for x in situation.matters]
        lines.append(f"  {escape(situation.condition)}：{'；'.join(parts)}")
    if not result.situations:
        lines.append("  无")

    flow = Table(title="联办流程", title_justify="left")
    flow.add_column("环节")
    flow.add_column("事项", overflow="fold")
    steps = result.step_names
    flow.add_row(steps[0], "填写一张联办申请表")
    flow.add_row(steps[1], "综合窗口一次收件")
    for step, matters in zip(steps[2:-1], result.rounds, strict=True):
        flow.add_row(
            step,
            "、".join(
                f"{matter_name(m)}（{escape(catalog.departments[catalog.matters[m].department].label)}）"
                for m in matters
            ),
        )
    flow.add_row(steps[-1], "综合窗口统一出件")

    return Group(
        Panel(head, expand=False),
        figures_table(result),
        checklist,
        Text.from_markup("\n".join(lines)),
        flow,
    )


def _promised(days: int | None) -> str:
    if days is None:  # a draft
        return "—"
    return f"{days} 个工作日" if days else "即办"


def matter_view(catalog: Catalog, matter: Matter, events: tuple[Event, ...] = ()) -> RenderableType:
    department = catalog.departments[matter.department]
    title = escape(f"{matter.name}（{matter.id}）")
    table = Table(show_header=False, title=title, title_justify="left")
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("实施编码", matter.code or "—"),
        ("事项类型", matter.type or "—"),
        ("实施主体", department.name),
        ("设定依据", "\n".join(matter.legal_basis) or "—"),
        ("受理条件", "\n".join(matter.conditions) or "—"),
        ("办理流程", " → ".join(matter.steps)),
        ("法定时限", f"{matter.legal_days} 个工作日" if matter.legal_days is not None else "—"),
        ("承诺时限", _promised(matter.promised_days)),
        ("到现场次数", f"{matter.visits} 次" if matter.visits is not None else "—"),
        ("网办深度", matter.online or "—"),
        ("收费", matter.fee),
        ("办理地点", matter.location or "政务服务中心综合窗口"),
        ("咨询电话", matter.phone or department.phone or "—"),
        ("在线办理", catalog.matter_url(matter.id)),
        ("所属一件事", "\n".join(f"{e.name}（{e.id}）" for e in events) or "—"),
    ]
    for label, value in rows:
        table.add_row(label, escape(value))
    materials = Table(title="申请材料", title_justify="left")
    for column in ("材料", "形式", "份数", "说明"):
        materials.add_column(column, overflow="fold")
    for entry in matter.materials:
        notes = [
            x
            for x in (
                None if entry.required else "按需提供",
                "可容缺" if entry.tolerance else None,
                entry.condition and f"情形：{entry.condition}",
                entry.note,
            )
            if x
        ]
        materials.add_row(
            escape(catalog.materials[entry.material].name),
            entry.form,
            str(entry.copies),
            escape("；".join(notes)),
        )
    return Group(table, materials)


def stats_view(stats: Stats) -> list[RenderableType]:
    title = f"{stats.region}“一件事一次办”精简情况（{stats.edition}）"
    table = Table(title=escape(title), title_justify="left")
    table.add_column("一件事")
    for figure in FIGURES:
        table.add_column(figure_heading(figure, "zh"), justify="right")
    table.add_column("部门", justify="right")

    def cells(before: dict, after: dict, reduction: dict) -> list[str]:
        return [f"{before[f]} → {after[f]} ({_signed(reduction[f])})" for f in FIGURES]

    for _, name, s in stats.rows:
        j = s.as_json()
        table.add_row(
            escape(name), *cells(j["before"], j["after"], j["reduction"]), str(s.departments)
        )
    totals = stats.totals()
    table.add_section()
    table.add_row(
        "合计", *cells(totals["before"], totals["after"], totals["reduction"]), "", style="bold"
    )
    averages = stats.averages()
    table.add_row(
        "平均", *[f"{averages['before'][f]} → {averages['after'][f]}" for f in FIGURES], ""
    )
    rates = totals["reduction"]
    summary = Text(
        f"材料精简率 {rates['materials']}%，环节压缩率 {rates['steps']}%，"
        f"时限压缩率 {rates['days']}%，跑动减少 "
        f"{totals['before']['visits'] - totals['after']['visits']} 次"
    )
    counts = Table(title="目录概况", title_justify="left", show_header=False)
    counts.add_column(style="bold")
    counts.add_column(overflow="fold")
    counts.add_row(
        "一件事 / 事项 / 材料 / 部门",
        f"{stats.events} / {stats.matters} / {stats.materials} / {stats.departments}",
    )
    for label, pairs in (
        ("按事项类型", stats.matters_by_type),
        ("按网办深度", stats.matters_by_online),
        ("按实施主体", stats.matters_by_department),
    ):
        counts.add_row(label, "，".join(f"{escape(k)} {v}" for k, v in pairs))
    return [table, summary, counts]


def _signed(reduction: int) -> str:
    """A reduction as a change: 79 → "-79%", -20 → "+20%"."""
    return f"-{reduction}%" if reduction > 0 else (f"+{-reduction}%" if reduction else "0%")


STAGES = ("before", "after", "reduction")


def stats_workbook(stats: Stats, lang: str) -> bytes:
    """The report as xlsx: the events sheet (as the csv's first table) and the indicators."""
    from xpcli.ledger import Sheet, workbook_bytes

    sheets = []
    for key, (headers, rows) in (
        ("stats-sheet-events", event_sheet(stats, lang)),
        ("stats-sheet-indicators", indicator_sheet(stats, lang)),
    ):
        sheets.append(Sheet(say(key, lang), tuple(headers), [tuple(row) for row in rows]))
    return workbook_bytes(sheets)


def event_sheet(stats: Stats, lang: str) -> tuple[list[str], list[list[object]]]:
    """The per-event table (headers in `lang`, rows, a total row last)."""
    header = [say("stats-col-event", lang), say("stats-col-name", lang)]
    for stage in STAGES:
        header += [say(f"stats-col-{stage}", lang, figure=figure_name(f, lang)) for f in FIGURES]
    header.append(say("stats-col-departments", lang))
    rows: list[list[object]] = []
    for event_id, name, s in stats.rows:
        j = s.as_json()
        row: list[object] = [event_id, text_cell(name)]
        for stage in STAGES:
            row += [j[stage][f] for f in FIGURES]
        rows.append([*row, s.departments])
    totals = stats.totals()
    row = ["", say("stats-total", lang)]
    for stage in STAGES:
        row += [totals[stage][f] for f in FIGURES]
    rows.append([*row, ""])
    return header, rows


def stats_csv(stats: Stats, lang: str) -> str:
    """The per-event table as CSV with headers in `lang`, then (after a blank row) the
    indicators. It starts with a byte-order mark: Excel on a Chinese Windows reads a CSV
    without one as GBK and shows mojibake."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    for table in (event_sheet(stats, lang), indicator_sheet(stats, lang)):
        if buffer.tell() > 1:
            writer.writerow([])  # one file for the report upward: the indicators follow
        headers, rows = table
        writer.writerow(headers)
        writer.writerows(rows)
    return buffer.getvalue()


def indicator_sheet(stats: Stats, lang: str) -> tuple[list[str], list[list[object]]]:
    """The indicators as a table (headers, rows): the overall row first, then departments."""
    from xpcli.indicators import RATES

    headers = [say("stats-ind-department", lang), say("stats-ind-matters", lang)]
    for key in RATES:
        name = say(f"stats-ind-{key}", lang)
        headers += [say("stats-ind-count", lang, name=name), say("stats-ind-rate", lang, name=name)]
    headers += [say(f"stats-ind-{k}", lang) for k in ("both", "legal", "promised", "compression")]
    rows: list[list[object]] = []
    for item in (stats.overall, *stats.by_department):
        name = say("stats-ind-all", lang) if item.department is None else text_cell(item.name)
        row: list[object] = [name, item.matters]
        for key in RATES:
            rate = getattr(item, key)
            row += [rate.count, "" if rate.percent is None else rate.percent]
        c = item.compression
        row += [c.matters, c.legal_days, c.promised_days, "" if c.percent is None else c.percent]
        rows.append(row)
    return headers, rows


def indicator_view(stats: Stats, lang: str) -> Table:
    from xpcli.indicators import RATES

    table = Table(title=say("stats-ind-title", lang), title_justify="left")
    table.add_column(say("stats-ind-department", lang))
    table.add_column(say("stats-ind-matters", lang), justify="right")
    for key in RATES:
        table.add_column(say(f"stats-ind-{key}", lang), justify="right")
    table.add_column(say("stats-ind-compression", lang), justify="right")
    for item in (stats.overall, *stats.by_department):
        name = say("stats-ind-all", lang) if item.department is None else escape(item.name)
        cells = [_rate(getattr(item, key).count, getattr(item, key).percent) for key in RATES]
        c = item.compression
        compression = (
            "—" if c.percent is None else f"{c.percent}%（{c.promised_days}/{c.legal_days}）"
        )
        table.add_row(name, str(item.matters), *cells, compression)
        if item.department is None and stats.by_department:
            table.add_section()
    return table


def _rate(count: int, value: float | None) -> str:
    return "—" if value is None else f"{count}（{value}%）"


def listing_table(listing: Listing, lang: str) -> Table:
    title = say(f"list-title-{listing.kind}", lang, count=len(listing.rows))
    table = Table(title=title, title_justify="left")
    for column in listing.columns:
        numeric = column in ("matters", "events")
        table.add_column(say(f"list-col-{column}", lang), justify="right" if numeric else "left")
    for row in listing.rows:
        table.add_row(*(escape(str(row[c])) for c in listing.columns))
    return table


def listing_csv(listing: Listing, lang: str) -> str:
    """The rows as CSV with headers in `lang`, behind a byte-order mark for Excel."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([say(f"list-col-{c}", lang) for c in listing.columns])
    for row in listing.rows:
        writer.writerow([text_cell(v) if isinstance(v, str) else v for v in row.values()])
    return buffer.getvalue()
