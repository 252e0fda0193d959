"""Key areas (N5): premises and their units with actual population (N5.1), building sweeps unit by
unit with findings (N5.3), and clue-driven rectification (N5.2)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from wuzha.lib.crypto import EncryptedCharField
from wuzha.lib.media import RandomName
from wuzha.lib.uploads import PhotoField
from wuzha.lib.validators import not_in_future

from ..idcard import mask_phone, validate_mobile
from ..scope import ScopedQuerySet
from .tree import Area, Site


class PremisesQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"


class Premises(models.Model):
    class Kind(models.TextChoices):
        RENTAL = "rental", "出租房屋"
        HOTEL = "hotel", "酒店/宾馆"
        APARTMENT = "apartment", "公寓"
        OFFICE = "office", "写字楼"
        NETCAFE = "netcafe", "网吧"
        OTHER = "other", "其他"

    class RiskFlag(models.TextChoices):
        GROUP_RENT = "group_rent", "群租"
        TURNOVER = "turnover", "租客频繁更换"
        CLUE = "clue", "有涉诈线索"
        NIGHT = "night", "昼伏夜出人员聚集"
        DEVICES = "devices", "曾发现可疑设备"

    village = models.ForeignKey(
        Area, verbose_name="所属村/社区", on_delete=models.PROTECT, related_name="premises",
        limit_choices_to={"level": Area.Level.VILLAGE},
    )  # fmt: skip
    site = models.ForeignKey(
        Site, verbose_name="所在创建单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="premises"
    )
    kind = models.CharField("场所类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    manager_name = models.CharField("房东/管理人", max_length=30, blank=True)
    manager_phone = EncryptedCharField("管理人电话", blank=True, validators=[validate_mobile])
    actual_population = models.PositiveIntegerField("实有人口", default=0)
    risk_flags = models.JSONField("风险标记", default=list, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PremisesQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "重点场所"
        ordering = ["village__code", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="premises_unique_name_per_village")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:premises_detail", args=[self.pk])

    @property
    def masked_manager_phone(self):
        return mask_phone(self.manager_phone)

    @property
    def risk_flag_labels(self):
        labels = dict(self.RiskFlag.choices)
        return [labels.get(f, f) for f in self.risk_flags or []]

    def clean(self):
        bad = [f for f in self.risk_flags or [] if f not in self.RiskFlag.values]
        if bad:
            raise ValidationError({"risk_flags": f"未知的风险标记:{'、'.join(bad)}。"})
        if self.site_id and self.village_id and self.site.village_id != self.village_id:
            raise ValidationError({"site": "创建单位必须属于同一村/社区。"})


class UnitQuerySet(ScopedQuerySet):
    scope_area_code = "premises__village__code"


class Unit(models.Model):
    premises = models.ForeignKey(Premises, verbose_name="场所", on_delete=models.CASCADE, related_name="units")
    label = models.CharField("房号", max_length=20)
    residents = models.PositiveSmallIntegerField("实住人数", default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "房间/单元"
        ordering = ["premises", "label"]
        constraints = [models.UniqueConstraint(fields=["premises", "label"], name="unit_unique_label")]

    def __str__(self):
        return f"{self.premises.name} {self.label}"


class SweepQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"


class Sweep(models.Model):
    """One building-sweep action (扫楼行动) of a village team over some premises."""

    village = models.ForeignKey(Area, verbose_name="所属村/社区", on_delete=models.PROTECT, related_name="sweeps")
    done_on = models.DateField("日期", validators=[not_in_future])
    team = models.CharField("参加人员", max_length=200)
    premises = models.ManyToManyField(Premises, verbose_name="覆盖场所", related_name="sweeps")
    note = models.TextField("情况说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = SweepQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "扫楼行动"
        ordering = ["-done_on", "-pk"]

    def __str__(self):
        return f"{self.done_on:%Y-%m-%d} 扫楼"

    def get_absolute_url(self):
        return reverse("sites:sweep_detail", args=[self.pk])


class VisitQuerySet(ScopedQuerySet):
    scope_area_code = "sweep__village__code"


class UnitVisit(models.Model):
    class Status(models.TextChoices):
        VISITED = "visited", "已走访"
        NOBODY = "nobody", "无人在家"
        REFUSED = "refused", "拒绝入户"
        VACANT = "vacant", "空置"

    sweep = models.ForeignKey(Sweep, verbose_name="扫楼行动", on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey(Unit, verbose_name="房间/单元", on_delete=models.PROTECT, related_name="visits")
    status = models.CharField("结果", max_length=10, choices=Status.choices)
    residents_seen = models.PositiveSmallIntegerField("见到人数", default=0)
    app_installed = models.PositiveSmallIntegerField("安装国家反诈中心APP", default=0)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "入户情况"
        ordering = ["unit__label"]
        constraints = [models.UniqueConstraint(fields=["sweep", "unit"], name="visit_unique_unit_per_sweep")]

    def __str__(self):
        return f"{self.unit} {self.get_status_display()}"


def validate_photo_size(file) -> None:  # kept for migration 0002; photos now go through PhotoField
    if file and file.size > 10 * 1024 * 1024:
        raise ValidationError("照片不能超过 10 MB,请压缩后再上传。")


class FindingQuerySet(ScopedQuerySet):
    scope_area_code = "sweep__village__code"


class Finding(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "可疑人员"
        DEVICE = "device", "可疑设备(多卡宝/GOIP 等)"
        GROUP_RENT = "group_rent", "群租"
        OTHER = "other", "其他"

    sweep = models.ForeignKey(Sweep, verbose_name="扫楼行动", on_delete=models.CASCADE, related_name="findings")
    premises = models.ForeignKey(Premises, verbose_name="场所", on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey(Unit, verbose_name="房间/单元", null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField("发现类型", max_length=10, choices=Kind.choices)
    description = models.TextField("情况")
    follow_up = models.TextField("后续处置", blank=True)
    resolved = models.BooleanField("已处置", default=False)
    photo = PhotoField("照片", upload_to=RandomName("sweeps"), blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "扫楼发现"
        ordering = ["pk"]

    def __str__(self):
        return self.get_kind_display()


class RectificationQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"


class Rectification(models.Model):
    """Rectification of a key village or place flagged by a clue (N5.2)."""

    class Source(models.TextChoices):
        JOINT_OFFICE = "joint_office", "国务院联席办线索"
        POLICE = "police", "公安推送"
        REPORT = "report", "群众举报"
        SWEEP = "sweep", "扫楼发现"
        OTHER = "other", "其他"

    village = models.ForeignKey(Area, verbose_name="所属村/社区", on_delete=models.PROTECT, related_name="rectifications")
    premises = models.ForeignKey(Premises, verbose_name="场所", null=True, blank=True, on_delete=models.PROTECT)
    source = models.CharField("线索来源", max_length=14, choices=Source.choices)
    clue_ref = models.CharField("线索编号", max_length=50, blank=True)
    target = models.CharField("整治对象", max_length=200)
    actions = models.TextField("整治措施")
    opened_on = models.DateField("接收日期", validators=[not_in_future])
    due_on = models.DateField("整改期限", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, validators=[not_in_future])
    result = models.TextField("整治结果", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "线索整治"
        ordering = ["closed_on", "-opened_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="rectification_closed_after_opened",
            )
        ]

    def __str__(self):
        return self.target

    def get_absolute_url(self):
        return reverse("sites:rectification_update", args=[self.pk])

    def clean(self):
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": "办结日期不能早于接收日期。"})
        if self.closed_on and not self.result.strip():
            raise ValidationError({"result": "办结须填写整治结果。"})
