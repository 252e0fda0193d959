from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity, ActivityPhoto, Campaign, CampaignStatusChange, Enrolment, EnrolmentChange, EnterpriseVisit, SchoolDuty,
    SurveyResponse, VillageDuty,
)  # fmt: skip


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "document_no", "scope", "starts_on", "ends_on", "status", "is_demo"]
    list_filter = ["status", "is_demo"]
    search_fields = ["name", "document_no", "scope__name"]
    list_select_related = ["scope"]
    autocomplete_fields = ["scope"]


@admin.register(CampaignStatusChange)
class CampaignStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "from_status", "to_status", "reason", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    search_fields = ["campaign__name", "reason"]


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["site", "campaign", "status", "applied_on", "is_demo"]
    list_filter = ["status", "campaign", "is_demo"]
    search_fields = ["site__name", "site__village__name"]
    list_select_related = ["site", "campaign"]
    raw_id_fields = ["site"]


@admin.register(EnrolmentChange)
class EnrolmentChangeAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "from_status", "to_status", "reason", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    search_fields = ["enrolment__site__name", "reason"]


class PhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ["image", "thumbnail", "dhash", "taken_at", "latitude", "longitude", "duplicate_of"]
    readonly_fields = fields


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["date", "channel", "village", "site", "app_installs", "flag_duplicate_photo", "flag_late_entry"]
    list_filter = ["channel", "flag_duplicate_photo", "flag_exif_mismatch", "flag_late_entry", "flag_burst", "is_demo"]
    search_fields = ["title", "notes", "site__name", "village__name"]
    list_select_related = ["village", "site"]
    raw_id_fields = ["site", "village", "created_by"]
    inlines = [PhotoInline]


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(admin.ModelAdmin):
    list_display = ["pk", "activity", "dhash", "taken_at", "duplicate_of"]
    list_filter = ["uploaded_at"]
    search_fields = ["dhash"]
    raw_id_fields = ["activity", "duplicate_of"]


@admin.register(SchoolDuty)
class SchoolDutyAdmin(SimpleHistoryAdmin):
    list_display = ["site", "campaign", "column_url", "rules_clause"]
    list_filter = ["rules_clause", "campaign"]
    search_fields = ["site__name"]
    raw_id_fields = ["site"]


@admin.register(EnterpriseVisit)
class EnterpriseVisitAdmin(SimpleHistoryAdmin):
    list_display = ["visited_on", "site", "visitors", "new_hires", "finance_controls", "risk_screening"]
    list_filter = ["finance_controls", "risk_screening", "campaign"]
    search_fields = ["site__name", "methods_pushed"]
    raw_id_fields = ["site"]


@admin.register(VillageDuty)
class VillageDutyAdmin(SimpleHistoryAdmin):
    list_display = ["village", "kind", "done_on", "campaign"]
    list_filter = ["kind", "campaign"]
    search_fields = ["village__name", "notes"]
    raw_id_fields = ["village", "host_site"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "satisfaction", "knows_app", "knows_hotline", "answered_at"]
    list_filter = ["satisfaction", "knows_app", "knows_hotline"]
    search_fields = ["enrolment__site__name", "comment"]
    raw_id_fields = ["enrolment"]


from .bulletin_admin import *  # noqa: E402,F401,F403  (bulletins and install figures, issue 10)
