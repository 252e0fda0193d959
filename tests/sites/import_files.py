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
