"""Exports neutralise formula injection and write Chinese dates (no database)."""
import datetime as dt

from openpyxl import load_workbook

from wuzha.lib.excel_export import escape_formula, export_cell, iter_csv, write_xlsx

HOSTILE = ['=HYPERLINK("http://evil","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_every_dangerous_prefix_gets_a_quote():
    assert [escape_formula(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert escape_formula("幸福小区") == "幸福小区" and escape_formula(-5) == -5


def test_xlsx_has_no_formula_cells_and_text_types():
    handle = write_xlsx(["名称"], [[v] for v in HOSTILE] + [[dt.date(2021, 11, 20)]])
    sheet = load_workbook(handle).active
    values = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in values)
    assert values[0].value == "'" + HOSTILE[0]
    assert values[-1].value == "2021年11月20日"


def test_csv_cells_are_prefixed_and_start_with_bom():
    text = "".join(iter_csv(["名称"], [[v] for v in HOSTILE]))
    assert text.startswith("\ufeff名称")
    assert "'=HYPERLINK" in text and "'+1+1" in text and "'@SUM" in text
    assert export_cell(True) == "是" and export_cell(None) is None and export_cell("") == ""
