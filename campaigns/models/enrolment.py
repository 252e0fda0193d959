"""Enrolment (申报创建): a site joins a campaign and moves through the statuses of campaigns/enrolment_flow.py."""
import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from sites.models import Site
from sites.scope import ScopedQuerySet
from wuzha.lib.validators import not_in_future

from .campaign import Campaign


class EnrolmentQuerySet(ScopedQuerySet):
    scope_area_code = "site__village__code"
    scope_site = "site"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "申报"
        BUILDING = "building", "创建中"
        AWAITING = "awaiting", "待验收"
        NAMED = "named", "已命名"
        FAILED = "failed", "未通过"

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="enrolments")
    site = models.ForeignKey(Site, verbose_name="创建单位", on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField("申报日期", validators=[not_in_future])
    survey_token = models.UUIDField("问卷二维码标识", default=uuid.uuid4, unique=True, editable=False)
    is_demo = models.BooleanField("演示数据", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EnrolmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "申报创建"
        ordering = ["site__village__code", "site__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "site"], name="enrolment_unique_site_per_campaign")]

    def __str__(self):
        return f"{self.site} · {self.campaign}"


class EnrolmentChange(models.Model):
    """One status change of an enrolment: who, when, why."""

    enrolment = models.ForeignKey(Enrolment, verbose_name="申报", on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField("原状态", max_length=10, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=Enrolment.Status.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "申报状态变更"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.enrolment}:{self.from_status or '—'} → {self.to_status}"
