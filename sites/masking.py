"""The one masking rule for personal data, used by pages, exports, the API and reports.

`MASKED_FIELDS` says which fields of which model are personal and how each is masked; `mask(value, kind)` masks
a value (ID numbers keep the first 3 and last 4 characters, so the birth date never shows; phones 138****5678;
names the first character). A page, an export column, an API field or a report cell showing one of these fields
goes through `masked(obj, field)` (or `mask`), so none of them shows more than another. Full values only through
the logged full view (`sites.view_full_pii` + a reason).
"""
from .idcard import mask_id, mask_phone


def mask_name(value: str) -> str:
    value = str(value or "")
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""


def mask_text(value: str) -> str:
    value = str(value or "")
    keep = max(len(value) // 4, 1)
    return value[:keep] + "*" * (len(value) - keep) if value else ""


MASKS = {"id_number": mask_id, "phone": mask_phone, "name": mask_name, "text": mask_text}

# (app_label.model_name) → {field: kind}. Personal fields only: the pages' masks, the exports', the API's.
MASKED_FIELDS: dict[str, dict[str, str]] = {
    "sites.keyperson": {"id_number": "id_number", "phone": "phone", "phone_alt": "phone"},
    "sites.relative": {"phone": "phone"},
    "sites.premises": {"manager_phone": "phone"},
    "sites.tipoff": {"contact_name": "name", "contact_phone": "phone"},
}


def mask(value, kind: str = "text") -> str:
    if value in (None, ""):
        return ""
    return MASKS[kind](str(value))


def masked(obj, field: str) -> str:
    """The masked value of `obj.field` by the rule for its model."""
    kind = MASKED_FIELDS[obj._meta.label_lower][field]
    return mask(getattr(obj, field), kind)


def is_mask_of(text: str, value: str, kind: str) -> bool:
    """Whether `text` is what the rule shows of `value` (an export read back: keep the stored value)."""
    return bool(text) and "*" in text and mask(value, kind) == text
