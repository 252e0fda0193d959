"""Rectification (整改): a finding raises a task for the site; the site answers; staff or the inspector verify."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from sites.models import Site
from sites.scope import ScopedQuerySet

from .inspection import Inspection
from .standard import StandardItem


class RectificationQuerySet(ScopedQuerySet):
    scope_area_code = "site__village__code"
    scope_site = "site"

    def open(self):
        return self.exclude(status=Rectification.Status.VERIFIED)

    def overdue(self, today: datetime.date):
        return self.open().filter(deadline__lt=today)


class Rectification(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        RESPONDED = "responded", "已反馈待验收"
        VERIFIED = "verified", "已验收"

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="rectifications"
    )
    item = models.ForeignKey(
        StandardItem, verbose_name="评分项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(Site, verbose_name="创建单位", on_delete=models.PROTECT, related_name="rectifications")
    finding = models.TextField("问题")
    points_deducted = models.DecimalField("扣分", max_digits=6, decimal_places=2, default=0)
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField("整改情况", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField("反馈时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField("验收时间", null=True, blank=True)
    verify_note = models.TextField("验收意见", blank=True)
    points_restored = models.DecimalField("复查恢复分值", max_digits=6, decimal_places=2, default=0)
    escalated_at = models.DateTimeField("逾期上报时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "整改任务"
        ordering = ["deadline", "pk"]
        permissions = [
            ("respond_rectification", "可反馈整改情况"),
            ("verify_rectification", "可验收整改"),
        ]

    def __str__(self):
        return f"{self.site} · {self.finding[:20]}"

    def get_absolute_url(self):
        return reverse("inspections:rectification_detail", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        today = today or datetime.date.today()
        return self.status != self.Status.VERIFIED and self.deadline < today
