"""The propaganda ledger: keyset-paged list with filters, CSV export, phone-first entry, detail with history."""
import csv
from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from sites.scope import user_has_role_perm

from ..channels import CHANNEL_FIELDS
from ..filters import ActivityFilter
from ..forms import ActivityForm
from ..models import Activity
from ..paging import keyset_page
from ..services import activity_record
from .common import (
    CampaignContextMixin, NeedsCampaignMixin, QueryInitialMixin, RequirePermMixin, querystring_without,
)  # fmt: skip

PAGE_SIZE = 25
COUNT_CAP = 2_000  # count at most this many rows: an exact count of a million costs more than the page
SORT_KEYS = {"-date": ("date", True, date), "date": ("date", False, date), "-created_at": ("created_at", True, datetime)}


def filtered_activities(request):
    qs = Activity.objects.visible_to(request.user).select_related("village", "site", "campaign")
    return ActivityFilter(request.GET or None, queryset=qs, user=request.user)


class ActivityListView(CampaignContextMixin, TemplateView):
    template_name = "campaigns/activity_list.html"

    def get_context_data(self, **kwargs):
        f = filtered_activities(self.request)
        qs = f.qs if f.is_bound else f.queryset
        if self.campaign:
            qs = qs.filter(campaign=self.campaign)
        key, desc, key_type = SORT_KEYS.get(self.request.GET.get("sort") or "-date", SORT_KEYS["-date"])
        page = keyset_page(
            qs, key=key, descending=desc, size=PAGE_SIZE, key_type=key_type, after=self.request.GET.get("after", ""),
            before=self.request.GET.get("before", ""), last=self.request.GET.get("last") == "1",
        )  # fmt: skip
        return super().get_context_data(
            filter=f, page=page, total=qs.order_by()[: COUNT_CAP + 1].count(), count_cap=COUNT_CAP, querystring=querystring_without(self.request, "after", "before", "last"),
            may_add=user_has_role_perm(self.request.user, "campaigns.add_activity"), **kwargs,
        )  # fmt: skip


def _safe(value) -> str:
    """Spreadsheet-safe cell: a leading = + - @ tab or CR would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ActivityExportView(TemplateView):
    """CSV of the filtered list (UTF-8 with BOM so Excel shows Chinese), at most EXPORT_LIMIT rows."""

    EXPORT_LIMIT = 50_000

    HEADER = ["开展日期", "村/社区", "创建单位", "渠道", "主题/地点", "数量", "播放次数", "覆盖人数", "走访户数",
              "发布条数", "阅读量", "APP安装", "参与人数", "疑点", "登记时间"]  # fmt: skip

    def get(self, request, *args, **kwargs):
        qs = filtered_activities(request)
        rows = (qs.qs if qs.is_bound else qs.queryset).order_by("-date", "-pk")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(self.HEADER)
        for a in rows[: self.EXPORT_LIMIT].iterator(chunk_size=2000):
            writer.writerow([_safe(v) for v in (
                a.date, a.village.name, a.site.name if a.site else "", a.get_channel_display(), a.title, a.copies,
                a.screenings, a.people_reached, a.households_visited, a.posts, a.views, a.app_installs,
                a.participants, "、".join(a.flags), timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
            )])  # fmt: skip
        response["Content-Disposition"] = 'attachment; filename="activities.csv"'
        return response


class ActivityFormMixin:
    form_class = ActivityForm
    template_name = "campaigns/activity_form.html"

    def get_form_kwargs(self):
        campaign = self.object.campaign if getattr(self, "object", None) else self.campaign
        return {**super().get_form_kwargs(), "user": self.request.user, "campaign": campaign}

    def get_context_data(self, **kwargs):
        return super().get_context_data(channel_fields=CHANNEL_FIELDS, **kwargs)

    def form_valid(self, form):
        try:
            self.object = activity_record(actor=self.request.user, activity=form.instance,
                                          photos=form.cleaned_data.get("photos") or [])  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存宣传活动:{self.object}。")
        return redirect(self.object.get_absolute_url())


class ActivityCreateView(RequirePermMixin, NeedsCampaignMixin, QueryInitialMixin, ActivityFormMixin, CreateView):
    required_perm = "campaigns.add_activity"
    query_initial = ("village", "site", "channel")


class ActivityUpdateView(ActivityFormMixin, UpdateView):
    model = Activity

    def get_queryset(self):
        return Activity.objects.editable_by(self.request.user).select_related("campaign__scope")


class ActivityDetailView(DetailView):
    model = Activity
    template_name = "campaigns/activity_detail.html"

    def get_queryset(self):
        return Activity.objects.visible_to(self.request.user).select_related("campaign", "village", "site", "created_by")

    def get_context_data(self, **kwargs):
        a = self.object
        history = a.history.select_related("history_user").order_by("-history_date")[:20]
        return super().get_context_data(
            photos=a.photos.select_related("duplicate_of__activity"), history=history,
            may_edit=not a.campaign.is_closed and Activity.objects.editable_by(self.request.user).filter(pk=a.pk).exists(),
            **kwargs,
        )  # fmt: skip
