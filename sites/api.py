"""API of the sites app: areas (read) and creation sites (read, create, update through `site_save`)."""
import django_filters
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from wuzha.api import (
    IdFilter, ScopedPrimaryKeyRelatedField, ScopedReadOnlyViewSet, ScopedWriteViewSet, ServiceModelSerializer,
)

from .models import Area, Site
from .services import site_save


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
            "households", "residents", "school_level", "teachers", "students", "employees",
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
    updated_since = django_filters.IsoDateTimeFilter(label="只列此时间之后更新过的单位", field_name="updated_at",
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
