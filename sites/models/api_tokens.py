"""API tokens: one per client a user sets up; only a SHA-256 of the key is stored, the key is shown once."""
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

KEY_PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A fresh random key, e.g. `wz_3fa1b2c4_...`; its first characters after `wz_` are the visible prefix."""
    return f"wz_{secrets.token_hex(KEY_PREFIX_LENGTH // 2)}_{secrets.token_urlsafe(32)}"


class ApiTokenQuerySet(models.QuerySet):
    """A token is seen and revoked by its owner, and by administrators (is_staff)."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.is_staff:
            return self
        return self.filter(user=user)

    def editable_by(self, user):
        return self.visible_to(user)

    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=60, help_text="如“县平台数据对接”,便于日后识别和吊销")
    prefix = models.CharField("前缀", max_length=KEY_PREFIX_LENGTH, db_index=True)
    hashed_key = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name}({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def mark_used(self) -> None:
        """Record use at most once a minute, so busy clients do not write on every request."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
