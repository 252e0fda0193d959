"""One inspection of one site: the item scores, photos, review thread and the frozen result."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sites.models import Site
from sites.scope import ScopedQuerySet
from wuzha.lib.media import RandomName
from wuzha.lib.uploads import PhotoField
from wuzha.lib.validators import not_in_future

from .plan import InspectionPlan, insider_q
from .standard import Standard, StandardItem


class InspectionQuerySet(ScopedQuerySet):
    """In scope by site; an unpublished inspection is seen only by the plan's insiders (sealing)."""

    scope_area_code = "site__village__code"
    scope_site = "site"

    def _scoped(self, user, action):
        base = super()._scoped(user, action)
        insiders = insider_q(user, area_code="site__village__code", plan="plan__")
        if getattr(user, "is_authenticated", False):
            insiders |= Q(inspector=user)
        return base.filter(Q(status=Inspection.Status.PUBLISHED) | insiders)


class Inspection(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "待检查"
        SUBMITTED = "submitted", "已提交待审核"
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "已审核"
        PUBLISHED = "published", "已公布"

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="检查计划", on_delete=models.CASCADE, related_name="inspections"
    )
    site = models.ForeignKey(Site, verbose_name="被检查单位", on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督查员", null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspections",
    )  # fmt: skip
    standard = models.ForeignKey(
        Standard, verbose_name="评分标准", on_delete=models.PROTECT, related_name="inspections"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The frozen result (computed by inspections.scoring at submission).
    score = models.DecimalField("得分(百分制)", max_digits=6, decimal_places=2, null=True, blank=True)
    self_score = models.DecimalField("自评分(百分制)", max_digits=6, decimal_places=2, null=True, blank=True)
    earned = models.DecimalField("实得分", max_digits=8, decimal_places=2, null=True, blank=True)
    possible = models.DecimalField("应得分", max_digits=8, decimal_places=2, null=True, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    rules_version = models.CharField("计分规则版本", max_length=20, blank=True)
    standard_version = models.PositiveIntegerField("标准版本", null=True, blank=True)
    revision = models.PositiveIntegerField("提交次数", default=0)
    draft_saved_at = models.DateTimeField("草稿保存时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    inspected_on = models.DateField(
        "检查日期", null=True, blank=True, validators=[not_in_future], help_text="现场检查的日期:考核按它计入期间,而不是按公布时间"
    )
    is_demo = models.BooleanField("演示数据", default=False)
    history = HistoricalRecords(excluded_fields=["draft_saved_at"])

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查记录"
        ordering = ["plan", "site__village__code", "site__name"]
        permissions = [("review_inspection", "可审核、公布检查结果")]
        constraints = [models.UniqueConstraint(fields=["plan", "site"], name="inspection_unique_site_per_plan")]

    def __str__(self):
        return f"{self.plan} · {self.site}"

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class ItemScore(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(StandardItem, verbose_name="评分项", on_delete=models.PROTECT, related_name="+")
    not_applicable = models.BooleanField("不适用", default=False)
    passed = models.BooleanField("达标", null=True, blank=True)
    points = models.DecimalField("打分", max_digits=6, decimal_places=2, null=True, blank=True)
    occurrences = models.PositiveIntegerField("扣分次数", null=True, blank=True)
    self_points = models.DecimalField("自评分", max_digits=6, decimal_places=2, null=True, blank=True)
    earned = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField("检查记录", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "评分项得分"
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="item_score_unique")]

    def __str__(self):
        return f"{self.inspection} · {self.item}"


class EvidenceQuerySet(ScopedQuerySet):
    """Photos follow the inspection or rectification they belong to."""

    scope_area_code = "site__village__code"
    scope_site = "site"

    def _scoped(self, user, action):
        base = super()._scoped(user, action)
        visible = Inspection.objects.visible_to(user).values("pk")
        return base.filter(Q(rectification__isnull=False) | Q(item_score__inspection__in=visible))


class Evidence(models.Model):
    """A photo: of an inspection item, or of a rectification answer. The file keeps its EXIF."""

    site = models.ForeignKey(Site, verbose_name="创建单位", on_delete=models.PROTECT, related_name="+")
    item_score = models.ForeignKey(
        ItemScore, verbose_name="评分项", null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    rectification = models.ForeignKey(
        "inspections.Rectification", verbose_name="整改", null=True, blank=True, on_delete=models.CASCADE,
        related_name="photos",
    )  # fmt: skip
    image = PhotoField("照片", upload_to=RandomName("inspections/evidence"))
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "照片证据"
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item_score__isnull=False, rectification__isnull=True)
                | Q(item_score__isnull=True, rectification__isnull=False),
                name="evidence_one_owner",
            ),
        ]

    def __str__(self):
        return f"照片 {self.pk}"

    def get_absolute_url(self):
        return reverse("inspections:evidence_file", args=[self.pk])


class ReviewComment(models.Model):
    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        RETURN = "return", "退回修改"
        APPROVE = "approve", "审核通过"
        PUBLISH = "publish", "公布"
        COMMENT = "comment", "意见"

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("动作", max_length=10, choices=Action.choices)
    text = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.author}"
