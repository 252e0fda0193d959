"""API of the inspections app: inspection results, rectification tasks and assessment runs and figures (read).

Sealing is the querysets' job (inspections/models/plan.py and inspection.py): an inspection that is not
published is seen only by its plan's insiders (town staff with `view_sealed_plan`, the plan's creator,
its inspectors), so village roles read published results only and nobody else learns of a sealed plan.
"""
import django_filters
from rest_framework import serializers

from sites.scope import user_has_role_perm
from wuzha.api import IdFilter, ScopedReadOnlyViewSet

from .models import AssessmentRun, AssessmentVillageResult, Inspection, Rectification


class InspectionSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True, help_text="被检查单位名称")

    class Meta:
        model = Inspection
        fields = ["id", "plan", "site", "site_name", "status", "score", "self_score", "earned", "possible", "vetoed",
                  "rules_version", "standard_version", "submitted_at", "published_at"]  # fmt: skip


class InspectionFilter(django_filters.FilterSet):
    plan = IdFilter(label="检查计划 ID", field_name="plan_id")
    site = IdFilter(label="被检查单位 ID", field_name="site_id")
    area = django_filters.CharFilter(label="区划代码前缀", field_name="site__village__code", lookup_expr="startswith",
                                     max_length=12)  # fmt: skip

    class Meta:
        model = Inspection
        fields = ["plan", "site", "status"]


class InspectionViewSet(ScopedReadOnlyViewSet):
    """检查结果(明察暗访):得分、一票否决、公布时间。村居、单位角色只看到已公布的结果;未公布的暗访计划对其不可见。"""

    model = Inspection
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    select_related = ("site",)


class RectificationSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True, help_text="创建单位名称")

    class Meta:
        model = Rectification
        fields = ["id", "inspection", "site", "site_name", "item", "finding", "points_deducted", "deadline", "status",
                  "response", "responded_at", "verified_at", "verify_note", "points_restored", "escalated_at",
                  "created_at"]  # fmt: skip


class RectificationFilter(django_filters.FilterSet):
    inspection = IdFilter(label="检查记录 ID", field_name="inspection_id")
    site = IdFilter(label="创建单位 ID", field_name="site_id")
    area = django_filters.CharFilter(label="区划代码前缀", field_name="site__village__code", lookup_expr="startswith",
                                     max_length=12)  # fmt: skip
    deadline_before = django_filters.DateFilter(label="整改期限早于", field_name="deadline", lookup_expr="lt")

    class Meta:
        model = Rectification
        fields = ["inspection", "site", "status"]


class RectificationViewSet(ScopedReadOnlyViewSet):
    """整改任务:检查扣分项转成的整改、单位反馈与验收情况。"""

    model = Rectification
    serializer_class = RectificationSerializer
    filterset_class = RectificationFilter
    select_related = ("site",)


class AssessmentRunSerializer(serializers.ModelSerializer):
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, help_text="创建活动名称")
    scope_name = serializers.CharField(source="scope.name", read_only=True, help_text="考核范围名称")

    class Meta:
        model = AssessmentRun
        fields = ["id", "campaign", "campaign_name", "scope", "scope_name", "as_of", "rules_version", "status", "stage",
                  "villages_total", "villages_done", "summary", "result_hash", "created_at", "finished_at",
                  "published_at", "frozen_at", "pdf_status"]  # fmt: skip


class AssessmentRunFilter(django_filters.FilterSet):
    campaign = IdFilter(label="创建活动 ID", field_name="campaign_id")

    class Meta:
        model = AssessmentRun
        fields = ["campaign", "status"]


class AssessmentRunViewSet(ScopedReadOnlyViewSet):
    """考核计算(平安考核):范围、截至日期、规则版本、进度与汇总结果。仅限有考核权限的综治办人员。"""

    model = AssessmentRun
    serializer_class = AssessmentRunSerializer
    filterset_class = AssessmentRunFilter
    select_related = ("campaign", "scope")


class AssessmentVillageResultSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True, help_text="村(社区)名称")

    class Meta:
        model = AssessmentVillageResult
        fields = ["id", "run", "village", "village_name", "score", "rank", "data", "computed_at"]


class AssessmentVillageResultFilter(django_filters.FilterSet):
    run = IdFilter(label="考核计算 ID", field_name="run_id")
    village = IdFilter(label="村(社区) ID", field_name="village_id")

    class Meta:
        model = AssessmentVillageResult
        fields = ["run", "village"]


class AssessmentVillageResultViewSet(ScopedReadOnlyViewSet):
    """各村考核得分、名次与单位明细。没有考核计算权限的角色(村干部等)只看到已公布的本村结果。"""

    model = AssessmentVillageResult
    serializer_class = AssessmentVillageResultSerializer
    filterset_class = AssessmentVillageResultFilter
    select_related = ("village",)

    def narrow(self, queryset):
        if user_has_role_perm(self.request.user, "inspections.view_assessmentrun"):
            return queryset
        return queryset.published()
