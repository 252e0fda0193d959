"""Idle and absolute session timeouts (MLPS 2.0 会话管理), enforced on the server.

The login time and the last activity are stored in the session. A request after 30 minutes of
inactivity, or 8 hours after login, ends the session and sends the user back to the login page.
"""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

LOGIN_AT = "_wuzha_login_at"
SEEN_AT = "_wuzha_seen_at"
# Write the activity time at most once a minute, so reading pages does not save the session each time.
SEEN_RESOLUTION = 60


def now() -> float:
    """The clock; tests move it with monkeypatch."""
    return time.time()


def stamp_login(session) -> None:
    session[LOGIN_AT] = session[SEEN_AT] = int(now())


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self.expired(request.session)
            if expired:
                request._wuzha_logout_kind, request._wuzha_logout_detail = "timeout", expired
                logout(request)  # flushes the session and sends user_logged_out (audited)
                messages.info(request, expired)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)

    @staticmethod
    def expired(session) -> str:
        t = int(now())
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if login_at is None:  # a session from before this middleware, or force_login in tests
            session[LOGIN_AT] = session[SEEN_AT] = t
            return ""
        if t - login_at > settings.WUZHA_SESSION_ABSOLUTE_SECONDS:
            hours = settings.WUZHA_SESSION_ABSOLUTE_SECONDS // 3600
            return f"登录已超过 {hours} 小时,请重新登录。"
        if t - seen_at > settings.WUZHA_SESSION_IDLE_SECONDS:
            minutes = settings.WUZHA_SESSION_IDLE_SECONDS // 60
            return f"已有 {minutes} 分钟无操作,为保护数据安全已自动退出,请重新登录。"
        if t - seen_at >= SEEN_RESOLUTION:
            session[SEEN_AT] = t
        return ""
