"""Hostile files are refused before any parser sees them (no database)."""
import io
import zipfile

import pytest
from openpyxl import Workbook

from wuzha.lib import upload_safety as us


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["名称", "类型"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, extra.pop(item.filename, src.read(item)))
        for name, content in extra.items():
            dst.writestr(name, content)
    return out.getvalue()


def test_a_real_workbook_passes():
    assert us.check_upload("台账.xlsx", xlsx_bytes()).format == "xlsx"


def test_zip_bomb_is_refused_by_ratio_before_parsing():
    bomb = rezip(xlsx_bytes(), {"xl/worksheets/sheet2.xml": b"<a>" + b"0" * (50 * 1024 * 1024) + b"</a>"})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(us.UnsafeFile) as exc:
        us.check_upload("bomb.xlsx", bomb)
    assert "压缩炸弹" in exc.value.message


def test_too_many_entries_and_too_large_are_refused(monkeypatch):
    many = rezip(xlsx_bytes(), {f"xl/media/{i}.txt": b"x" for i in range(1001)})
    with pytest.raises(us.UnsafeFile, match="条目过多"):
        us.check_upload("many.xlsx", many)
    monkeypatch.setattr(us, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(us.UnsafeFile, match="MB"):
        us.check_upload("big.xlsx", xlsx_bytes())


def test_macros_are_refused_by_name_and_by_content():
    with pytest.raises(us.UnsafeFile, match="宏"):
        us.check_upload("宏.xlsm", xlsx_bytes())
    with pytest.raises(us.UnsafeFile, match="宏"):
        us.check_upload("伪装.xlsx", rezip(xlsx_bytes(), {"xl/vbaProject.bin": b"\x00" * 100}))


def test_xml_entity_declarations_are_refused():
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>'
    with pytest.raises(us.UnsafeFile, match="DTD"):
        us.check_upload("xxe.xlsx", rezip(xlsx_bytes(), {"xl/sharedStrings.xml": laughs}))


def test_wrong_magic_bytes_are_refused():
    with pytest.raises(us.UnsafeFile, match="扩展名与内容不符"):
        us.check_upload("假的.xlsx", b"MZ\x90\x00 this is an exe")
    with pytest.raises(us.UnsafeFile, match="扩展名与内容不符"):
        us.check_upload("假的.xls", b"hello")
    with pytest.raises(us.UnsafeFile, match="扩展名与内容不符"):
        us.check_upload("假的.csv", xlsx_bytes())
    with pytest.raises(us.UnsafeFile, match="只能导入"):
        us.check_upload("照片.jpg", b"\xff\xd8\xff")


def test_old_xls_and_wps_et_are_read_as_ole_and_renamed_xlsx_as_xlsx():
    assert us.check_upload("旧表.xls", us.OLE_MAGIC + b"\x00" * 100).format == "xls"
    assert us.check_upload("WPS.et", us.OLE_MAGIC + b"\x00" * 100).format == "xls"
    assert us.check_upload("改名.et", xlsx_bytes()).format == "xlsx"


def test_csv_in_utf8_with_or_without_bom_and_gbk():
    text = "名称,类型\n幸福小区,小区\n"
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("gbk")):
        assert us.decode_csv(data) == text


def test_a_dtd_anywhere_in_any_part_is_refused_not_only_in_the_first_bytes(monkeypatch):
    """Issue 18: every part is read through, streamed; a mark split between two reads is still seen."""
    late = b'<?xml version="1.0"?><!--' + b" " * 50_000 + b'--><!DOCTYPE x [<!ENTITY e "e">]><x/>'
    with pytest.raises(us.UnsafeFile, match="DTD"):
        us.check_upload("late.xlsx", rezip(xlsx_bytes(), {"xl/sharedStrings.xml": late}))
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!doctype x [<!entity e "e">]><x/>'.encode("utf-16-le")
    with pytest.raises(us.UnsafeFile, match="DTD"):
        us.check_upload("utf16.xlsx", rezip(xlsx_bytes(), {"xl/styles.xml": utf16}))
    with pytest.raises(us.UnsafeFile, match="DTD"):  # a part named as an image may still be read as XML
        us.check_upload("named.xlsx", rezip(xlsx_bytes(), {"xl/media/image1.png": late}))
    monkeypatch.setattr(us, "CHUNK", 7)
    for cut in range(1, 9):  # "<!DOCTYPE" split at every position across two reads
        part = b"x" * (7 - cut) + b"<!DOCTYPE x>"
        with pytest.raises(us.UnsafeFile, match="DTD"):
            us.check_upload("split.xlsx", rezip(xlsx_bytes(), {"xl/sharedStrings.xml": part}))
    assert us.check_upload("clean.xlsx", xlsx_bytes()).format == "xlsx"


def test_has_dtd_reads_the_stream_in_chunks(monkeypatch):
    import io as _io

    reads = []

    class Stream(_io.BytesIO):
        def read(self, n=-1):
            reads.append(n)
            return super().read(n)

    assert not us.has_dtd(Stream(b"a" * (3 * us.CHUNK)))
    assert reads and all(n == us.CHUNK for n in reads)
