"""Evidence photo checks live in wuzha/lib/photos.py (shared with the sites app's tip-offs); re-exported here."""
from wuzha.lib.photos import (  # noqa: F401
    DUPLICATE_BITS, FORMATS, MAX_BYTES, MAX_PIXELS, THUMB_SIZE, PhotoInfo, bands, dhash, hamming, inspect_upload,
)  # fmt: skip
