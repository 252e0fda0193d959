"""The jurisdiction tree (county → town → village), creation sites and users' memberships."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ..roles import Role
from ..scope import ScopedQuerySet, user_scope

AREA_CODE_VALIDATOR = RegexValidator(r"^\d{12}$", "区划代码必须是 12 位数字。")
PHONE_VALIDATOR = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", "请填写 11 位手机号或带区号的固定电话,如 13800000000 或 0595-87654321。"
)


class AreaQuerySet(ScopedQuerySet):
    scope_area_code = "code"
    scope_site_village_code = "code"

    def villages(self):
        return self.filter(level=Area.Level.VILLAGE)

    def towns(self):
        return self.filter(level=Area.Level.TOWN)

    def subtree(self, area: "Area"):
        return self.filter(code__startswith=area.prefix)

    def where_user_may(self, user, perm: str):
        """Areas in which `user` holds `perm` through an area membership (e.g. where they may add sites)."""
        return self.filter(user_scope(user, perm).q(area_code="code"))


class Area(models.Model):
    """A node of the jurisdiction tree, keyed by its 12-digit statistical division code."""

    class Level(models.IntegerChoices):
        COUNTY = 1, "县/区"
        TOWN = 2, "镇/街道"
        VILLAGE = 3, "村/社区"

    # Digits of the code that identify a node at each level; the rest are zeros.
    PREFIX_LENGTH = {Level.COUNTY: 6, Level.TOWN: 9, Level.VILLAGE: 12}

    code = models.CharField("区划代码", max_length=12, unique=True, validators=[AREA_CODE_VALIDATOR])
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_demo = models.BooleanField("演示数据", default=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["code"], name="area_code_prefix_idx", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="area_parent_matches_level",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: self.PREFIX_LENGTH[self.level]]

    def clean(self):
        if not self.parent_id or not self.code:
            return
        parent = self.parent
        if parent.level != self.level - 1:
            raise ValidationError({"parent": f"上级必须是{Area.Level(self.level - 1).label}。"})
        if not self.code.startswith(parent.prefix):
            raise ValidationError({"code": f"区划代码必须以上级的代码前缀 {parent.prefix} 开头。"})
        if self.code[len(self.prefix) :].strip("0"):
            raise ValidationError({"code": f"{self.get_level_display()}的区划代码末尾应补零。"})


class SiteQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"
    scope_site = "pk"

    def active(self):
        return self.filter(is_active=True)


class Site(models.Model):
    """A creation site (创建单位): a village as a whole, a residential community, a campus or an enterprise."""

    class Kind(models.TextChoices):
        VILLAGE = "village", "村居"
        COMMUNITY = "community", "小区"
        CAMPUS = "campus", "校园"
        ENTERPRISE = "enterprise", "企业"

    class SchoolLevel(models.TextChoices):
        PRIMARY = "primary", "小学"
        JUNIOR = "junior", "初中"
        SENIOR = "senior", "高中"
        VOCATIONAL = "vocational", "中职"

    # The size fields that apply to each kind; others stay empty.
    SIZE_FIELDS = {
        Kind.VILLAGE: ("households", "residents", "residents_16_60"),
        Kind.COMMUNITY: ("households", "residents", "residents_16_60"),
        Kind.CAMPUS: ("school_level", "teachers", "students"),
        Kind.ENTERPRISE: ("employees", "new_hires_this_year"),
    }

    village = models.ForeignKey(
        Area,
        verbose_name="所属村/社区",
        on_delete=models.PROTECT,
        related_name="sites",
        limit_choices_to={"level": Area.Level.VILLAGE},
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[PHONE_VALIDATOR])
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    residents = models.PositiveIntegerField("常住人口", null=True, blank=True)
    # The base of the APP-install rate when a campaign counts residents aged 16–60 (campaigns.installs).
    residents_16_60 = models.PositiveIntegerField("16–60岁常住人口", null=True, blank=True)
    school_level = models.CharField("学段", max_length=12, choices=SchoolLevel.choices, blank=True)
    teachers = models.PositiveIntegerField("教职工数", null=True, blank=True)
    students = models.PositiveIntegerField("在校学生数", null=True, blank=True)
    employees = models.PositiveIntegerField("员工数", null=True, blank=True)
    new_hires_this_year = models.PositiveIntegerField("本年新招员工数", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField("在用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)  # edit conflicts: +1 per save
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "创建单位"
        ordering = ["village__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="site_unique_name_per_village"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="site_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="site_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:site_detail", args=[self.pk])

    def clean(self):
        if self.village_id and self.village.level != Area.Level.VILLAGE:
            raise ValidationError({"village": "创建单位必须属于村/社区一级。"})
        if self.kind == self.Kind.CAMPUS and not self.school_level:
            raise ValidationError({"school_level": "校园须填写学段。"})
        allowed = set(self.SIZE_FIELDS.get(self.kind, ()))
        for fields in self.SIZE_FIELDS.values():
            for field in fields:
                if field not in allowed and getattr(self, field) not in (None, ""):
                    setattr(self, field, "" if field == "school_level" else None)


class Membership(models.Model):
    """A user's role in one part of the tree: an area (staff, cadres, inspectors) or a site (liaisons)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    area = models.ForeignKey(Area, verbose_name="辖区", null=True, blank=True, on_delete=models.PROTECT)
    site = models.ForeignKey(Site, verbose_name="创建单位", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "角色授权"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="liaison", site__isnull=False, area__isnull=True)
                | (~Q(role="liaison") & Q(site__isnull=True, area__isnull=False)),
                name="membership_target_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"], condition=Q(site__isnull=True), name="membership_unique_area"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "site"], condition=Q(area__isnull=True), name="membership_unique_site"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.area or self.site}"

    # Which tree levels each area-based role may hold.
    ROLE_LEVELS = {
        Role.STAFF: {Area.Level.COUNTY, Area.Level.TOWN},
        Role.CADRE: {Area.Level.VILLAGE},
        Role.INSPECTOR: {Area.Level.COUNTY, Area.Level.TOWN},
    }

    def clean(self):
        if self.role == Role.LIAISON:
            if not self.site_id or self.area_id:
                raise ValidationError("联络员须指定创建单位,且不指定辖区。")
            return
        if not self.area_id or self.site_id:
            raise ValidationError({"area": "该角色须指定辖区,且不指定创建单位。"})
        levels = self.ROLE_LEVELS[self.role]
        if self.area.level not in levels:
            names = "、".join(Area.Level(lv).label for lv in sorted(levels))
            raise ValidationError({"area": f"{self.get_role_display()}的辖区必须是{names}一级。"})
