"""Audit services: authentication events, ending sessions, unlocking, demo accounts, the purge.

Signal receivers (connected in SitesConfig.ready via `connect()`) turn Django's and django-axes'
login signals into `AuthEvent` rows; everything else goes through the `<entity>_<verb>` services.
"""
import ipaddress
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from wuzha.lib.request_id import get_request_id
from wuzha.lib.sessions import stamp_login

from .models.audit import AuthEvent, UserSession, tracked_history_models

Kind = AuthEvent.Kind


def client_ip(request) -> str | None:
    if request is None:
        return None
    # django-axes resolves the client address (proxy settings included) and leaves it on the request.
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


def _current_request():
    return getattr(HistoricalRecords.context, "request", None)


def auth_event_record(*, kind: str, request=None, user=None, username: str = "", actor=None,
                      success: bool = True, detail: str = "") -> AuthEvent:  # fmt: skip
    """Append one authentication event; the request gives IP, browser and request id."""
    ua = request.headers.get("User-Agent", "")[:200] if request is not None else ""
    ip = client_ip(request)
    try:
        ipaddress.ip_address(ip or "")
    except ValueError:
        ip = None  # never let an odd proxy header break a login
    event = AuthEvent(
        kind=kind, success=success, user=user, actor=actor, detail=detail[:200],
        username=(username or (user.get_username() if user is not None else ""))[:150],
        ip=ip, user_agent=ua, request_id=get_request_id(),
    )  # fmt: skip
    event.full_clean()
    event.save()
    return event


def sessions_end(*, user, keep: str | None = None) -> int:
    """End every tracked session of `user` except `keep`; returns how many ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in UserSession.objects.filter(user=user).exclude(session_key=keep or ""):
        store(session_key=row.session_key).delete()
        row.delete()
        ended += 1
    return ended


@transaction.atomic
def user_sessions_end(*, actor, user, request=None) -> int:
    """Staff end all sessions of a user (e.g. a lost phone); logged with the actor."""
    ended = sessions_end(user=user)
    auth_event_record(kind=Kind.SESSIONS_ENDED, request=request, user=user, actor=actor,
                      detail=f"由 {actor.get_username()} 结束 {ended} 个会话")  # fmt: skip
    return ended


@transaction.atomic
def user_unlock(*, actor, username: str, request=None) -> int:
    """Staff lift a lockout of a username (all its failed attempts are forgotten); logged."""
    from axes.utils import reset

    removed = reset(username=username)
    user = get_user_model().objects.filter(username=username).first()
    auth_event_record(kind=Kind.UNLOCK, request=request, user=user, username=username, actor=actor,
                      detail=f"由 {actor.get_username()} 解除锁定")  # fmt: skip
    return removed


@transaction.atomic
def ip_unlock(*, actor, ip: str, request=None) -> int:
    from axes.utils import reset

    removed = reset(ip=ip)
    auth_event_record(kind=Kind.UNLOCK, request=request, actor=actor, detail=f"由 {actor.get_username()} 解除 IP {ip} 的锁定")
    return removed


def is_demo_account(user) -> bool:
    return user is not None and user.groups.filter(name=settings.WUZHA_DEMO_GROUP).exists()


def demo_logins_allowed() -> bool:
    return settings.DEBUG or settings.WUZHA_ALLOW_DEMO_LOGINS


def demo_accounts_flag(usernames) -> None:
    """Put seeded demo users in the 演示账号 group, which is refused login in production. Idempotent."""
    group, _ = Group.objects.get_or_create(name=settings.WUZHA_DEMO_GROUP)
    group.user_set.add(*get_user_model().objects.filter(username__in=list(usernames)))


def audit_purge(*, now=None) -> dict[str, int]:
    """Delete audit rows older than the retention (≥ 180 days); younger rows are never touched."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WUZHA_AUDIT_RETENTION_DAYS)
    counts = {"登录审计": AuthEvent.objects.purge_older_than(cutoff)}
    for model in tracked_history_models():
        counts[str(model._meta.verbose_name)] = model.objects.purge_older_than(cutoff)
    return counts


# --- signal receivers -----------------------------------------------------------------------------


def _on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    stamp_login(request.session)
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "ip": client_ip(request), "user_agent": request.headers.get("User-Agent", "")[:200]},
    )
    auth_event_record(kind=Kind.LOGIN, request=request, user=user)


def _on_logout(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    kind = getattr(request, "_wuzha_logout_kind", Kind.LOGOUT)
    detail = getattr(request, "_wuzha_logout_detail", "")
    if user is not None:
        auth_event_record(kind=kind, request=request, user=user, detail=detail)


def _on_failure(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    locked = request is not None and getattr(request, "axes_locked_out", False)
    auth_event_record(kind=Kind.FAILURE, request=request, username=username, success=False,
                      detail="账号或 IP 已被锁定" if locked else "用户名或密码错误")  # fmt: skip


def _on_lockout(sender, request, username, ip_address, **kwargs):
    auth_event_record(kind=Kind.LOCKOUT, request=request, username=username or "", success=False,
                      detail=f"连续失败 {settings.AXES_FAILURE_LIMIT} 次,锁定 {settings.AXES_COOLOFF_TIME}")  # fmt: skip


def _before_user_save(sender, instance, update_fields=None, **kwargs):
    instance._wuzha_was = None
    if update_fields is not None and set(update_fields) == {"last_login"}:
        instance.skip_history_when_saving = True  # a login is an AuthEvent, not a change of the account
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    instance._wuzha_was = sender.objects.filter(pk=instance.pk).values("is_active", "password").first()


def _after_user_save(sender, instance, created, **kwargs):
    instance.__dict__.pop("skip_history_when_saving", None)
    was = getattr(instance, "_wuzha_was", None)
    if not was:
        return
    request = _current_request()
    actor = request.user if request is not None and request.user.is_authenticated else None
    if was["is_active"] and not instance.is_active:
        ended = sessions_end(user=instance)
        auth_event_record(kind=Kind.DEACTIVATED, request=request, user=instance, actor=actor,
                          detail=f"账号停用,结束 {ended} 个会话")  # fmt: skip
    elif was["password"] != instance.password:
        # The user's own current session survives a change on the password page; all others end.
        keep = request.session.session_key if actor is not None and actor.pk == instance.pk else None
        ended = sessions_end(user=instance, keep=keep)
        auth_event_record(kind=Kind.PASSWORD_CHANGED, request=request, user=instance, actor=actor,
                          detail=f"密码已修改,结束其他 {ended} 个会话")  # fmt: skip


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_on_login, dispatch_uid="wuzha_audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="wuzha_audit_logout")
    user_login_failed.connect(_on_failure, dispatch_uid="wuzha_audit_failure")
    user_locked_out.connect(_on_lockout, dispatch_uid="wuzha_audit_lockout")
    User = get_user_model()
    pre_save.connect(_before_user_save, sender=User, dispatch_uid="wuzha_audit_user_pre")
    post_save.connect(_after_user_save, sender=User, dispatch_uid="wuzha_audit_user_post")
