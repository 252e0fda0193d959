"""The assessment (平安考核): rules per campaign (versioned), runs with their state in the database,
per-village results (one row per run and village, so re-running a village replaces instead of duplicating),
title confirmations (命名) and appeals (复核)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from campaigns.models import Campaign
from sites.models import Area, Site
from sites.scope import ScopedQuerySet
from wuzha.lib.media import RandomName
from wuzha.lib.uploads import DocumentField, SpreadsheetField


class AssessmentRulesQuerySet(ScopedQuerySet):
    scope_area_code = "campaign__scope__code"


class AssessmentRules(models.Model):
    """The rules of one campaign's assessment; a change is a new version, old runs keep theirs."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="assessment_rules")
    version = models.PositiveIntegerField("版本", default=1)
    rules = models.JSONField("考核规则", default=dict, blank=True, help_text="空则使用默认规则(见报告“规则说明”)")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = AssessmentRulesQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核规则"
        ordering = ["campaign", "-version"]
        constraints = [models.UniqueConstraint(fields=["campaign", "version"], name="assessment_rules_unique_version")]

    def __str__(self):
        return f"{self.campaign} 考核规则 v{self.version}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from inspections.assessment.rules import validate

        try:
            validate(self.rules or {})
        except ValueError as exc:
            raise ValidationError({"rules": str(exc)}) from exc


class AssessmentRunQuerySet(ScopedQuerySet):
    scope_area_code = "scope__code"


class AssessmentRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "计算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    class Stage(models.TextChoices):
        QUEUED = "queued", "等待开始"
        VILLAGES = "villages", "逐村计算"
        MERGE = "merge", "汇总排名"
        FILES = "files", "生成报表"
        DONE = "done", "完成"

    class PdfStatus(models.TextChoices):  # the PDF follows the run in a task of its own (scores and Excel first)
        PENDING = "pending", "PDF 生成中"
        READY = "ready", "PDF 已生成"
        FAILED = "failed", "PDF 生成失败"

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="assessment_runs")
    scope = models.ForeignKey(Area, verbose_name="考核范围", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField("截至日期")
    rules_version = models.PositiveIntegerField("考核规则版本", default=0, help_text="0 表示默认规则")
    rules = models.JSONField("所用规则", default=dict, blank=True)
    inputs_hash = models.CharField("输入摘要", max_length=64, blank=True, help_text="范围、日期、规则相同则结果相同")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, default=Stage.QUEUED)
    villages_total = models.PositiveIntegerField("村(社区)数", default=0)
    villages_done = models.PositiveIntegerField("已完成村数", default=0)
    summary = models.JSONField("汇总结果", default=dict, blank=True)
    result_hash = models.CharField("结果摘要", max_length=64, blank=True)
    xlsx = SpreadsheetField("Excel 报告", upload_to=RandomName("assessments"), blank=True)
    pdf = DocumentField("PDF 报告", upload_to=RandomName("assessments"), blank=True)
    pdf_status = models.CharField("PDF 状态", max_length=8, choices=PdfStatus.choices, blank=True, default="")
    pdf_attempts = models.PositiveSmallIntegerField("PDF 生成次数", default=0)
    error = models.TextField("错误", blank=True)
    attempts = models.PositiveIntegerField("执行次数", default=0)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    frozen_at = models.DateTimeField("定稿时间", null=True, blank=True)

    objects = AssessmentRunQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核计算"
        ordering = ["-created_at", "-pk"]
        permissions = [("run_assessment", "发起考核计算"), ("confirm_title", "确认命名并处理复核")]

    def __str__(self):
        return f"{self.campaign} · {self.scope} · 截至{self.as_of:%Y年%m月%d日}"

    def get_absolute_url(self):
        return reverse("inspections:assessment_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.villages_total:
            return 0
        return min(95, int(self.villages_done * 90 / self.villages_total) + (5 if self.stage != self.Stage.QUEUED else 0))

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def seconds(self):
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None


class VillageResultQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"

    def published(self):
        return self.filter(run__published_at__isnull=False)


class AssessmentVillageResult(models.Model):
    """One village's figures in one run: the village score and every site's result (JSON)."""

    run = models.ForeignKey(AssessmentRun, verbose_name="考核计算", on_delete=models.CASCADE, related_name="village_results")
    village = models.ForeignKey(Area, verbose_name="村(社区)", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    data = models.JSONField("明细", default=dict)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    objects = VillageResultQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核结果(村)"
        ordering = ["run", "rank", "village__code"]
        constraints = [models.UniqueConstraint(fields=["run", "village"], name="assessment_one_result_per_village")]

    def __str__(self):
        return f"{self.village} {self.score}"


class TitleDecisionQuerySet(ScopedQuerySet):
    scope_area_code = "site__village__code"
    scope_site = "site"


class TitleDecision(models.Model):
    """命名: a person confirms (or declines) a site the run proposed. Who, when, from which run."""

    run = models.ForeignKey(AssessmentRun, verbose_name="考核计算", on_delete=models.PROTECT, related_name="titles")
    site = models.ForeignKey(Site, verbose_name="创建单位", on_delete=models.PROTECT, related_name="+")
    granted = models.BooleanField("命名", default=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("确认时间", auto_now_add=True)

    objects = TitleDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "命名确认"
        constraints = [models.UniqueConstraint(fields=["run", "site"], name="title_one_decision_per_site")]

    def __str__(self):
        return f"{self.site} {'命名' if self.granted else '不予命名'}"


class AppealQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"


class Appeal(models.Model):
    """复核: a village asks for a review of its result within the window; staff resolve it."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        UPHELD = "upheld", "维持原结果"
        CHANGED = "changed", "已更正"

    run = models.ForeignKey(AssessmentRun, verbose_name="考核计算", on_delete=models.PROTECT, related_name="appeals")
    village = models.ForeignKey(Area, verbose_name="村(社区)", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("复核理由")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField("处理意见", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核复核"
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.village} 复核({self.get_status_display()})"


class AssessmentEventQuerySet(ScopedQuerySet):
    scope_area_code = "run__scope__code"


class AssessmentEvent(models.Model):
    """One line of a run's history: who published, froze, named or declined a site, filed or resolved an appeal."""

    class Action(models.TextChoices):
        START = "start", "发起计算"
        PUBLISH = "publish", "公布结果"
        TITLE = "title", "确认命名"
        DECLINE = "decline", "不予命名"
        APPEAL = "appeal", "申请复核"
        RESOLVE = "resolve", "处理复核"
        FREEZE = "freeze", "定稿"

    run = models.ForeignKey(AssessmentRun, verbose_name="考核计算", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    detail = models.CharField("说明", max_length=300, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    objects = AssessmentEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考核操作记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.run_id} {self.get_action_display()} {self.detail}"
