"""The generic dry run and all-or-nothing commit for any registered ledger.

`analyse` (the dry run) reads a file and returns a report listing every problem (file, row, column,
field, value, how to fix) and what would be created or updated; it writes nothing. `commit` runs the
same checks inside one transaction and keeps the rows only if there is no problem at all.
Values of `sensitive` columns (ID numbers, phones of key persons) are masked in the report.
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
MAX_ROWS = 200_000  # one file; beyond this the user splits it (keeps one transaction reasonable)
CHUNK_ROWS = 2000  # rows planned (and, in a commit, saved) together: memory stays bounded


@dataclass
class Result:
    file: str
    sheet: str = ""
    header_row: int | None = None
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    counts: dict = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0})
    preview: list[dict] = field(default_factory=list)

    def add(self, planned: Planned, preview: int = 50):
        self.counts[planned.action] += 1
        if planned.action != "unchanged" and len(self.preview) < preview:
            label = planned.label() if callable(planned.label) else planned.label
            self.preview.append({"row": planned.row, "action": ACTION_LABELS[planned.action], "label": label})

    def error(self, *, row=None, column="", header="", value="", fix=""):
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            shown = cells.clean_text(value)
            self.errors.append(
                {"file": self.file, "row": row, "column": column, "field": header,
                 "value": shown[:60] + ("…" if len(shown) > 60 else ""), "fix": fix}  # fmt: skip
            )

    def as_report(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "error_count": self.error_count,
            "errors": self.errors,
            "counts": self.counts,
            "preview": self.preview,
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


def analyse(ledger: Ledger, *, name: str, data: bytes, actor, on_progress: Callable | None = None,
            write: Callable | None = None, result: Result | None = None) -> Result:  # fmt: skip
    """Read and check the whole file. Every problem found is in `result.errors`.

    Without `write` (the dry run) nothing is written; `commit` passes one, inside its transaction.
    """
    result = result or Result(file=name)
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
    present = {c.field for c in mapping.values()}
    if any(c.required and c.field not in present for c in ledger.columns):
        return result  # rows cannot be checked without their required columns

    def data_rows():
        yield from head[found + 1 :]
        yield from sheet.rows

    letters = {c.field: cells.column_letter(i + sheet.col_offset) for i, c in mapping.items()}
    keys: dict[tuple, int] = {}  # natural key → first row: only keys stay in memory, rows go chunk by chunk
    chunk: list[tuple[int, dict, set]] = []  # (row number, values, fields that could not be read)
    parsers = [(index, column, column.field, column.parser()) for index, column in mapping.items()]
    key_fields = [f if f in present else None for f in ledger.natural_key]  # absent columns key as ""
    is_blank = cells.is_blank
    for number, row in data_rows():
        if is_blank(row[0] if row else None) and all(is_blank(v) for v in row):
            continue  # blank and formatted-but-empty rows
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.error(row=number, fix=f"一个文件最多 {MAX_ROWS:,} 行数据,请拆分为多个文件分批导入。")
            return result
        values, failed = {"_row": number}, set()
        width = len(row)
        for index, column, name, parse in parsers:
            raw = row[index] if index < width else None
            try:
                values[name] = parse(raw)
            except cells.CellError as exc:
                failed.add(column.field)
                values[column.field] = "" if column.kind in ("text", "choice", "phone", "id_number") else None
                result.error(row=number, column=cells.column_letter(index + sheet.col_offset),
                             header=column.header, value=_shown(column, raw), fix=exc.fix)  # fmt: skip
        if not failed:
            key = tuple("" if f is None else str(values[f]) for f in key_fields)
            if key in keys:
                result.error(row=number, header="、".join(ledger.column(f).header for f in ledger.natural_key
                                                          if f in values),  # fmt: skip
                             value=" / ".join(str(_shown(ledger.column(f), k)) for f, k in zip(ledger.natural_key, key) if k),
                             fix=f"与第 {keys[key]} 行重复,请合并为一行。")  # fmt: skip
                continue
            keys[key] = number
        chunk.append((number, values, failed))
        if len(chunk) >= CHUNK_ROWS:
            _plan_chunk(ledger, chunk, actor, result, letters, write)
            chunk = []
            if on_progress:
                on_progress(result.rows)
    _plan_chunk(ledger, chunk, actor, result, letters, write)
    if result.rows == 0 and result.header_row is not None:
        result.error(row=result.header_row, fix="表头下面没有数据行。")
    return result


def _shown(column, value):
    """What the report may repeat of a cell: sensitive values keep only their first 3 and last 2 characters."""
    if not column.sensitive:
        return value
    text = cells.clean_text(value)
    return text[:3] + "*" * max(len(text) - 5, 0) + text[-2:] if len(text) > 5 else "*" * len(text)


def _plan_chunk(ledger: Ledger, chunk, actor, result: Result, letters: dict, write: Callable | None) -> None:
    """Plan a chunk of rows with one `prepare`; while the file is still error-free, `write` saves them."""
    if not chunk:
        return
    ctx = ledger.prepare([v for _, v, _ in chunk], actor)
    planned_rows = []
    for number, values, failed in chunk:
        # Rows with unreadable cells are still checked, so every other problem shows in the same report.
        try:
            planned = ledger.plan(values, ctx, actor)
        except RowError as exc:
            for fname, fix in exc.problems:
                if fname in failed:
                    continue
                column = ledger.column(fname) if fname else None
                result.error(row=number, column=letters.get(fname, ""), header=column.header if column else "",
                             value=_shown(column, values.get(fname, "")) if column else "", fix=fix)  # fmt: skip
            continue
        except Exception:  # noqa: BLE001 - a half-read row may trip the ledger; its cell errors are reported
            if failed:
                continue
            raise
        if not failed:
            result.add(planned)
            planned_rows.append(planned)
    if write and not result.error_count:
        write(planned_rows)


class ImportRejected(Exception):
    def __init__(self, result: Result):
        super().__init__(f"{result.error_count} 处错误")
        self.result = result


def _saver(ledger: Ledger, actor, result: Result, on_progress: Callable | None) -> Callable:
    written = 0

    def write(planned_rows: list[Planned]):
        nonlocal written
        changed = [p for p in planned_rows if p.action != "unchanged"]
        try:
            if hasattr(ledger, "save_batch"):
                ledger.save_batch(actor=actor, planned=changed)
            else:
                for planned in changed:
                    ledger.save(actor=actor, planned=planned)
        except Exception as exc:  # any failure rolls the whole import back
            messages = getattr(exc, "messages", None) or [str(exc)]
            row = getattr(exc, "row", None) or (changed[0].row if len(changed) == 1 else None)
            result.error(row=row, fix="保存失败,整个文件未写入:" + ";".join(messages))
            raise ImportRejected(result) from exc
        written += len(planned_rows)
        if on_progress:
            on_progress(written)

    return write


def commit(ledger: Ledger, *, name: str, data: bytes, actor, on_progress: Callable | None = None,
           begin: Callable | None = None, finish: Callable | None = None) -> Result:  # fmt: skip
    """Check and save every row in one transaction; any problem → `ImportRejected`, nothing written.

    Rows are saved chunk by chunk while the file is still error-free (bounded memory); a problem
    found later rolls everything back. `begin()` and `finish(result)` run inside the transaction:
    the job is locked first and its "done" is written together with the rows, so a retried task
    finds either everything or nothing.
    """
    with transaction.atomic():
        if begin:
            begin()
        result = Result(file=name)
        result = analyse(ledger, name=name, data=data, actor=actor,
                         write=_saver(ledger, actor, result, on_progress), result=result)  # fmt: skip
        if result.error_count:
            raise ImportRejected(result)
        if finish:
            finish(result)
    log.info("import committed: ledger=%s user=%s rows=%s counts=%s", ledger.key, getattr(actor, "pk", None),
             result.rows, result.counts)  # fmt: skip
    return result
