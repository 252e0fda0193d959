"""Audit trail: authentication events, open sessions per user, and the history of business records.

History of every business record (django-simple-history). Any app opts its models in at the end of
its models module (imports point one way, so this is allowed from campaigns and inspections):

    from sites.models.audit import track
    track(Campaign, Activity)                     # then `makemigrations <app>`

and a form that asks for a reason passes it on with `record_reason(instance, reason)` before the
service saves. Each change keeps the full row after the change (before = the previous row), who
made it (`history_user`), when (`history_date`) and the request id of the web request.
"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.dispatch import receiver
from simple_history import register
from simple_history.manager import HistoricalQuerySet
from simple_history.signals import pre_create_historical_record

from wuzha.lib.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from wuzha.lib.crypto import EncryptedCharField
from wuzha.lib.request_id import get_request_id

from .tree import Area, Membership, Site


class AuthEventQuerySet(AppendOnlyQuerySet):
    time_field = "created_at"


class AuthEvent(AppendOnlyModel):
    """One authentication event (MLPS 2.0 安全审计): who, when, from where, what, and the result."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        FAILURE = "failure", "登录失败"
        LOCKOUT = "lockout", "账号锁定"
        LOGOUT = "logout", "退出登录"
        TIMEOUT = "timeout", "会话超时"
        UNLOCK = "unlock", "解除锁定"
        SESSIONS_ENDED = "sessions_ended", "结束会话"
        DEMO_REFUSED = "demo_refused", "拒绝演示账号"
        PASSWORD_CHANGED = "password_changed", "修改密码"
        DEACTIVATED = "deactivated", "停用账号"
        TOTP_ENROLLED = "totp_enrolled", "绑定动态口令"

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("事件", max_length=20, choices=Kind.choices, db_index=True)
    success = models.BooleanField("结果成功", default=True)
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=200, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    detail = models.CharField("说明", max_length=200, blank=True)

    objects = AuthEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "登录审计"
        ordering = ["-created_at", "-pk"]
        permissions = [("unlock_user", "解除登录锁定并结束用户会话")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


class UserSession(models.Model):
    """A login's session key, so a user's sessions can be ended without scanning the session table."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="tracked_sessions")  # fmt: skip
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    created_at = models.DateTimeField("登录时间", auto_now_add=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "在线会话"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class HistoryQuerySet(HistoricalQuerySet, AppendOnlyQuerySet):
    time_field = "history_date"


class AuditedHistory(AppendOnlyModel):
    """Extra columns of every history table (django-simple-history `bases`): the request id.

    History rows are append-only like the other audit tables (see `HistoryQuerySet`).
    """

    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        abstract = True


_HISTORY_MODELS: list = []


def track(*models_, app: str | None = None, exclude: tuple[str, ...] = ()) -> None:
    """Keep the history of these models in append-only tables of their own app (or `app`)."""
    for model in models_:
        if "history" in model.__dict__:
            continue
        register(model, bases=[AuditedHistory], historical_queryset=HistoryQuerySet,
                 app=app or model._meta.app_label, excluded_fields=list(exclude),
                 verbose_name=f"{model._meta.verbose_name}变更记录",
                 verbose_name_plural=f"{model._meta.verbose_name}变更记录")  # fmt: skip
        _HISTORY_MODELS.append(model.history.model)


def tracked_history_models() -> list:
    """The history tables of every tracked model (for the purge and the audit pages)."""
    return list(_HISTORY_MODELS)


def record_reason(instance, reason: str) -> None:
    """Attach the reason a form asked for; stored as the history row's change reason."""
    instance._change_reason = (reason or "")[:100]


@receiver(pre_create_historical_record)
def _stamp_request_id(sender, history_instance, **kwargs):
    if hasattr(history_instance, "request_id") and not history_instance.request_id:
        history_instance.request_id = get_request_id()


track(Area, Site, Membership)
# Accounts too (who was made staff, deactivated, renamed), never their password hashes.
track(get_user_model(), app="sites", exclude=("password", "last_login"))


class TotpDevice(models.Model):
    """A user's TOTP authenticator (second factor); required for staff when WUZHA_REQUIRE_2FA_FOR_STAFF is on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="totp_device")  # fmt: skip
    # Encrypted at rest like ID numbers (Fernet under WUZHA_PII_KEYS; rotated by rotate_pii_keys).
    secret = EncryptedCharField("密钥")
    created_at = models.DateTimeField("绑定时间", auto_now_add=True)
    last_step = models.BigIntegerField("最近使用的时间片", default=0)  # a code is accepted once only

    class Meta:
        verbose_name = verbose_name_plural = "动态口令设备"

    def __str__(self):
        return f"{self.user} 的动态口令"


class TaskOutbox(models.Model):
    """A background task that could not reach the broker (Redis down): kept here, sent later, never lost."""

    task = models.CharField("任务", max_length=200)
    args = models.JSONField("参数", default=list)
    kwargs = models.JSONField("命名参数", default=dict)
    created_at = models.DateTimeField("产生时间", auto_now_add=True)
    attempts = models.PositiveIntegerField("发送次数", default=1)
    last_error = models.CharField("最近错误", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待发送任务"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task} #{self.pk}"
