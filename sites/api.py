"""API of the sites app: areas (read) and creation sites (read, create, update through `site_save`);
premises, sweeps (create through `sweep_record`), clue rectifications, incidents (write through
`incident_save`) and key persons (read; every ID and phone masked, for every caller)."""
import datetime

import django_filters
from django import forms
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, viewsets

from wuzha.api import (
    IdFilter, MaskedField, ScopedPrimaryKeyRelatedField, ScopedReadOnlyViewSet, ScopedViewSetMixin,
    ScopedWriteViewSet, ServiceModelSerializer, validation_detail,
)

from .models import Area, Incident, KeyPerson, Premises, Rectification, Site, Sweep
from .services import site_save
from .services_areas import incident_save, sweep_record


class SafeIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO date-time turned into UTC before it reaches the database: PostgreSQL refuses offsets
    beyond ±15:59 and years outside its range (the fuzzer sent `0737-05-31T16:38:53+17:39`)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            if moment.tzinfo is not None:
                moment = moment.astimezone(datetime.timezone.utc)
            if not 1900 <= moment.year <= 9998:
                raise ValueError
        except (OverflowError, ValueError):
            raise forms.ValidationError("时间超出可用范围(1900—9998 年)。", code="invalid") from None
        return moment


class SafeIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SafeIsoDateTimeField


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "parent"]


class AreaFilter(django_filters.FilterSet):
    code_prefix = django_filters.CharFilter(
        label="区划代码前缀(如 350521101 表示该镇及其下各村)", field_name="code", lookup_expr="startswith", max_length=12
    )

    # Plain ids, not model choices: a filter must not tell which ids exist outside the caller's scope.
    parent = IdFilter(label="上级区划 ID", field_name="parent_id")

    class Meta:
        model = Area
        fields = ["level", "parent"]


class AreaViewSet(ScopedReadOnlyViewSet):
    """行政区划(县 → 镇/街道 → 村/社区),只含您辖区内的部分。"""

    model = Area
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    ordering_fields = ["id", "code"]


class SiteSerializer(ServiceModelSerializer):
    service = staticmethod(site_save)
    village = ScopedPrimaryKeyRelatedField(
        model=Area, narrow=lambda qs: qs.villages(), help_text="所属村/社区的 ID(须在您的辖区内)"
    )
    village_name = serializers.CharField(source="village.name", read_only=True, help_text="所属村/社区名称")

    class Meta:
        model = Site
        fields = [
            "id", "village", "village_name", "kind", "name", "address", "contact_name", "contact_phone",
            "households", "residents", "residents_16_60", "school_level", "teachers", "students", "employees",
            "new_hires_this_year", "latitude", "longitude", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["is_active", "created_at", "updated_at"]
        extra_kwargs = {
            "latitude": {"min_value": -90, "max_value": 90},
            "longitude": {"min_value": -180, "max_value": 180},
        }
        validators = [
            UniqueTogetherValidator(
                queryset=Site.objects.all(), fields=["village", "name"], message="该村/社区已有同名的创建单位。"
            )
        ]


class SiteFilter(django_filters.FilterSet):
    area = django_filters.CharFilter(
        label="区划代码前缀:只列该县/镇/村内的单位", field_name="village__code", lookup_expr="startswith", max_length=12
    )
    updated_since = SafeIsoDateTimeFilter(label="只列此时间之后更新过的单位", field_name="updated_at",
                                                     lookup_expr="gte")  # fmt: skip

    village = IdFilter(label="所属村/社区 ID", field_name="village_id")

    class Meta:
        model = Site
        fields = ["village", "kind", "is_active"]


class SiteViewSet(ScopedWriteViewSet):
    """创建单位(村居、小区、校园、企业)。新增和修改与网页表单走同一服务与校验。"""

    model = Site
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    select_related = ("village",)


def _villages(qs):
    return qs.villages()


# Premises (N5.1) ------------------------------------------------------------------------------------


class PremisesSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True, help_text="所属村/社区名称")
    manager_name = MaskedField(kind="name", help_text="房东/管理人(已脱敏)")
    manager_phone = MaskedField(kind="phone", help_text="管理人电话(已脱敏)")
    risk_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=Premises.RiskFlag.choices), read_only=True, help_text="风险标记"
    )

    class Meta:
        model = Premises
        fields = ["id", "village", "village_name", "site", "kind", "name", "address", "manager_name", "manager_phone",
                  "actual_population", "risk_flags", "updated_at"]  # fmt: skip


class PremisesFilter(django_filters.FilterSet):
    village = IdFilter(label="所属村/社区 ID", field_name="village_id")
    site = IdFilter(label="所在创建单位 ID", field_name="site_id")

    class Meta:
        model = Premises
        fields = ["village", "site", "kind"]


class PremisesViewSet(ScopedReadOnlyViewSet):
    """重点场所(出租房屋、酒店、公寓、写字楼、网吧等)及实有人口、风险标记;管理人姓名和电话已脱敏。"""

    model = Premises
    serializer_class = PremisesSerializer
    filterset_class = PremisesFilter
    select_related = ("village",)


# Sweeps (N5.3) --------------------------------------------------------------------------------------


