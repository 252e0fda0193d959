"""Admin of the assessment models (imported by inspections/admin.py)."""
from django.contrib import admin

from ..models import Appeal, AssessmentRules, AssessmentRun, AssessmentVillageResult, TitleDecision


@admin.register(AssessmentRules)
class AssessmentRulesAdmin(admin.ModelAdmin):
    list_display = ("campaign", "version", "note", "created_by", "created_at")
    list_filter = ("campaign",)
    search_fields = ("campaign__name", "note")


@admin.register(AssessmentRun)
class AssessmentRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "campaign", "scope", "as_of", "status", "stage", "villages_done", "villages_total",
                    "requested_by", "created_at", "finished_at")  # fmt: skip
    list_filter = ("status", "stage", "campaign")
    search_fields = ("campaign__name", "scope__name", "scope__code")
    readonly_fields = ("summary", "result_hash", "inputs_hash")


@admin.register(AssessmentVillageResult)
class AssessmentVillageResultAdmin(admin.ModelAdmin):
    list_display = ("run", "village", "score", "rank", "computed_at")
    list_filter = ("run__campaign",)
    search_fields = ("village__name", "village__code")


@admin.register(TitleDecision)
class TitleDecisionAdmin(admin.ModelAdmin):
    list_display = ("site", "run", "granted", "score", "decided_by", "decided_at")
    list_filter = ("granted", "run__campaign")
    search_fields = ("site__name",)


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("village", "run", "status", "filed_by", "filed_at", "resolved_by", "resolved_at")
    list_filter = ("status",)
    search_fields = ("village__name", "reason")
