"""Photo checks: real image type and size with Pillow (Chinese errors), and the EXIF time and place."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
EXIF_IFD, GPS_IFD, DATETIME_ORIGINAL = 0x8769, 0x8825, 0x9003


def check_image(upload) -> dict:
    """Validate an uploaded photo and return what its EXIF says: taken_at, latitude, longitude."""
    if upload.size > MAX_BYTES:
        raise ValidationError(f"照片“{upload.name}”超过 10 MB,请压缩后再上传。")
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format
            width, height = img.size
            img.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            exif = img.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(f"“{upload.name}”不是有效的图片文件,请上传 JPG、PNG 或 WEBP 照片。") from exc
    finally:
        upload.seek(0)
    if fmt not in FORMATS:
        raise ValidationError(f"“{upload.name}”的格式({fmt})不支持,请上传 JPG、PNG 或 WEBP 照片。")
    if width * height > MAX_PIXELS:
        raise ValidationError(f"照片“{upload.name}”分辨率过大({width}×{height}),请缩小后再上传。")
    return _exif_facts(exif)


def _exif_facts(exif) -> dict:
    facts = {"taken_at": None, "latitude": None, "longitude": None}
    try:
        raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(0x0132)
        if raw:
            facts["taken_at"] = datetime.datetime.strptime(str(raw).strip("\x00"), "%Y:%m:%d %H:%M:%S").replace(
                tzinfo=datetime.timezone(datetime.timedelta(hours=8))
            )
        gps = exif.get_ifd(GPS_IFD)
        if gps.get(2) and gps.get(4):
            lat, lon = _degrees(gps[2]), _degrees(gps[4])
            facts["latitude"] = -lat if gps.get(1) == "S" else lat
            facts["longitude"] = -lon if gps.get(3) == "W" else lon
    except (ValueError, TypeError, KeyError, ZeroDivisionError):
        pass  # unreadable EXIF is not an error: the photo itself is valid
    return facts


def _degrees(dms) -> Decimal:
    d, m, s = (float(x) for x in dms)
    return Decimal(str(round(d + m / 60 + s / 3600, 6)))
