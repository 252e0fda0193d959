"""Cell normalisation for spreadsheets as people make them: 全角 text, dates in any local form, IDs as numbers.

Pure functions: each takes a raw cell (str, int, float, date, datetime or None) and returns a clean
Python value or raises `CellError` with a Chinese explanation of how to fix the cell.
"""
import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)


class CellError(ValueError):
    """A cell that cannot be read; `fix` says in Chinese how to correct it."""

    def __init__(self, fix: str):
        super().__init__(fix)
        self.fix = fix


_HALFWIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(text: str) -> str:
    """全角 digits, letters, punctuation and the ideographic space → their ASCII forms."""
    return text.translate(_HALFWIDTH)


_SPACES = re.compile(r"\s+")


def clean_text(value) -> str:
    """Any cell → a trimmed single-line string ('' for empty). Whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).translate(_HALFWIDTH)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


def is_blank(value) -> bool:
    if value is None or value == "":
        return True
    if type(value) is str:
        return not value.translate(_HALFWIDTH).replace("\u200b", "").replace("\ufeff", "").strip()
    return False


_DATE_RE = re.compile(r"^(\d{4})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATE_FIX = "请按 2021-11-20、2021.11.20、2021/11/20 或 2021年11月20日 填写日期。"


def parse_date(value) -> dt.date | None:
    """2021.11.20 / 2021/11/20 / 2021-11-20 / 2021年11月20日 / 20211120 / Excel serial / date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # serials for 1954…2119: anything else is not a plausible date
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        text = clean_text(value)
    else:
        text = clean_text(value)
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        raise CellError(DATE_FIX)
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期 {year}年{month}月{day}日 不存在。{DATE_FIX}") from None


def parse_int(value) -> int | None:
    """A whole number (full-width digits and thousands separators accepted)."""
    if isinstance(value, bool):
        raise CellError("请填写整数。")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("请填写整数,不要带小数。")
    text = clean_text(value).replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError("请填写整数,如 120。")
    return int(text)


def parse_decimal(value) -> Decimal | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = clean_text(value)
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError("请填写数字,如 24.9876。") from None


# 18 digits (the last may be X); numbers above 2**53 cannot be stored exactly by a spreadsheet.
_ID_RE = re.compile(r"^\d{17}[\dX]$")
ID_AS_NUMBER_FIX = (
    "身份证号被存成了数字,后几位已丢失(表格只保留 15 位有效数字)。请把该列设置为“文本”格式后重新输入完整号码,"
    "或在号码前加英文单引号 '。"
)


def parse_id_number(value) -> str:
    """A Chinese resident ID (18 characters). A numeric cell can never hold one exactly: refuse it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError(ID_AS_NUMBER_FIX)
    text = clean_text(value).replace(" ", "").upper()
    if not text:
        return ""
    if re.fullmatch(r"\d(\.\d+)?E\+\d+", text):  # '3.50521E+17' typed or pasted as text
        raise CellError(ID_AS_NUMBER_FIX)
    if not _ID_RE.match(text):
        raise CellError("身份证号应为 18 位,最后一位可以是数字或 X。")
    return text


def parse_phone(value) -> str:
    """A phone number; a numeric cell is fine (11 digits fit a float exactly)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value).replace(" ", "").replace("—", "-")


def parse_choice(value, choices: list[tuple[str, str]]) -> str:
    """Accepts a choice's Chinese label (as the template's drop-down writes it) or its stored value."""
    text = clean_text(value)
    if not text:
        return ""
    for stored, label in choices:
        if text in (str(label), str(stored)):
            return str(stored)
    raise CellError(f"请从下拉选项中选择:{'、'.join(str(label) for _, label in choices)}。")


def parse_bool(value) -> bool | None:
    text = clean_text(value).lower()
    if not text:
        return None
    if text in ("是", "y", "yes", "true", "1", "在用", "√"):
        return True
    if text in ("否", "n", "no", "false", "0", "停用", "已停用", "×"):
        return False
    raise CellError("请填写“是”或“否”。")


def normalise_header(value) -> str:
    """A header cell compared loosely: no spaces, no '*' required-marks, no bracketed hints."""
    text = clean_text(value).replace(" ", "").replace("*", "")
    return re.sub(r"[((].*?[))]", "", text)


def find_header_row(rows: list[tuple], known: set[str], *, max_scan: int = 15) -> int | None:
    """Index of the row that looks most like the header (title and merged rows above it are skipped).

    `known` holds normalised header names; the row with the most matches (at least two, or one if
    the ledger has a single column) wins.
    """
    best, best_hits = None, 0
    for index, row in enumerate(rows[:max_scan]):
        hits = sum(1 for cell in row if normalise_header(cell) in known)
        if hits > best_hits:
            best, best_hits = index, hits
    needed = min(2, len(known))
    return best if best_hits >= needed else None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as a spreadsheet names columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
