"""API of the campaigns app: campaigns (read)."""
import django_filters
from rest_framework import serializers

from sites.models import Site
from wuzha.api import IdFilter, ScopedReadOnlyViewSet

from .models import Campaign


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


class CampaignViewSet(ScopedReadOnlyViewSet):
    """创建活动:名称、周期、考核日期、范围及参与的单位类型。"""

    model = Campaign
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    select_related = ("scope",)
