"""Admin of tip-offs: contact data masked, never editable here."""
from django.contrib import admin

from .models import TipNote, TipOff, TipPhoto


class TipNoteInline(admin.TabularInline):
    model = TipNote
    extra = 0
    raw_id_fields = ["author"]


class TipPhotoInline(admin.TabularInline):
    model = TipPhoto
    extra = 0


@admin.register(TipOff)
class TipOffAdmin(admin.ModelAdmin):
    list_display = ["receipt_code", "kind", "village", "status", "outcome", "submitted_at", "masked_phone"]
    list_filter = ["kind", "status", "outcome", "is_demo"]
    search_fields = ["receipt_code", "what", "address"]
    raw_id_fields = ["village", "site", "assignee", "premises", "sweep", "incident"]
    exclude = ["contact_name", "contact_phone"]
    readonly_fields = ["masked_name", "masked_phone"]
    inlines = [TipPhotoInline, TipNoteInline]
