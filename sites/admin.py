from django.contrib import admin
from import_export.admin import ExportActionMixin

from .models import ApiToken, Area, ImportJob, Membership, Site
from .resources import MembershipResource, SiteResource


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_demo"]
    list_filter = ["level", "is_demo"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Site)
class SiteAdmin(ExportActionMixin, admin.ModelAdmin):
    resource_classes = [SiteResource]
    list_display = ["name", "kind", "village", "contact_name", "is_active", "is_demo"]
    list_filter = ["kind", "is_active", "is_demo", "village__parent"]
    search_fields = ["name", "address", "village__name"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]


@admin.register(Membership)
class MembershipAdmin(ExportActionMixin, admin.ModelAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "role", "area", "site"]
    list_filter = ["role"]
    search_fields = ["user__username", "area__name", "site__name"]
    list_select_related = ["user", "area", "site"]
    autocomplete_fields = ["user", "area", "site"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "ledger", "user", "status", "total_rows", "error_count", "created_at"]
    list_filter = ["ledger", "status"]
    search_fields = ["original_name", "sha256", "user__username"]
    list_select_related = ["user"]
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Keys are never shown (only their SHA-256 is stored); create tokens on the “API 令牌” page."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["prefix", "hashed_key", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


from . import admin_records  # noqa: E402,F401  (key persons, premises, incidents)
from . import admin_tipoffs  # noqa: E402,F401  (tip-offs, issue 10)


from .models import Reminder  # noqa: E402  (reminders, issue 8)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: who was reminded of what and when (made by the jobs, read and cleared by their owners)."""

    list_display = ("user", "kind", "title", "due_on", "created_at", "read_at", "cleared_at", "resolved_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "title", "key")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
