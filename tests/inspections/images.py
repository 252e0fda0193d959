"""Real image bytes for upload tests (Pillow), with optional EXIF time and GPS."""

import io

from PIL import Image


def jpeg_bytes(size=(64, 48), exif_time: str | None = None, gps: tuple | None = None) -> bytes:
    img = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    if exif_time:
        exif.get_ifd(0x8769)[0x9003] = exif_time
    if gps:
        lat, lon = gps
        exif.get_ifd(0x8825).update({1: "N", 2: (float(lat), 0.0, 0.0), 3: "E", 4: (float(lon), 0.0, 0.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    return out.getvalue()
