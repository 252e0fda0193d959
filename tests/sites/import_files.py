"""Builds the spreadsheets people really send, inside the tests (openpyxl), as bytes."""
import io

from openpyxl import Workbook

SITE_HEADER = ["所属村/社区", "名称", "类型", "地址", "联系电话", "户数", "常住人口"]


def xlsx(rows, *, title: str | None = None, merged_header: bool = False, hidden_first: bool = False,
         trailing_formatted: int = 0) -> bytes:  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    if hidden_first:
        sheet.title = "旧数据"
        sheet.append(["名称", "类型"])
        sheet.append(["隐藏表里的小区", "小区"])
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet("台账")
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    if merged_header:
        sheet.append(["基本信息", None, None, "联系方式", None, "规模", None])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=3)
    for row in rows:
        sheet.append(row)
    last = sheet.max_row
    for offset in range(1, trailing_formatted + 1):
        sheet.cell(row=last + offset, column=1).number_format = "@"
        sheet.cell(row=last + offset, column=2).value = "   "
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode(encoding)


def xls(rows, *, title: str | None = None, hidden_first: bool = False) -> bytes:
    """A real BIFF8 workbook (Excel 97–2003 .xls; WPS's .et is the same format), written by xlwt (dev only).

    `datetime.date` cells are written as real date cells (a number with a date format), as Excel does.
    """
    import datetime as dt

    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    if hidden_first:
        hidden = workbook.add_sheet("旧数据")
        for c, value in enumerate(["所属村/社区", "名称", "类型"]):
            hidden.write(0, c, value)
        hidden.write(1, 1, "隐藏表里的小区")
        hidden.visibility = 1  # hidden
    sheet = workbook.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    top = 0
    if title:
        sheet.write_merge(0, 0, 0, len(rows[0]) - 1, title)
        top = 1
    for r, row in enumerate(rows, start=top):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            elif value is not None:
                sheet.write(r, c, value)
    if hidden_first:
        sheet.set_selected(True)
        workbook.active_sheet = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
