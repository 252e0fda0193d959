"""Creation standards (创建标准): gated conditions and a weighted score sheet, per campaign and site kind, versioned."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from campaigns.models import Campaign
from sites.models import Site
from sites.scope import ScopedQuerySet, user_scope

from .. import scoring as rules


def default_gates():
    return {"all": []}


class StandardQuerySet(ScopedQuerySet):
    """A standard is visible to area roles inside or above its campaign's scope (liaisons see results, not sheets)."""

    scope_area_code = "campaign__scope__code"

    def _scoped(self, user, action):
        scope = user_scope(user, self._perm(action))
        if scope.everything:
            return self
        q = Q(pk__in=[])
        for prefix in scope.area_prefixes:
            covering = [prefix[:n].ljust(12, "0") for n in (6, 9, 12) if n <= len(prefix)]
            q |= Q(campaign__scope__code__in=covering) | Q(campaign__scope__code__startswith=prefix)
        return self.filter(q)

    def current_for(self, campaign, kind):
        return self.filter(campaign=campaign, site_kind=kind).order_by("-version").first()


class Standard(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="standards")
    site_kind = models.CharField("单位类型", max_length=12, choices=Site.Kind.choices)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=100)
    gates = models.JSONField(
        "达标条件", default=default_gates, blank=True,
        help_text='必须全部满足的条件,如 {"all": [{"fact": "victim_cases", "op": "<=", "value": 0}]}',
    )  # fmt: skip
    note = models.TextField("说明", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "创建标准"
        ordering = ["campaign", "site_kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "site_kind", "version"], name="standard_unique_version"),
        ]

    def __str__(self):
        return f"{self.name}(第{self.version}版)"

    def get_absolute_url(self):
        return reverse("inspections:standard_detail", args=[self.pk])

    def clean(self):
        try:
            rules.validate_gate(self.gates or {"all": []})
        except ValueError as exc:
            raise ValidationError({"gates": str(exc)}) from exc

    @property
    def is_frozen(self) -> bool:
        """Once a result was submitted against this version it never changes; edit a new version."""
        return self.inspections.filter(submitted_at__isnull=False).exists()

    def total_points(self) -> Decimal:
        return sum((i.max_points for i in self.items.all()), Decimal("0"))

    def specs(self) -> list[rules.ItemSpec]:
        return [i.spec() for i in self.items.all()]

    def gates_text(self) -> str:
        gates = self.gates or {"all": []}
        return rules.describe(gates) if gates.get("all") or gates.get("any") or "fact" in gates else "无"


class StandardItem(models.Model):
    class Method(models.TextChoices):
        MATERIAL = "material", "材料审核"
        ONSITE = "onsite", "实地察看"
        SURVEY = "survey", "随机调查"

    class Scoring(models.TextChoices):
        PASS_FAIL = rules.PASS_FAIL, "达标/不达标"
        RANGE = rules.RANGE, "0至满分打分"
        DEDUCTION = rules.DEDUCTION, "按次扣分(减完为止)"
        VETO = rules.VETO, "一票否决"

    standard = models.ForeignKey(Standard, verbose_name="创建标准", on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号", default=0)
    section = models.CharField("项目", max_length=50)
    text = models.CharField("标准", max_length=500)
    max_points = models.DecimalField("分值", max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    method = models.CharField("考评方式", max_length=10, choices=Method.choices, default=Method.ONSITE)
    scoring = models.CharField("计分方式", max_length=10, choices=Scoring.choices, default=Scoring.PASS_FAIL)
    deduction_per = models.DecimalField(
        "每次扣分", max_digits=6, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    rule_text = models.CharField("扣分规则", max_length=300, blank=True)
    allow_na = models.BooleanField("可不适用", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "评分项"
        ordering = ["standard", "order", "pk"]

    def __str__(self):
        return f"{self.section}:{self.text[:30]}"

    def clean(self):
        if self.scoring == self.Scoring.DEDUCTION and not self.deduction_per:
            raise ValidationError({"deduction_per": "按次扣分的评分项须填写每次扣分。"})
        if self.scoring != self.Scoring.VETO and not self.max_points:
            raise ValidationError({"max_points": "除一票否决项外,分值须大于 0。"})

    def spec(self) -> rules.ItemSpec:
        return rules.ItemSpec(
            key=str(self.pk), max_points=self.max_points, method=self.scoring,
            deduction_per=self.deduction_per, label=f"{self.section}·{self.text[:20]}",
        )  # fmt: skip
