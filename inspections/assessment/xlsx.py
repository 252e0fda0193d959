"""The assessment report as an xlsx workbook (openpyxl): a 报告 sheet with the heading (issuing office, date of
issue) and the summary paragraph, then the data sheets with Chinese headers, frozen panes, widths, A4 landscape with
repeated title rows, formula-safe text, a bar chart of village scores; the titled and refused lists, 三无 per site
with its deciding case and the score sheets' section subtotals (`report.build_report`).

Written in write-only mode (rows streamed, styles on the two title rows only): a county is 6,000 site rows
and 20,000 inspection rows, and the normal mode keeps every cell object in memory."""
from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from wuzha.lib.excel_export import escape_formula

from .figures import inspection_list
from .report import KIND_LABELS, Report, build_report, kind_label
from .rules import COMPONENT_LABELS, notes

__all__ = ["ENROLMENT_LABELS", "KIND_LABELS", "build_workbook", "write_sheets"]
ENROLMENT_LABELS = {"applied": "申报", "building": "创建中", "awaiting": "待验收", "named": "已命名", "failed": "未通过"}
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            if value and value.replace(".", "", 1).isdigit():
                return float(value)
        except ValueError:
            pass
        return escape_formula(value)
    return value


def _sheet(wb, title: str, headers: list[str], rows, widths: list[int], caption: str):
    ws = wb.create_sheet(title)
    for i, w in enumerate(widths, start=1):  # before any row: write-only sheets write the columns first
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    head = WriteOnlyCell(ws, value=caption)
    head.font = Font(bold=True, size=13)
    ws.append([head])
    cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append([_cell(v) for v in row])
    return ws


def _pct(value):
    return "" if value in (None, "") else float(value)


def _inspection_count(data: dict) -> int:
    """Published inspections of a village row (rows written before the count kept the whole list)."""
    return data["published_inspections"] if "published_inspections" in data else len(data.get("inspections", ()))


def build_workbook(run, results) -> bytes:
    """`results`: the run's AssessmentVillageResult rows (with .village), in rank order."""
    wb = Workbook(write_only=True)
    report = build_report(run, results)
    caption = f"{run.campaign.name} 考核报告 · {run.scope.name} · 截至{run.as_of.year}年{run.as_of.month}月{run.as_of.day}日"
    summary_rows, site_rows, deduction_rows, prop_rows, kp_rows, insp_rows, rect_rows = [], [], [], [], [], [], []
    inspections = inspection_list(run.campaign, [r.village_id for r in results], run.as_of)
    for r in results:
        d, v = r.data, r.data["village"]
        enrolled = sum(1 for s in d["sites"] if s.get("enrolment"))
        activities = sum(p["count"] for p in d["propaganda"])
        summary_rows.append([
            r.rank, v["town_name"], v["name"], v["score"], v["site_mean"], v["own_rate"], v["sites"], enrolled,
            v["proposed_titles"], v["sanwu_broken"], _inspection_count(d), activities, sum(d["key_persons"].values()),
        ])  # fmt: skip
        for s in d["sites"]:
            c = s["components"]
            site_rows.append([
                v["name"], s["name"], kind_label(s["kind"]), ENROLMENT_LABELS.get(s.get("enrolment"), "未申报"),
                s["score"], *[_pct(c.get(k)) for k in COMPONENT_LABELS], "是" if s["sanwu_holds"] else "否",
                "是" if s["gates_ok"] else "否", s["open_rectifications"], "是" if s["proposed_title"] else "否",
                ";".join(s["reasons"]),
            ])  # fmt: skip
        deduction_rows += [[v["name"], x["site"], x["section"], x["item"], x["points"], x["reason"]] for x in d["deductions"]]
        prop_rows += [[v["name"], p["channel"], p["count"], p["people"], p["installs"]] for p in d["propaganda"]]
        kp_rows += [[v["name"], k, n] for k, n in d["key_persons"].items()]
        insp_rows += [[v["name"], i.site, i.plan, i.date.isoformat(), i.score, "是" if i.vetoed else "否"]
                      for i in inspections[r.village_id]]  # fmt: skip
        rect_rows += [[v["name"], k, n] for k, n in d["rectifications"].items()]
    towns = [[t["rank"], t["name"], t["score"], t["villages"], t["sites"], t["proposed_titles"]]
             for t in run.summary.get("towns", [])]  # fmt: skip
    write_sheets(wb, caption, summary_rows, towns, site_rows, deduction_rows, prop_rows, kp_rows, insp_rows, rect_rows,
                 notes(run.rules), report=report)  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cover(wb, report: Report) -> None:
    """The 报告 sheet: what a county office files on top (office, title, date of issue, summary, reasons)."""
    ws = wb.create_sheet("报告")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4

    def line(label, value, *, font=None):
        cells = [WriteOnlyCell(ws, value=escape_formula(label)), WriteOnlyCell(ws, value=_cell(value))]
        cells[0].font = font or HEAD_FONT
        cells[1].alignment = Alignment(wrap_text=True, vertical="top")
        if font:
            cells[1].font = font
        ws.append(cells)

    line("发文单位", report.office, font=Font(bold=True, size=16))
    line("标题", report.title, font=Font(bold=True, size=14))
    if report.document_no:
        line("文号", report.document_no)
    line("成文日期", report.issued_on_text)
    line("考核范围", report.scope_name)
    line("截至日期", report.as_of_text)
    line("概述", report.summary)
    line(report.titled_heading, "、".join(f"{t['village']}·{t['site']}" for t in report.titled) or "无")
    for label, n in report.reason_counts:
        line(f"未予命名原因:{label}", f"{n} 个单位")


