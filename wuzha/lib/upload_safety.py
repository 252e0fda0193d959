"""Checks an uploaded spreadsheet before any parser sees it: size, magic bytes, macros, zip bombs.

Pure functions over bytes; `UnsafeFile.message` is shown to the user in Chinese.
"""
import io
import zipfile
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # 20 MiB: far above 100,000 ledger rows in xlsx
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024  # all entries of an xlsx together, once inflated (100k rows ≈ 60 MB)
MAX_ENTRY_RATIO = 100  # a real sheet compresses ~10×; bombs reach 1000× and more
MAX_ENTRIES = 1000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls / .et (WPS) / encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
SAVE_AS_XLSX = "请在 Excel 或 WPS 中“另存为”Excel 工作簿(*.xlsx)后重新上传。"


class UnsafeFile(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileKind:
    format: str  # "xlsx", "xls" or "csv"
    extension: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


# What a DTD opens with, in the encodings an XML parser accepts without a declaration saying otherwise.
_DTD_MARKS = tuple(
    mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY") for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)  # fmt: skip
_DTD_OVERLAP = max(len(m) for m in _DTD_MARKS) - 1
CHUNK = 64 * 1024


def has_dtd(stream) -> bool:
    """True if `<!DOCTYPE` or `<!ENTITY` (any case, UTF-8/16/32) occurs anywhere in the stream, read in chunks.

    The tail of each chunk is kept in front of the next one, so a mark split across two reads is still seen.
    """
    tail = b""
    while chunk := stream.read(CHUNK):
        window = tail + chunk.upper()
        if any(mark in window for mark in _DTD_MARKS):
            return True
        tail = window[-_DTD_OVERLAP:]
    return False


def scan_zip(archive: zipfile.ZipFile, what: str = "文件", advice: str = "") -> set[str]:
    """Refuse zip bombs (entry count, total and per-entry inflated size and ratio), macros and DTDs.

    Every part is read through, streamed: any of them may be parsed as XML (the content types decide, not
    the names), so a DTD or entity declaration anywhere refuses the file. Returns the part names.
    """
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise UnsafeFile(f"{what}内部条目过多({len(entries)} 个),疑似恶意文件,已拒绝。")
    total = 0
    for entry in entries:
        if entry.filename.lower().endswith("vbaproject.bin"):
            raise UnsafeFile(f"{what}中含有宏,出于安全考虑不能使用。{advice}")
        total += entry.file_size
        compressed = max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and entry.file_size / compressed > MAX_ENTRY_RATIO:
            raise UnsafeFile(f"{what}解压后体积异常(压缩比过高),疑似“压缩炸弹”,已拒绝。")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeFile(f"{what}解压后超过 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB,已拒绝。")
    for entry in entries:
        if entry.is_dir():
            continue
        try:
            with archive.open(entry) as part:
                if has_dtd(part):
                    raise UnsafeFile(f"{what}中含有 XML 实体声明(DTD),疑似恶意文件,已拒绝。")
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
            raise UnsafeFile(f"{what}已损坏或已加密,无法打开。") from None
    return {e.filename for e in entries}


def check_zip(data: bytes) -> None:
    """An xlsx: a safe zip (see `scan_zip`) with a workbook in it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnsafeFile(f"文件已损坏,无法作为 Excel 工作簿打开。{SAVE_AS_XLSX}") from None
    with archive:
        names = scan_zip(archive, advice=SAVE_AS_XLSX)
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise UnsafeFile(f"文件不是 Excel 工作簿(可能是改了扩展名的其他文件)。{SAVE_AS_XLSX}")


def check_upload(name: str, data: bytes) -> FileKind:
    """Decide how to read an upload, or raise `UnsafeFile` saying why it cannot be read."""
    ext = _extension(name)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnsafeFile(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB,请拆分为多个文件分批导入。")
    if not data:
        raise UnsafeFile("文件是空的。")
    if ext in ("xlsm", "xltm", "xlam"):
        raise UnsafeFile(f"带宏的工作簿(.{ext})不能导入。{SAVE_AS_XLSX}")
    if ext in ("xlsx", "xltx"):
        if not data.startswith(ZIP_MAGIC):
            if data.startswith(OLE_MAGIC):
                raise UnsafeFile(f"文件已加密或实际是旧版 .xls 格式。请取消密码保护,{SAVE_AS_XLSX}")
            raise UnsafeFile(f"文件内容不是 Excel 工作簿(扩展名与内容不符)。{SAVE_AS_XLSX}")
        check_zip(data)
        return FileKind("xlsx", ext)
    if ext in ("xls", "et"):
        if not data.startswith(OLE_MAGIC):
            if data.startswith(ZIP_MAGIC):  # an xlsx renamed by hand: read it as what it is
                check_zip(data)
                return FileKind("xlsx", ext)
            raise UnsafeFile(f"文件内容不是 Excel 工作簿(扩展名与内容不符)。{SAVE_AS_XLSX}")
        return FileKind("xls", ext)
    if ext in ("csv", "txt"):
        if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC) or b"\x00" in data[:4096]:
            raise UnsafeFile("文件内容不是 CSV 文本(扩展名与内容不符)。")
        return FileKind("csv", ext)
    raise UnsafeFile("只能导入 .xlsx、.xls、.et(WPS)或 .csv 文件。")


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GBK (what Chinese Excel saves by default)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnsafeFile("无法识别 CSV 文件的编码,请另存为“CSV UTF-8”或 .xlsx 后重新上传。")
