"""The .xlsx template of a ledger: Chinese headers (* = required), drop-downs, text-formatted ID and
phone columns, and an instructions sheet with one example row (kept off the data sheet, so a filled
template never imports the example by mistake)."""
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from wuzha.lib.excel_export import export_cell

from .base import Ledger

TEMPLATE_ROWS = 2000  # rows pre-formatted as text and given drop-downs


def build_template(ledger: Ledger) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{ledger.title}"[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(ledger.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header + ("*" if column.required else ""))
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.is_text_format:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices:
            options = ",".join(str(label) for _, label in column.choices)
            validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=not column.required)
            validation.error, validation.errorTitle = f"请从下拉选项中选择:{options}", "选项无效"
            validation.prompt, validation.promptTitle = f"可选:{options}", column.header
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 60
    notes.append([f"{ledger.title}导入模板 · 填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in ledger.instructions + (
        "请在第一个工作表中填写,从第 2 行开始,每行一条;不要修改或删除表头。带 * 的列必须填写。",
        "日期可写成 2021-11-20、2021.11.20、2021/11/20 或 2021年11月20日。身份证号、电话请保持“文本”格式。",
    ):
        notes.append([line])
    notes.append([])
    notes.append(["列名", "说明"])
    for column in ledger.columns:
        help_text = column.help
        if column.choices:
            help_text += f" 可选:{'、'.join(str(label) for _, label in column.choices)}。"
        notes.append([column.header + ("(必填)" if column.required else ""), help_text.strip()])
    notes.append([])
    notes.append(["示例(请勿复制到数据表以外的位置)"])
    notes.append([c.header for c in ledger.columns])
    notes.append([export_cell(c.example) for c in ledger.columns])
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
