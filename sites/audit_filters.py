"""Filters of the audit pages."""
import django_filters
from django import forms

from wuzha.lib.forms import style_filter_form

from .models import AuthEvent

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuthEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="用户名/IP/请求编号", method="search")
    kind = django_filters.ChoiceFilter(label="事件", choices=AuthEvent.Kind.choices, empty_label="全部事件")
    success = django_filters.ChoiceFilter(label="结果", choices=[("1", "成功"), ("0", "失败")],
                                          empty_label="全部结果", method="by_success")  # fmt: skip
    since = django_filters.DateFilter(label="起始日期", field_name="created_at", lookup_expr="date__gte", widget=DATE)
    until = django_filters.DateFilter(label="截止日期", field_name="created_at", lookup_expr="date__lte", widget=DATE)

    class Meta:
        model = AuthEvent
        fields = ["q", "kind", "success", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_form(self.form)

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(ip__startswith=value) | Q(request_id=value))

    def by_success(self, queryset, name, value):
        return queryset.filter(success=value == "1")


class HistoryFilter(django_filters.FilterSet):
    """Works on any tracked history table; the view picks the table from `model`."""

    model = django_filters.ChoiceFilter(label="记录类型", method="chosen_by_view", empty_label=None)
    user = django_filters.CharFilter(label="操作人", field_name="history_user__username", lookup_expr="icontains")
    history_type = django_filters.ChoiceFilter(label="操作", choices=[("+", "新增"), ("~", "修改"), ("-", "删除")],
                                               empty_label="全部操作")  # fmt: skip
    request_id = django_filters.CharFilter(label="请求编号", field_name="request_id")
    since = django_filters.DateFilter(label="起始日期", field_name="history_date", lookup_expr="date__gte", widget=DATE)
    until = django_filters.DateFilter(label="截止日期", field_name="history_date", lookup_expr="date__lte", widget=DATE)

    def __init__(self, *args, model_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["model"].choices = list(model_choices)
        style_filter_form(self.form)

    def chosen_by_view(self, queryset, name, value):
        return queryset