def write_sheets(wb, caption, summary_rows, towns, site_rows, deduction_rows, prop_rows, kp_rows, insp_rows, rect_rows,
                 rule_notes, *, report: Report | None = None) -> None:
    """The report's sheets from their rows (the benchmark's baseline writes its rows with this too): nine data sheets,
    and with a `report` the 报告 sheet first and its lists (命名, 未予命名, 三无, 分项得分) among them."""
    if report is not None:
        _cover(wb, report)
    ws = _sheet(wb, "汇总", ["名次", "镇(街道)", "村(社区)", "得分", "单位平均分", "村级任务完成率(%)", "创建单位数",
                             "已申报单位数", "拟命名单位数", "“三无”不成立单位数", "明察暗访次数", "宣传活动次数",
                             "重点人员数"], summary_rows, [6, 12, 14, 8, 10, 12, 10, 10, 10, 12, 10, 10, 10], caption)
    if summary_rows:
        chart = BarChart()
        chart.title, chart.y_axis.title = "各村(社区)得分", "得分"
        chart.add_data(Reference(ws, min_col=4, min_row=2, max_row=2 + len(summary_rows)), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=3, min_row=3, max_row=2 + len(summary_rows)))
        chart.width, chart.height = 24, 10
        ws.add_chart(chart, f"A{len(summary_rows) + 5}")
    _sheet(wb, "镇汇总", ["名次", "镇(街道)", "得分", "村(社区)数", "创建单位数", "拟命名单位数"], towns,
           [6, 14, 8, 10, 10, 12], caption)  # fmt: skip
    if report is not None:
        _report_sheets(wb, report, caption)
    _sheet(wb, "单位明细", ["村(社区)", "创建单位", "类型", "申报状态", "得分", *[f"{x}" for x in COMPONENT_LABELS.values()],
                           "“三无”", "门槛", "未完成整改", "拟命名", "原因"], site_rows,
           [12, 20, 10, 8, 8, 10, 10, 10, 10, 10, 6, 6, 8, 6, 50], caption)  # fmt: skip
    _sheet(wb, "扣分明细", ["村(社区)", "创建单位", "项目", "标准", "扣分", "扣分原因"], deduction_rows,
           [12, 20, 12, 40, 6, 40], caption)
    _sheet(wb, "宣传统计", ["村(社区)", "宣传渠道", "活动次数", "覆盖人数", "APP安装数"], prop_rows, [12, 16, 10, 10, 10], caption)
    _sheet(wb, "重点人员统计", ["村(社区)", "人员类别", "人数"], kp_rows, [12, 20, 8], caption + "(仅统计人数,不含个人信息)")
    _sheet(wb, "检查结果", ["村(社区)", "创建单位", "检查方式", "检查日期", "得分", "一票否决"], insp_rows,
           [12, 20, 10, 12, 8, 8], caption)
    _sheet(wb, "整改情况", ["村(社区)", "整改状态", "数量"], rect_rows, [12, 14, 8], caption)
    _sheet(wb, "规则说明", ["序号", "说明"], [[i, t] for i, t in enumerate(rule_notes, start=1)], [6, 110], caption)


def _report_sheets(wb, report: Report, caption: str) -> None:
    """命名单位 (or "无"), 未予命名 with reasons, 三无 per site with the deciding case, the section subtotals."""
    titled = [[t["village"], t["site"], t["kind"], t["score"], t["note"]] for t in report.titled] or [["无"]]
    _sheet(wb, "命名单位", ["村(社区)", "创建单位", "类型", "得分", "说明"], titled, [12, 24, 12, 8, 40],
           f"{caption} · {report.titled_heading}")
    refused = [[r["village"], r["site"], r["kind"], r["score"], r["reasons"]] for r in report.refused] or [["无"]]
    _sheet(wb, "未予命名", ["村(社区)", "创建单位", "类型", "得分", "原因"], refused, [12, 24, 12, 8, 70], caption)
    sanwu = [[s["village"], s["site"], s["kind"], "成立" if s["holds"] else "不成立", s["case"]] for s in report.sanwu]
    _sheet(wb, "三无认定", ["村(社区)", "创建单位", "类型", "“三无”", "认定依据(决定性案件)"], sanwu or [["无"]],
           [12, 24, 12, 8, 80], caption)  # fmt: skip
    sections = [[x["village"], x["site"], x["kind"], x["section"], x["earned"], x["possible"]] for x in report.sections]
    _sheet(wb, "分项得分", ["村(社区)", "创建单位", "类型", "评分项目", "得分", "满分"], sections or [["无"]],
           [12, 24, 12, 20, 8, 8], caption + "(计入考核的检查,按评分表项目小计)")
