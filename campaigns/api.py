"""API of the campaigns app: campaigns (read) with the obligation status of their sites, enrolments (read)
and activities (read, create and update through `activity_record`, the form's service)."""
from datetime import date, timedelta

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from sites.models import Area, Site
from wuzha.api import IdFilter, ScopedPrimaryKeyRelatedField, ScopedReadOnlyViewSet, ScopedWriteViewSet
from wuzha.api import ServiceModelSerializer

from .models import Activity, Campaign, Enrolment
from .obligation_data import obligation_status
from .services import activity_record


class CampaignSerializer(serializers.ModelSerializer):
    scope_name = serializers.CharField(source="scope.name", read_only=True, help_text="范围(行政区划)名称")
    site_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Site.Kind.choices), read_only=True, help_text="参与创建的单位类型"
    )

    class Meta:
        model = Campaign
        fields = ["id", "name", "document_no", "scope", "scope_name", "starts_on", "ends_on", "assessment_on",
                  "site_kinds", "status", "created_at"]  # fmt: skip


class CampaignFilter(django_filters.FilterSet):
    scope = IdFilter(label="范围(行政区划)ID", field_name="scope_id")

    class Meta:
        model = Campaign
        fields = ["status", "scope"]


class ObligationSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则代码")
    n_id = serializers.CharField(help_text="通知要求编号(如 N3.4)")
    label = serializers.CharField(help_text="事项")
    starts = serializers.DateField(help_text="起算日期")
    due = serializers.DateField(help_text="完成期限")
    expected = serializers.BooleanField(help_text="截至统计日是否已到期")
    done_on = serializers.DateField(allow_null=True, help_text="完成日期(未完成为 null)")
    on_time = serializers.BooleanField(help_text="是否按时完成")
    status = serializers.ChoiceField(choices=["done", "late", "missing", "open"],
                                     help_text="done 按时完成 / late 逾期完成 / missing 逾期未完成 / open 未到期")  # fmt: skip


class SiteObligationsSerializer(serializers.Serializer):
    site = serializers.IntegerField(source="pk", help_text="创建单位 ID")
    site_name = serializers.CharField(source="name", help_text="创建单位名称")
    village = serializers.IntegerField(source="village_id", help_text="所属村/社区 ID")
    kind = serializers.ChoiceField(choices=Site.Kind.choices, help_text="单位类型")
    obligations = ObligationSerializer(many=True, help_text="该单位在本活动中的各项规定动作")


def _as_of(raw: str | None, campaign: Campaign) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        # As the pages do: after the campaign the picture freezes a month past its end.
        return min(timezone.localdate(), campaign.ends_on + timedelta(days=30))


class CampaignViewSet(ScopedReadOnlyViewSet):
    """创建活动:名称、周期、考核日期、范围及参与的单位类型。"""

    model = Campaign
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    select_related = ("scope",)

    @extend_schema(
        summary="各创建单位规定动作完成情况",
        description="本活动中您辖区内已申报单位的规定动作(N3.3—N3.5 等)完成情况,按单位分页(游标)。"
        "每页的查询次数固定,与单位数无关。",
        parameters=[
            OpenApiParameter("village", OpenApiTypes.INT, description="只列该村/社区的单位(ID)"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="统计日(默认今天,活动结束一个月后冻结)"),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="翻页游标"),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="每页单位数(最多 200)"),
        ],
        responses=SiteObligationsSerializer(many=True),
    )
    @action(detail=True, url_path="obligations", filter_backends=[])
    def obligations(self, request, pk=None):
        campaign = self.get_object()
        village = IdFilter().field.clean(request.query_params.get("village") or None)
        enrolled = Enrolment.objects.visible_to(request.user).filter(campaign=campaign).values("site_id")
        sites = Site.objects.visible_to(request.user).filter(pk__in=enrolled, is_active=True)
        if campaign.site_kinds:
            sites = sites.filter(kind__in=campaign.site_kinds)
        if village:
            sites = sites.filter(village_id=village)
        page = self.paginate_queryset(sites.only("pk", "name", "village_id", "kind"))
        items = obligation_status(campaign, Site.objects.filter(pk__in=[s.pk for s in page]),
                                  _as_of(request.query_params.get("as_of"), campaign))  # fmt: skip
        by_site = {}
        for item in items:
            if item.subject == "site":
                by_site.setdefault(item.subject_id, []).append(item)
        for site in page:
            site.obligations = by_site.get(site.pk, [])
        return self.get_paginated_response(SiteObligationsSerializer(page, many=True).data)


# Enrolments -----------------------------------------------------------------------------------------


class EnrolmentSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True, help_text="创建单位名称")

    class Meta:
        model = Enrolment
        fields = ["id", "campaign", "site", "site_name", "status", "applied_on", "updated_at"]


class EnrolmentFilter(django_filters.FilterSet):
    campaign = IdFilter(label="创建活动 ID", field_name="campaign_id")
    site = IdFilter(label="创建单位 ID", field_name="site_id")
    area = django_filters.CharFilter(label="区划代码前缀", field_name="site__village__code", lookup_expr="startswith",
                                     max_length=12)  # fmt: skip

    class Meta:
        model = Enrolment
        fields = ["campaign", "site", "status"]


class EnrolmentViewSet(ScopedReadOnlyViewSet):
    """申报创建:单位加入创建活动及其状态(申报 → 创建中 → 待验收 → 已命名/未通过)。"""

    model = Enrolment
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    select_related = ("site",)


# Activities (N3.1–N3.4) -----------------------------------------------------------------------------


class ActivitySerializer(ServiceModelSerializer):
    service = staticmethod(activity_record)
    campaign = ScopedPrimaryKeyRelatedField(model=Campaign, help_text="创建活动 ID(须在您的辖区内)")
    village = ScopedPrimaryKeyRelatedField(
        model=Area, narrow=lambda qs: qs.villages(), required=False,
        help_text="村/社区 ID;只填 site 时取该单位所属的村/社区",
    )  # fmt: skip
    site = ScopedPrimaryKeyRelatedField(model=Site, required=False, allow_null=True,
                                        help_text="创建单位 ID;不填表示以整个村/社区为单位开展")  # fmt: skip

    class Meta:
        model = Activity
        fields = [
            "id", "campaign", "village", "site", "date", "channel", "title", "cadres", "police", "grid_workers",
            "volunteers", "copies", "screenings", "people_reached", "households_visited", "posts", "post_links",
            "views", "teachers_reached", "students_reached", "parents_reached", "app_installs", "notes",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class ActivityFilter(django_filters.FilterSet):
    campaign = IdFilter(label="创建活动 ID", field_name="campaign_id")
    village = IdFilter(label="村/社区 ID", field_name="village_id")
    site = IdFilter(label="创建单位 ID", field_name="site_id")
    date_from = django_filters.DateFilter(label="开展日期不早于", field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label="开展日期不晚于", field_name="date", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["campaign", "village", "site", "channel"]


class ActivityViewSet(ScopedWriteViewSet):
    """宣传活动台账。新增和修改与网页表单走同一服务与校验(各渠道须填的覆盖数字、活动期间、辖区);已结束的活动锁定。"""

    model = Activity
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["id", "date"]
