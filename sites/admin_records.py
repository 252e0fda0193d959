"""Admin for key persons, premises and incidents. Personal data shows masked here too; the access log
is read-only; key-person files can be deleted only by a superuser (and only if nothing refers to them)."""
from django.contrib import admin

from .models import (
    AbroadCase, AccessLog, Finding, Incident, KeyPerson, Measure, PersuasionAttempt, Premises, Rectification,
    Relative, Sweep, Unit, UnitVisit,
)  # fmt: skip


@admin.register(KeyPerson)
class KeyPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_id", "village", "category", "risk_level", "status", "is_demo"]
    list_filter = ["category", "risk_level", "status", "is_demo"]
    search_fields = ["name", "village__name"]
    list_select_related = ["village"]
    fields = ["village", "name", "gender", "masked_id", "masked_phone", "household_address", "current_address",
              "category", "risk_level", "status", "close_reason", "police_officer", "notes", "is_demo"]  # fmt: skip
    readonly_fields = ["masked_id", "masked_phone", "village", "name", "gender"]

    def has_add_permission(self, request):
        return False  # files are made in the application, through the validating service

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        obj.delete(superuser=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            obj.delete(superuser=request.user)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "person", "reason", "ip"]
    list_filter = ["action"]
    search_fields = ["user__username", "reason", "person__name"]
    list_select_related = ["user", "person"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _simple(model, display, filters=(), search=()):
    admin.site.register(
        model,
        type(f"{model.__name__}Admin", (admin.ModelAdmin,),
             {"list_display": display, "list_filter": list(filters), "search_fields": list(search)}),  # fmt: skip
    )


_simple(Relative, ["name", "relation", "person"], search=["name", "person__name"])
_simple(Measure, ["person", "kind", "done_on", "next_due_on"], ["kind"], ["person__name", "content"])
_simple(AbroadCase, ["person", "country", "stage", "returned_on"], ["stage"], ["person__name", "country"])
_simple(PersuasionAttempt, ["case", "done_on", "via", "channel", "stage_after"], ["via", "channel"], ["outcome"])
_simple(Premises, ["name", "kind", "village", "actual_population", "is_demo"], ["kind", "is_demo"], ["name", "address"])
_simple(Unit, ["premises", "label", "residents"], search=["premises__name", "label"])
_simple(Sweep, ["done_on", "village", "team", "is_demo"], ["is_demo"], ["team", "village__name"])
_simple(UnitVisit, ["sweep", "unit", "status"], ["status"], ["unit__label"])
_simple(Finding, ["sweep", "premises", "kind", "resolved"], ["kind", "resolved"], ["description"])
_simple(Rectification, ["target", "village", "source", "opened_on", "closed_on"], ["source"], ["target", "clue_ref"])
_simple(Incident, ["occurred_on", "kind", "site", "fraud_type", "status", "annulled_at"], ["kind", "fraud_type", "status"],
        ["site__name", "police_case_no"])  # fmt: skip
