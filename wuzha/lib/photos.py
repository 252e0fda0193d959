"""The one photo path (every photo field of every app): real image type by decoding, one size limit,
extension vs content, EXIF time and place, a re-encoded copy to store (EXIF kept; whatever rode along in
the file is dropped), a thumbnail, and a perceptual difference hash (dHash) to spot a photo reused elsewhere.
"""
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Decoded format -> extensions a file of that format may carry (MPO: a phone's JPEG with a second frame).
FORMATS = {"JPEG": {"jpg", "jpeg"}, "MPO": {"jpg", "jpeg"}, "PNG": {"png"}, "WEBP": {"webp"}}
# Decoded format -> (format it is stored in, extension of the stored file).
STORED_AS = {"JPEG": ("JPEG", "jpg"), "MPO": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp")}
ACCEPTED = "请上传 JPG、PNG 或 WEBP 照片。"
THUMB_SIZE = (320, 320)
DUPLICATE_BITS = 3  # two dHashes this close (Hamming distance) are taken as the same photo


@dataclass
class PhotoInfo:
    format: str
    width: int
    height: int
    size: int
    dhash: str
    taken_at: datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    thumbnail: bytes
    content: bytes = b""  # the re-encoded photo: what is stored
    extension: str = ""  # of the stored file: jpg, png or webp


def dhash(image: Image.Image, size: int = 8) -> str:
    """Difference hash: shrink to (size+1)×size grey pixels, one bit per left<right neighbour pair."""
    grey = image.convert("L").resize((size + 1, size), Image.Resampling.LANCZOS)
    px = list(grey.getdata())
    bits = 0
    for row in range(size):
        for col in range(size):
            left = px[row * (size + 1) + col]
            right = px[row * (size + 1) + col + 1]
            bits = (bits << 1) | (1 if left < right else 0)
    return f"{bits:0{size * size // 4}x}"


def hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def bands(hash_hex: str) -> list[str]:
    """Four 16-bit bands of a 64-bit hash (pigeonhole: hashes within 3 bits share one band)."""
    return [hash_hex[i : i + 4] for i in range(0, 16, 4)]


def _rational(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return 0.0


def _gps(exif) -> tuple[Decimal | None, Decimal | None]:
    gps = exif.get_ifd(0x8825) if exif else {}
    if not gps or 2 not in gps or 4 not in gps:
        return None, None

    def degrees(dms, ref, negative):
        value = sum(_rational(x) / div for x, div in zip(dms, (1, 60, 3600), strict=False))
        return Decimal(f"{-value if ref == negative else value:.6f}")

    lat = degrees(gps[2], gps.get(1, "N"), "S")
    lon = degrees(gps[4], gps.get(3, "E"), "W")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _taken_at(exif) -> datetime | None:
    if not exif:
        return None
    raw = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, else DateTime
    try:
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if raw else None
    except ValueError:
        return None


def reencode(image: Image.Image, exif) -> tuple[bytes, str]:
    """The decoded pixels written again in their own format, EXIF (time, place, orientation) and colour profile kept."""
    fmt, ext = STORED_AS[image.format]
    raw = image.info.get("exif") or (exif.tobytes() if exif else b"")
    kwargs = {"exif": raw} if raw else {}
    if image.info.get("icc_profile"):
        kwargs["icc_profile"] = image.info["icc_profile"]
    if fmt == "JPEG":
        kwargs["quality"] = "keep" if image.format == "JPEG" else 92  # the original quantisation: no visible loss
        frame = image if image.mode in ("RGB", "L", "CMYK") else image.convert("RGB")
    elif fmt == "WEBP":
        kwargs["quality"] = 90
        frame = image
    else:
        frame = image
    buffer = io.BytesIO()
    try:
        frame.save(buffer, fmt, **kwargs)
    except (ValueError, OSError):  # e.g. "keep" on an unusual JPEG: the default quality then
        kwargs.pop("quality", None)
        buffer = io.BytesIO()
        frame.save(buffer, fmt, **{**kwargs, **({"quality": 92} if fmt != "PNG" else {})})
    return buffer.getvalue(), ext


def inspect_upload(upload) -> PhotoInfo:
    """Check an uploaded file and describe it; raises ValidationError with a Chinese message.

    A file already checked on this path (a form's photo field did it) is not decoded twice.
    """
    known = getattr(upload, "photo_info", None)
    if isinstance(known, PhotoInfo):
        return known
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_BYTES:
        raise ValidationError(f"照片“{name}”超过 {MAX_BYTES // 1024 // 1024} MB,请压缩后再上传。")
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure check
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(f"照片“{name}”像素过大,请缩小后再上传。")
        image.load()  # full decode: truncated or fake files fail here
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(f"“{name}”不是有效的图片文件,{ACCEPTED}") from exc
    fmt = image.format
    if fmt not in FORMATS:
        raise ValidationError(f"“{name}”的图片格式({fmt})不支持,{ACCEPTED}")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FORMATS[fmt]:
        raise ValidationError(f"“{name}”的扩展名与内容不符:文件实际是 {fmt} 图片。")
    exif = image.getexif()
    content, extension = reencode(image, exif)
    lat, lon = _gps(exif)
    upright = ImageOps.exif_transpose(image)
    thumb = upright.convert("RGB")
    thumb.thumbnail(THUMB_SIZE)
    buffer = io.BytesIO()
    thumb.save(buffer, "JPEG", quality=80)
    return PhotoInfo(
        format=fmt, width=upright.width, height=upright.height, size=size, dhash=dhash(upright),
        taken_at=_taken_at(exif), latitude=lat, longitude=lon, thumbnail=buffer.getvalue(),
        content=content, extension=extension,
    )  # fmt: skip
