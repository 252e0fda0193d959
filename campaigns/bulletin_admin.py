"""Admin of bulletins (issue 10)."""
from django.contrib import admin

from .models import Bulletin, BulletinImage, BulletinReceipt, OfficialInstallFigure

__all__: list[str] = []


class BulletinImageInline(admin.TabularInline):
    model = BulletinImage
    extra = 0


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["title", "fraud_type", "area", "published_at", "due_days", "is_demo"]
    list_filter = ["fraud_type", "is_demo"]
    search_fields = ["title", "what_happened"]
    raw_id_fields = ["area", "created_by"]
    inlines = [BulletinImageInline]


@admin.register(BulletinReceipt)
class BulletinReceiptAdmin(admin.ModelAdmin):
    list_display = ["bulletin", "village", "site", "acknowledged_at", "channel", "people_reached", "reminded_at"]
    list_filter = ["channel"]
    search_fields = ["bulletin__title", "site__name", "village__name"]
    raw_id_fields = ["bulletin", "village", "site", "acknowledged_by"]


@admin.register(OfficialInstallFigure)
class OfficialInstallFigureAdmin(admin.ModelAdmin):
    list_display = ["campaign", "village", "site", "as_of", "installs", "population_16_60", "uploaded_at"]
    list_filter = ["campaign", "as_of"]
    search_fields = ["village__name", "site__name", "source"]
    raw_id_fields = ["campaign", "village", "site", "uploaded_by"]
