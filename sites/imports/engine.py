"""The generic dry run and all-or-nothing commit for any registered ledger.

`dry_run` reads a file and returns a report listing every problem (file, row, column, field,
value, how to fix) and what would be created or updated; it writes nothing. `commit` runs the same
checks again and, only if there is no problem at all, saves every row in one transaction.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from wuzha.lib import cells
from wuzha.lib.sheets import read_rows
from wuzha.lib.upload_safety import UnsafeFile, check_upload

from .base import ACTION_LABELS, Ledger, Planned, RowError

log = logging.getLogger("wuzha.imports")

MAX_LISTED_ERRORS = 5000  # the report keeps this many (the count is always exact)
HEADER_SCAN_ROWS = 15


@dataclass
class Result:
    file: str
    sheet: str = ""
    header_row: int | None = None
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    planned: list[Planned] = field(default_factory=list)

    def error(self, *, row=None, column="", header="", value="", fix=""):
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            shown = cells.clean_text(value)
            self.errors.append(
                {"file": self.file, "row": row, "column": column, "field": header,
                 "value": shown[:60] + ("…" if len(shown) > 60 else ""), "fix": fix}  # fmt: skip
            )

    @property
    def counts(self) -> dict:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for p in self.planned:
            counts[p.action] += 1
        return counts

    def as_report(self, preview: int = 50) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "error_count": self.error_count,
            "errors": self.errors,
            "counts": self.counts,
            "preview": [
                {"row": p.row, "action": ACTION_LABELS[p.action], "label": p.label}
                for p in self.planned
                if p.action != "unchanged"
            ][:preview],
        }


def _map_header(ledger: Ledger, header: list, col_offset: int, result: Result, row_number: int) -> dict[int, object]:
    """Column index → Column; unknown, repeated and missing columns become errors."""
    by_name = {name: col for col in ledger.columns for name in col.names()}
    mapping, seen = {}, {}
    for index, raw in enumerate(header):
        name = cells.normalise_header(raw)
        if not name:
            continue
        letter = cells.column_letter(index + col_offset)
        column = by_name.get(name)
        if column is None:
            result.error(row=row_number, column=letter, header=cells.clean_text(raw), value=raw,
                         fix="无法识别的列。请删除该列,或改用模板中的列名:" + "、".join(c.header for c in ledger.columns))  # fmt: skip
        elif column.field in seen:
            result.error(row=row_number, column=letter, header=column.header, value=raw,
                         fix=f"与 {seen[column.field]} 列重复,请只保留一列。")  # fmt: skip
        else:
            mapping[index] = column
            seen[column.field] = letter
    for column in ledger.columns:
        if column.required and column.field not in seen:
            result.error(row=row_number, header=column.header, fix=f"缺少必填列“{column.header}”,请使用导入模板。")
    return mapping


def analyse(ledger: Ledger, *, name: str, data: bytes, actor, on_progress: Callable | None = None) -> Result:
    """Read and check the whole file; never writes. Every problem found is in `result.errors`."""
    result = Result(file=name)
    try:
        kind = check_upload(name, data)
        sheet = read_rows(data, kind)
    except UnsafeFile as exc:
        result.error(fix=exc.message)
        return result
    result.sheet = sheet.sheet_name
    known = set().union(*(c.names() for c in ledger.columns))
    head = []
    for number, row in sheet.rows:
        head.append((number, row))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    found = cells.find_header_row([r for _, r in head], known)
    if found is None:
        result.error(fix="没有找到表头行。请使用导入模板,表头须包含:" + "、".join(c.header for c in ledger.columns))
        return result
    result.header_row, header = head[found]
    mapping = _map_header(ledger, header, sheet.col_offset, result, result.header_row)

    def data_rows():
        yield from head[found + 1 :]
        yield from sheet.rows

    parsed: list[tuple[int, dict, set]] = []  # (row number, values, fields that could not be read)
    keys: dict[tuple, int] = {}
    for number, row in data_rows():
        if all(cells.is_blank(v) for v in row):
            continue  # blank and formatted-but-empty rows
        result.rows += 1
        values, failed = {"_row": number}, set()
        for index, column in mapping.items():
            raw = row[index] if index < len(row) else None
            try:
                values[column.field] = column.parse(raw)
            except cells.CellError as exc:
                failed.add(column.field)
                values[column.field] = "" if column.kind in ("text", "choice", "phone", "id_number") else None
                result.error(row=number, column=cells.column_letter(index + sheet.col_offset),
                             header=column.header, value=raw, fix=exc.fix)  # fmt: skip
        if not failed:
            key = tuple(str(values.get(f, "")) for f in ledger.natural_key)
            if key in keys:
                result.error(row=number, header="、".join(ledger.column(f).header for f in ledger.natural_key
                                                          if f in values),  # fmt: skip
                             value=" / ".join(k for k in key if k), fix=f"与第 {keys[key]} 行重复,请合并为一行。")
                continue
            keys[key] = number
        parsed.append((number, values, failed))
        if on_progress and result.rows % 1000 == 0:
            on_progress(result.rows)
    if result.rows == 0 and result.header_row is not None:
        result.error(row=result.header_row, fix="表头下面没有数据行。")
    letters = {c.field: cells.column_letter(i + sheet.col_offset) for i, c in mapping.items()}
    ctx = ledger.prepare([v for _, v, _ in parsed], actor)
    for number, values, failed in parsed:
        # Rows with unreadable cells are still checked, so every other problem shows in the same report.
        try:
            planned = ledger.plan(values, ctx, actor)
        except RowError as exc:
            for fname, fix in exc.problems:
                if fname in failed:
                    continue
                column = ledger.column(fname) if fname else None
                result.error(row=number, column=letters.get(fname, ""), header=column.header if column else "",
                             value=values.get(fname, "") if fname else "", fix=fix)  # fmt: skip
            continue
        except Exception:  # noqa: BLE001 - a half-read row may trip the ledger; its cell errors are reported
            if failed:
                continue
            raise
        if not failed:
            result.planned.append(planned)
    return result


class ImportRejected(Exception):
    def __init__(self, result: Result):
        super().__init__(f"{result.error_count} 处错误")
        self.result = result


def commit(ledger: Ledger, *, name: str, data: bytes, actor, on_progress: Callable | None = None,
           begin: Callable | None = None, finish: Callable | None = None) -> Result:  # fmt: skip
    """Check again, then save every row in one transaction; any problem → `ImportRejected`, nothing written.

    `begin()` and `finish(result)` run inside that transaction: the job is locked first and its
    "done" is written together with the rows, so a retried task finds either everything or nothing.
    """
    result = analyse(ledger, name=name, data=data, actor=actor)
    if result.error_count:
        raise ImportRejected(result)
    with transaction.atomic():
        if begin:
            begin()
        for index, planned in enumerate(result.planned, start=1):
            if planned.action != "unchanged":
                try:
                    ledger.save(actor=actor, planned=planned)
                except Exception as exc:  # any failure rolls the whole import back
                    messages = getattr(exc, "messages", None) or [str(exc)]
                    result.error(row=planned.row, value=planned.label, fix="保存失败:" + ";".join(messages))
                    transaction.set_rollback(True)
                    raise ImportRejected(result) from exc
            if on_progress and index % 200 == 0:
                on_progress(index)
        if finish:
            finish(result)
    log.info("import committed: ledger=%s user=%s rows=%s counts=%s", ledger.key, getattr(actor, "pk", None),
             result.rows, result.counts)  # fmt: skip
    return result
