from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Evidence,
    Inspection,
    InspectionPlan,
    ItemScore,
    PlanInspector,
    Rectification,
    ReviewComment,
    SealedViewLog,
    Standard,
    StandardItem,
)  # fmt: skip


class StandardItemInline(admin.TabularInline):
    model = StandardItem
    extra = 0


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "site_kind", "version", "is_demo"]
    list_filter = ["site_kind", "is_demo"]
    search_fields = ["name", "campaign__name"]
    inlines = [StandardItemInline]


@admin.register(StandardItem)
class StandardItemAdmin(admin.ModelAdmin):
    list_display = ["section", "text", "max_points", "method", "scoring", "standard"]
    list_filter = ["method", "scoring"]
    search_fields = ["section", "text"]


class PlanInspectorInline(admin.TabularInline):
    model = PlanInspector
    extra = 0
    autocomplete_fields = ["user", "home_village"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "starts_on", "ends_on", "status", "is_demo"]
    list_filter = ["kind", "status", "is_demo"]
    search_fields = ["name", "area__name"]
    inlines = [PlanInspectorInline]


@admin.register(PlanInspector)
class PlanInspectorAdmin(admin.ModelAdmin):
    list_display = ["plan", "user", "home_village"]
    list_filter = ["plan__kind"]
    search_fields = ["plan__name", "user__username"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["site", "plan", "inspector", "status", "score", "vetoed", "rules_version"]
    list_filter = ["status", "vetoed", "plan__kind"]
    search_fields = ["site__name", "plan__name"]
    list_select_related = ["site", "plan", "inspector"]


@admin.register(ItemScore)
class ItemScoreAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "item", "not_applicable", "passed", "points", "occurrences", "earned"]
    list_filter = ["not_applicable", "passed"]
    search_fields = ["inspection__site__name", "item__section"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["pk", "site", "item_score", "rectification", "taken_at", "uploaded_by", "uploaded_at"]
    list_filter = ["uploaded_at"]
    search_fields = ["site__name"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["inspection", "action", "author", "created_at"]
    list_filter = ["action"]
    search_fields = ["text", "inspection__site__name"]


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ["site", "finding", "deadline", "status", "points_deducted", "escalated_at"]
    list_filter = ["status", "is_demo"]
    search_fields = ["site__name", "finding"]


@admin.register(SealedViewLog)
class SealedViewLogAdmin(admin.ModelAdmin):
    list_display = ["plan", "user", "path", "viewed_at"]
    list_filter = ["viewed_at"]
    search_fields = ["plan__name", "user__username", "path"]
from .assessment import admin as assessment_admin  # noqa: E402,F401  (issue 6)
