"""Login lockout rules on top of django-axes: the username and IP together, and separately the IP alone.

django-axes 8.3 counts failures per `AXES_LOCKOUT_PARAMETERS` combination but compares every combination
with the one `AXES_FAILURE_LIMIT`. An office behind one address must not be locked out by one person's typos,
so the pair (username, IP) locks at `AXES_FAILURE_LIMIT` (5) and the address alone only at the higher
`WUZHA_IP_FAILURE_LIMIT` (30: someone trying many usernames). `IpAndPairHandler` adds the per-IP count to the
pair count axes computes; `lockout_response` tells the locked user how long the lock lasts.
"""
import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone


def _ip_attempts(request):
    ip = getattr(request, "axes_ip_address", None)
    if not ip:
        return AccessAttempt.objects.none()
    return AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=get_cool_off_threshold(request))


def ip_failures(request) -> int:
    return _ip_attempts(request).aggregate(n=Sum("failures_since_start"))["n"] or 0


class IpAndPairHandler(AxesDatabaseHandler):
    """Locked when the (username, IP) pair reaches AXES_FAILURE_LIMIT or the IP reaches WUZHA_IP_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)  # AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
        if ip_failures(request) >= settings.WUZHA_IP_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))  # axes compares with the pair's limit
        return pair


def minutes_left(request, credentials=None) -> int:
    """Whole minutes until the lock lifts: the cool-off runs from the latest counted failure."""
    username = get_client_username(request, credentials)
    attempts = _ip_attempts(request)
    if ip_failures(request) < settings.WUZHA_IP_FAILURE_LIMIT:
        attempts = attempts.filter(username=username)
    latest = attempts.aggregate(t=Max("attempt_time"))["t"]
    cool_off = get_cool_off(request)
    if latest is None or cool_off is None:
        return math.ceil(cool_off.total_seconds() / 60) if cool_off else 0
    return max(1, math.ceil((latest + cool_off - timezone.now()).total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """The locked-out page (429) with how long the lock lasts (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    context = {"username": get_client_username(request, credentials) or "",
               "minutes_left": minutes_left(request, credentials),
               "cooloff_minutes": round(cool_off.total_seconds() / 60) if cool_off else 0,
               "by_ip": ip_failures(request) >= settings.WUZHA_IP_FAILURE_LIMIT}  # fmt: skip
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
