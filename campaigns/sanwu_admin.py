"""Admin of 三无 overrides: read-only (requests, confirmations and revocations go through the pages,
which enforce the second person). Imported by campaigns/sanwu_urls.py because campaigns/admin.py
belongs to the campaigns app's own work; move the import there when the two meet."""
from django.contrib import admin

from .models import SanwuOverride


@admin.register(SanwuOverride)
class SanwuOverrideAdmin(admin.ModelAdmin):
    list_display = ["site", "campaign", "holds", "requested_by", "confirmed_by", "revoked_at"]
    list_filter = ["holds", "campaign"]
    search_fields = ["site__name", "reason"]
    list_select_related = ["site", "campaign", "requested_by", "confirmed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
