"""Evidence flags (pure): signs that a record deserves a second look. They never block entry."""
from datetime import date, datetime, timedelta

LATE_ENTRY_DAYS = 14  # entered more than two weeks after the activity
EXIF_TOLERANCE_DAYS = 3  # photo taken more than three days away from the activity date
BURST_WINDOW = timedelta(hours=1)
BURST_COUNT = 10  # this many records by one person within the window is a burst of back-filling


def is_late_entry(activity_on: date, entered_on: date, days: int = LATE_ENTRY_DAYS) -> bool:
    return (entered_on - activity_on).days > days


def is_exif_mismatch(taken_on: date | None, activity_on: date, days: int = EXIF_TOLERANCE_DAYS) -> bool:
    return taken_on is not None and abs((taken_on - activity_on).days) > days


def is_burst(recent_entries: list[datetime], now: datetime, window=BURST_WINDOW, count: int = BURST_COUNT) -> bool:
    """True when `count` or more entries (this one included) fall within `window` before `now`."""
    return sum(1 for t in recent_entries if now - window <= t <= now) + 1 >= count