class SweepSerializer(serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(model=Area, narrow=_villages, help_text="所属村/社区的 ID(须在您的辖区内)")
    premises = ScopedPrimaryKeyRelatedField(
        model=Premises, many=True, help_text="覆盖场所的 ID 列表(须为本村/社区的场所)"
    )
    created_by = serializers.CharField(source="created_by.get_full_name", read_only=True, help_text="登记人")

    class Meta:
        model = Sweep
        fields = ["id", "village", "done_on", "team", "premises", "note", "created_by", "created_at"]

    def create(self, validated_data):
        premises = list(validated_data.pop("premises"))
        sweep = Sweep(**validated_data, created_by=self.context["request"].user)
        try:
            return sweep_record(actor=self.context["request"].user, sweep=sweep, premises=premises)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(validation_detail(exc)) from exc


class SweepFilter(django_filters.FilterSet):
    village = IdFilter(label="所属村/社区 ID", field_name="village_id")
    done_after = django_filters.DateFilter(label="只列此日期及以后的扫楼", field_name="done_on", lookup_expr="gte")

    class Meta:
        model = Sweep
        fields = ["village"]


class SweepViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """扫楼行动:日期、参加人员、覆盖场所。新增与网页表单走同一服务(sweep_record)与校验;逐户结果在网页上登记。"""

    model = Sweep
    serializer_class = SweepSerializer
    filterset_class = SweepFilter
    select_related = ("created_by",)
    prefetch_related = ("premises",)


# Clue-driven rectification (N5.2) -------------------------------------------------------------------


class ClueRectificationSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True, help_text="所属村/社区名称")

    class Meta:
        model = Rectification
        fields = ["id", "village", "village_name", "premises", "source", "clue_ref", "target", "actions",
                  "opened_on", "due_on", "closed_on", "result"]  # fmt: skip


class ClueRectificationFilter(django_filters.FilterSet):
    village = IdFilter(label="所属村/社区 ID", field_name="village_id")
    open = django_filters.BooleanFilter(label="只列未办结的(true)或已办结的(false)", field_name="closed_on",
                                        lookup_expr="isnull")  # fmt: skip

    class Meta:
        model = Rectification
        fields = ["village", "source"]


class ClueRectificationViewSet(ScopedReadOnlyViewSet):
    """线索整治:重点村居、场所按线索(联席办、公安推送、群众举报、扫楼发现)开展的整治及结果。"""

    model = Rectification
    serializer_class = ClueRectificationSerializer
    filterset_class = ClueRectificationFilter
    select_related = ("village",)


# Incidents (N1) -------------------------------------------------------------------------------------


class IncidentSerializer(ServiceModelSerializer):
    service = staticmethod(incident_save)
    site = ScopedPrimaryKeyRelatedField(model=Site, help_text="创建单位的 ID(须在您的辖区内)")
    site_name = serializers.CharField(source="site.name", read_only=True, help_text="创建单位名称")

    class Meta:
        model = Incident
        fields = ["id", "site", "site_name", "kind", "occurred_on", "police_case_no", "amount_lost", "fraud_type",
                  "status", "summary", "annulled_at", "annul_reason", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["annulled_at", "annul_reason", "created_at", "updated_at"]
        extra_kwargs = {"amount_lost": {"min_value": 0}}

    def create(self, validated_data):
        return self._run_service(Incident(**validated_data, entered_by=self.context["request"].user))


class IncidentFilter(django_filters.FilterSet):
    site = IdFilter(label="创建单位 ID", field_name="site_id")
    area = django_filters.CharFilter(label="区划代码前缀", field_name="site__village__code", lookup_expr="startswith",
                                     max_length=12)  # fmt: skip
    current = django_filters.BooleanFilter(label="只列有效的(true)或已作废的(false)", field_name="annulled_at",
                                           lookup_expr="isnull")  # fmt: skip
    occurred_after = django_filters.DateFilter(label="只列此日期及以后发生的", field_name="occurred_on", lookup_expr="gte")

    class Meta:
        model = Incident
        fields = ["site", "kind", "status"]


class IncidentViewSet(ScopedWriteViewSet):
    """涉诈案事件(被骗案件、嫌疑人、窝点)。只有镇综治办等有案事件权限的角色可新增、修改;村干部只读本村。"""

    model = Incident
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    select_related = ("site",)


# Key persons (N4.2): read only, masked for everyone -------------------------------------------------


class KeyPersonSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True, help_text="所属村/社区名称")
    id_number = MaskedField(kind="id_number", help_text="公民身份号码(已脱敏;接口不提供完整号码)")
    phone = MaskedField(kind="phone", help_text="手机号码(已脱敏)")
    phone_alt = MaskedField(kind="phone", help_text="备用手机号(已脱敏)")

    class Meta:
        model = KeyPerson
        fields = ["id", "village", "village_name", "name", "gender", "id_number", "phone", "phone_alt",
                  "household_address", "current_address", "category", "risk_level", "status", "police_officer",
                  "next_followup_on", "annulled_at", "created_at", "updated_at"]  # fmt: skip


class KeyPersonFilter(django_filters.FilterSet):
    village = IdFilter(label="所属村/社区 ID", field_name="village_id")
    current = django_filters.BooleanFilter(label="只列有效档案(true)或已作废的(false)", field_name="annulled_at",
                                           lookup_expr="isnull")  # fmt: skip

    class Meta:
        model = KeyPerson
        fields = ["village", "category", "risk_level", "status"]


class KeyPersonViewSet(ScopedReadOnlyViewSet):
    """涉诈重点人员档案(只读)。身份证号和电话一律脱敏,任何角色、任何参数都不能通过接口取得完整值。"""

    model = KeyPerson
    serializer_class = KeyPersonSerializer
    filterset_class = KeyPersonFilter
    select_related = ("village",)
