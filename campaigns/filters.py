"""Activity list filters; choices come from the user's own scope."""
import django_filters
from django import forms
from django.db.models import Q

from sites.models import Area, Site
from sites.scope import user_has_role_perm
from wuzha.lib.forms import style_filter_form

from .channels import Channel
from .models import Activity

FLAGS = [
    ("any", "任一疑点"),
    ("flag_duplicate_photo", "照片疑似重复"),
    ("flag_exif_mismatch", "拍摄时间不符"),
    ("flag_late_entry", "补录"),
    ("flag_burst", "突击录入"),
]
SORTS = [("-date", "开展日期(新→旧)"), ("date", "开展日期(旧→新)"), ("-created_at", "登记时间(新→旧)")]


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="从",
                                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))  # fmt: skip
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="到",
                                        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))  # fmt: skip
    channel = django_filters.ChoiceFilter(label="渠道", choices=Channel.choices, empty_label="全部渠道")
    village = django_filters.ModelChoiceFilter(label="村/社区", queryset=Area.objects.none(), empty_label="全部村/社区")
    site = django_filters.ModelChoiceFilter(label="创建单位", queryset=Site.objects.none(), empty_label="全部单位")
    flag = django_filters.ChoiceFilter(label="疑点", choices=FLAGS, empty_label="不限", method="by_flag")
    sort = django_filters.ChoiceFilter(label="排序", choices=SORTS, empty_label=None, method="noop")

    class Meta:
        model = Activity
        fields = ["q", "date_from", "date_to", "channel", "village", "site", "flag", "sort"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["village"].queryset = Area.objects.visible_to(user).villages()
        self.filters["site"].queryset = Site.objects.visible_to(user).active()
        if not user_has_role_perm(user, "campaigns.view_evidence_flags"):
            del self.filters["flag"]  # evidence flags are for town staff and inspectors
        style_filter_form(self.form)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(notes__icontains=value) | Q(site__name__icontains=value))

    def by_flag(self, queryset, name, value):
        if value == "any":
            return queryset.filter(Q(flag_duplicate_photo=True) | Q(flag_exif_mismatch=True) | Q(flag_late_entry=True)
                                   | Q(flag_burst=True))  # fmt: skip
        return queryset.filter(**{value: True}) if value in dict(FLAGS) else queryset

    def noop(self, queryset, name, value):
        return queryset
