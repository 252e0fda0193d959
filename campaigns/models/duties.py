"""School duties (N3.4), enterprise visits (N3.5) and village obligations (N6.1–N6.4)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sites.models import Area, Site
from sites.scope import ScopedQuerySet
from wuzha.lib.media import RandomName
from wuzha.lib.uploads import DocumentField, PhotoField
from wuzha.lib.validators import not_in_future

from .campaign import Campaign

_by = dict(null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class SiteScopedQuerySet(ScopedQuerySet):
    scope_area_code = "site__village__code"
    scope_site = "site"


class SchoolDuty(models.Model):
    """A campus's standing duties in one campaign (N3.4); its concentrated events are Activities."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, verbose_name="学校", on_delete=models.PROTECT, related_name="school_duties",
        limit_choices_to={"kind": Site.Kind.CAMPUS},
    )  # fmt: skip
    column_url = models.URLField("学校官网反诈专栏网址", blank=True)
    rules_clause = models.BooleanField("校纪校规已列入刷单、买卖电话卡和银行卡", default=False)
    rules_document = DocumentField("校纪校规文件", upload_to=RandomName("duties/school"), blank=True)
    parents_total = models.PositiveIntegerField("家长人数(约)", null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更新人", **_by)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = SiteScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "学校创建任务"
        constraints = [models.UniqueConstraint(fields=["campaign", "site"], name="school_duty_unique")]

    def __str__(self):
        return f"{self.site} · 学校任务"

    def file_url(self, field: str) -> str:
        return reverse("campaigns:school_duty_file", args=[self.site_id, self.pk])

    def clean(self):
        if self.site_id and self.site.kind != Site.Kind.CAMPUS:
            raise ValidationError({"site": "学校任务只能登记在校园类创建单位。"})


class EnterpriseVisit(models.Model):
    """A monthly visit of the safety office (安办) to an enterprise (N3.5), with its checklist."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, verbose_name="企业", on_delete=models.PROTECT, related_name="enterprise_visits",
        limit_choices_to={"kind": Site.Kind.ENTERPRISE},
    )  # fmt: skip
    visited_on = models.DateField("走访日期", validators=[not_in_future])
    visitors = models.CharField("走访人员", max_length=100)
    methods_pushed = models.TextField("推送的诈骗手法与防范措施(联席办发布)")
    new_hires = models.PositiveIntegerField("近期新招员工数", default=0)
    finance_controls = models.BooleanField("已督促完善财务管理制度", default=False)
    owners_educated = models.BooleanField("已对负责人、财务人员开展宣传教育", default=False)
    risk_screening = models.BooleanField("已开展风险排查", default=False)
    notes = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", **_by)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = SiteScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = verbose_name_plural = "安办走访企业"
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.visited_on} {self.site}"

    def clean(self):
        if self.site_id and self.site.kind != Site.Kind.ENTERPRISE:
            raise ValidationError({"site": "走访记录只能登记在企业类创建单位。"})
        if self.campaign_id and self.visited_on and not self.campaign.contains(self.visited_on):
            raise ValidationError({"visited_on": "走访日期须在活动期间内。"})


class VillageDutyQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"
    scope_site_village_code = "village__code"  # liaisons see their village's plan and ceremony


class VillageDuty(models.Model):
    """A village obligation (N6.1–N6.4): work plan, office, launch ceremony, observation visit, summary."""

    class Kind(models.TextChoices):
        PLAN = "plan", "工作方案"  # N6.1
        OFFICE = "office", "工作专班(办事机构)"  # N6.1
        LAUNCH = "launch", "启动仪式"  # N6.2
        OBSERVATION = "observation", "观摩学习"  # N6.3
        SUMMARY = "summary", "活动总结"  # N6.4

    SINGLE = (Kind.PLAN, Kind.OFFICE, Kind.LAUNCH, Kind.SUMMARY)

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Area, verbose_name="村/社区", on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": Area.Level.VILLAGE},
    )  # fmt: skip
    kind = models.CharField("事项", max_length=12, choices=Kind.choices)
    done_on = models.DateField("完成日期", validators=[not_in_future])
    document = DocumentField("文件", upload_to=RandomName("duties/village"), blank=True)
    members = models.TextField("成员(工作专班)", blank=True)
    photo = PhotoField("照片", upload_to=RandomName("duties/village"), blank=True)
    host_site = models.ForeignKey(
        Site, verbose_name="观摩的示范单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visitors = models.CharField("参加观摩人员/单位", max_length=200, blank=True)
    notes = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", **_by)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = VillageDutyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = verbose_name_plural = "村级工作事项"
        ordering = ["village__code", "kind", "-done_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "village", "kind"], condition=~Q(kind="observation"), name="village_duty_once"
            )
        ]

    def __str__(self):
        return f"{self.village} · {self.get_kind_display()}"

    def file_url(self, field: str) -> str:
        return reverse("campaigns:village_duty_file", args=[self.pk, field])

    def clean(self):
        if self.kind == self.Kind.OFFICE and not self.members.strip():
            raise ValidationError({"members": "请填写工作专班成员。"})
        if self.kind == self.Kind.OBSERVATION and not (self.host_site_id and self.visitors.strip()):
            raise ValidationError({"host_site": "观摩学习须选择示范单位并填写参加人员。"})
        if self.kind in (self.Kind.PLAN, self.Kind.SUMMARY) and not self.document:
            raise ValidationError({"document": f"请上传{self.get_kind_display()}文件。"})
