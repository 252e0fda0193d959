"""Campaigns are data (N2): name, period, assessment date, scope and the site kinds they cover."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sites.models import Area, Site
from sites.scope import ScopedQuerySet


class CampaignQuerySet(ScopedQuerySet):
    """A campaign is visible to everyone whose part of the tree lies inside or above its scope."""

    scope_area_code = "scope__code"

    def _scoped(self, user, action):
        from sites.scope import user_scope

        scope = user_scope(user, self._perm(action))
        if scope.everything:
            return self
        q = Q(pk__in=[])
        # Inside: the campaign's scope covers the user's area (scope code prefix of the user's prefix).
        for prefix in scope.area_prefixes + sorted({g.site_village_code for g in scope.grants if g.site_village_code}):
            covering = [prefix[:n].ljust(12, "0") for n in (6, 9, 12) if n <= len(prefix)]
            q |= Q(scope__code__in=covering)
            # Above: the user's area covers the campaign's scope (town staff of a village campaign).
            q |= Q(scope__code__startswith=prefix)
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
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

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
