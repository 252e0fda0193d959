"""Campaigns are data (N2): name, period, assessment date, scope and the site kinds they cover."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from sites.models import Area, Site
from sites.scope import ScopedQuerySet, user_scope


class CampaignQuerySet(ScopedQuerySet):
    """Who sees which campaign (see `_scoped`)."""

    scope_area_code = "scope__code"

    def _scoped(self, user, action):
        """Staff, cadres, inspectors: visible when the campaign's scope covers their area (above it) or
        lies inside it. Liaisons: the campaigns their site is enrolled in.

        Writes (`change`) keep the plain subtree rule: town staff do not edit a county campaign.
        """
        scope = user_scope(user, self._perm(action))
        if scope.everything or action != "view":
            return super()._scoped(user, action)
        prefixes = scope.area_prefixes
        # Codes of the user's own area and of every area above it (county 6, town 9, village 12 digits).
        covering = sorted({p[:n].ljust(12, "0") for p in prefixes for n in (6, 9, 12) if n <= len(p)})
        q = Q(scope__code__in=covering)
        for prefix in prefixes:
            q |= Q(scope__code__startswith=prefix)
        if scope.site_ids:
            from .enrolment import Enrolment

            q |= Q(pk__in=Enrolment.objects.filter(site__in=scope.site_ids).values("campaign"))
        return self.filter(q)

    def running_on(self, day):
        return self.filter(status=Campaign.Status.RUNNING, starts_on__lte=day, ends_on__gte=day)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        RUNNING = "running", "进行中"
        CLOSED = "closed", "已结束"

    name = models.CharField("活动名称", max_length=100)
    document_no = models.CharField("文号", max_length=50, blank=True)
    scope = models.ForeignKey(Area, verbose_name="范围", on_delete=models.PROTECT, related_name="campaigns")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    assessment_on = models.DateField("考核日期")
    site_kinds = models.JSONField("创建单位类型", default=list, help_text="参与创建的单位类型,如 village、campus")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    rules = models.JSONField(
        "考核规则设置", default=dict, blank=True, help_text="各项义务规则的开关与参数,见 campaigns/obligations.py"
    )
    issuing_office = models.CharField(
        "发文单位", max_length=100, blank=True, help_text="考核报告的发文单位;留空则为“范围名称+综治办”,如“东桥镇综治办”"
    )
    report_issued_on = models.DateField("成文日期", null=True, blank=True, help_text="考核报告的成文日期;留空则为考核截止日期")
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = verbose_name_plural = "创建活动"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_order"),
            models.UniqueConstraint(fields=["scope", "name"], name="campaign_unique_name_per_scope"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        kinds = set(Site.Kind.values)
        bad = [k for k in self.site_kinds or [] if k not in kinds]
        if bad:
            raise ValidationError({"site_kinds": f"未知的创建单位类型:{'、'.join(bad)}。"})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
        if self.assessment_on and self.ends_on and self.assessment_on < self.starts_on:
            raise ValidationError({"assessment_on": "考核日期不能早于开始日期。"})

    def contains(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("campaigns:campaign_detail", args=[self.pk])


class CampaignStatusChange(models.Model):
    """Each opening, closing and reopening of a campaign: who, when, why."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=10, choices=Campaign.Status.choices)
    to_status = models.CharField("新状态", max_length=10, choices=Campaign.Status.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动状态变更"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.campaign}:{self.get_from_status_display()} → {self.get_to_status_display()}"
