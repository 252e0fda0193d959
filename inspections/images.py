"""Inspection evidence photos go through the one photo path (wuzha/lib/photos.py); here only what an
`Evidence` row keeps of a checked photo: its EXIF time (China time) and place."""
import datetime

from wuzha.lib.photos import PhotoInfo, inspect_upload  # noqa: F401  (the photo path, for the services)

CHINA = datetime.timezone(datetime.timedelta(hours=8))


def evidence_facts(info: PhotoInfo) -> dict:
    """taken_at, latitude, longitude of a checked photo, for an Evidence row."""
    taken = info.taken_at.replace(tzinfo=CHINA) if info.taken_at else None
    return {"taken_at": taken, "latitude": info.latitude, "longitude": info.longitude}


def check_image(upload) -> dict:
    """Check an uploaded photo on the photo path and return what its EXIF says (taken_at, latitude, longitude)."""
    return evidence_facts(inspect_upload(upload))
