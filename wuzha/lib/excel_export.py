"""Safe, streamed spreadsheet output: formula injection neutralised, bounded memory, Chinese dates.

django-import-export only strips a leading '=' (and writes live formulas by default), so every
exported text cell goes through `escape_formula` here.
"""
import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A text cell that a spreadsheet would run as a formula gets a leading ' (shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def chinese_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def export_cell(value):
    """One value as written to a sheet: text escaped, dates in Chinese, decimals as numbers, None empty."""
    kind = type(value)
    if kind is str:
        return "'" + value if value[:1] in _PREFIX_CHARS else value
    if value is None or kind is int or kind is float:
        return value
    if kind is bool:
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, Decimal):
        return float(value)
    return escape_formula(str(value))


_PREFIX_CHARS = frozenset(FORMULA_PREFIXES)


def write_xlsx(headers: list[str], rows: Iterable[Iterable], *, title: str = "数据"):
    """Write rows into a write-only workbook (constant memory) and return an open temp file to stream."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([escape_formula(h) for h in headers])
    for row in rows:
        sheet.append([export_cell(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle


class _Echo:
    def write(self, value):
        return value


def iter_csv(headers: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV lines for a StreamingHttpResponse; the BOM makes Excel open the UTF-8 text correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([escape_formula(h) for h in headers])  # None is written as an empty cell
    for row in rows:
        yield writer.writerow([export_cell(v) for v in row])
