"""Keyset ("seek") pagination: constant cost for the first page and the last, unlike OFFSET.

The list is ordered by (key, pk) in one direction; a cursor "value|pk" marks where a page ends.
"""
from dataclasses import dataclass
from datetime import date

from django.db.models import Q


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None
    is_first: bool
    is_last: bool


def _encode(row, key: str) -> str:
    value = getattr(row, key)
    return f"{value.isoformat() if hasattr(value, 'isoformat') else value}|{row.pk}"


def _decode(cursor: str, key_type) -> tuple | None:
    try:
        value, pk = cursor.rsplit("|", 1)
        return key_type.fromisoformat(value), int(pk)
    except (ValueError, TypeError):
        return None


def keyset_page(qs, *, key: str, descending: bool, size: int, after: str = "", before: str = "", last=False,
                key_type=date) -> KeysetPage:  # fmt: skip
    """One page of `qs` ordered by (key, pk); `after`/`before` cursors, or `last` for the final page."""
    forward = [f"-{key}", "-pk"] if descending else [key, "pk"]
    backward = [key, "pk"] if descending else [f"-{key}", "-pk"]
    gt, lt = ("lt", "gt") if descending else ("gt", "lt")
    after_key = _decode(after, key_type) if after else None
    before_key = _decode(before, key_type) if before else None
    if before_key:
        v, pk = before_key
        rows = list(qs.filter(Q(**{f"{key}__{lt}": v}) | Q(**{key: v, f"pk__{lt}": pk})).order_by(*backward)[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, _encode(rows[-1], key) if rows else None,
                          _encode(rows[0], key) if rows and more_before else None, not more_before, False)  # fmt: skip
    if last:
        rows = list(qs.order_by(*backward)[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, None, _encode(rows[0], key) if rows and more_before else None, not more_before, True)
    if after_key:
        v, pk = after_key
        qs = qs.filter(Q(**{f"{key}__{gt}": v}) | Q(**{key: v, f"pk__{gt}": pk}))
    rows = list(qs.order_by(*forward)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, _encode(rows[-1], key) if rows and more else None,
                      _encode(rows[0], key) if rows and after_key else None, not after_key, not more)  # fmt: skip
