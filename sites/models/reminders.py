"""A user's reminders (提醒): produced by the daily jobs of every app, read and cleared by their owner.

One row per user and key: the key names the occurrence (e.g. one enterprise's visit for one month), so a
job that runs twice finds the row and adds nothing. A reminder belongs to one user and nobody else sees it.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class ReminderQuerySet(models.QuerySet):
    """Scope: a user sees and changes only their own reminders (no role reaches another's)."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def editable_by(self, user):
        return self.visible_to(user)

    def live(self):
        """Shown to the user: neither cleared by them nor resolved (the work got done)."""
        return self.filter(cleared_at__isnull=True, resolved_at__isnull=True)

    def unread(self):
        return self.live().filter(read_at__isnull=True)


class Reminder(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE_VISIT = "enterprise_visit", "企业走访"
        SCHOOL_EVENT = "school_event", "学校集中宣传"
        RECTIFICATION = "rectification", "整改期限"
        KEYPERSON = "keyperson", "重点人员跟进"
        ABROAD = "abroad", "滞留境外人员劝返"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    key = models.CharField("去重键", max_length=120)
    title = models.CharField("提醒内容", max_length=200)
    url = models.CharField("办理入口", max_length=300, blank=True)
    due_on = models.DateField("期限", null=True, blank=True)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    cleared_at = models.DateTimeField("清除时间", null=True, blank=True)
    resolved_at = models.DateTimeField("已办结时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_unique_user_key")]
        indexes = [
            models.Index(
                fields=["user", "created_at"], name="reminder_unread_idx",
                condition=Q(read_at__isnull=True, cleared_at__isnull=True, resolved_at__isnull=True),
            ),
            models.Index(fields=["kind", "resolved_at"], name="reminder_kind_idx"),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sites:reminder_open", args=[self.pk])
