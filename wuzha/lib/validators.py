"""Validators shared by every app. `not_in_future`: a record of something that happened cannot be dated later
than today (key-person measures, sweeps, activities, incidents, visits, tip-offs …); one rule, one message."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

FUTURE_MESSAGE = "日期不能晚于今天"


def not_in_future(value) -> None:
    """Refuse a date (or datetime) after today in the site's time zone (Asia/Shanghai)."""
    if value is None or value == "":
        return
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) and timezone.is_aware(value) else value
    if isinstance(day, dt.datetime):
        day = day.date()
    if day > timezone.localdate():
        raise ValidationError(FUTURE_MESSAGE, code="future")
