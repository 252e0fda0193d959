"""Shared steps of the per-ledger tests: fill a downloaded template, dry-run, commit, export to bytes."""
import io

import pytest
from openpyxl import load_workbook

from sites.imports.engine import ImportRejected, analyse, commit
from sites.imports.template import build_template
from wuzha.lib.excel_export import write_xlsx


def fill_template(ledger, rows: list[dict]) -> bytes:
    """Download the template, check its shape, and fill `rows` ({header without *: value}) from row 2."""
    workbook = load_workbook(io.BytesIO(build_template(ledger)))
    sheet = workbook.worksheets[0]
    headers = [str(c.value).rstrip("*") for c in sheet[1]]
    assert headers == [c.header for c in ledger.columns]
    assert workbook.worksheets[1].title == "填写说明"
    validations = " ".join(v.formula1 for v in sheet.data_validations.dataValidation)
    for index, column in enumerate(ledger.columns, start=1):
        if column.choices:
            assert str(column.choices[0][1]) in validations  # drop-down
        if column.kind in ("phone", "id_number"):
            assert sheet.cell(row=2, column=index).number_format == "@"  # text, so no digit is lost
            assert column.sensitive
    for number, row in enumerate(rows, start=2):
        unknown = set(row) - set(headers)
        assert not unknown, unknown
        for header, value in row.items():
            sheet.cell(row=number, column=headers.index(header) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dry_run(ledger, data, actor, name="台账.xlsx"):
    return analyse(ledger, name=name, data=data, actor=actor)


def import_file(ledger, data, actor, name="台账.xlsx"):
    return commit(ledger, name=name, data=data, actor=actor)


def rejected(ledger, data, actor):
    with pytest.raises(ImportRejected) as info:
        import_file(ledger, data, actor)
    return info.value.result


def export_xlsx(ledger, user, params=None, **kwargs) -> bytes:
    rows = ledger.export_rows(user, params or {}, **kwargs)
    handle = write_xlsx([c.header for c in ledger.columns], rows, title=ledger.title)
    return handle.read()


def read_export(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]
