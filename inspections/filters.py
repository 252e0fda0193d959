"""List filters of the inspections app; choices come from the user's own scope."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from sites.models import Area, Site
from wuzha.lib.forms import style_filter_form

from .models import Inspection, InspectionPlan, Rectification


class _Scoped(django_filters.FilterSet):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "village" in self.filters:
            self.filters["village"].queryset = Area.objects.visible_to(user).villages()
        style_filter_form(self.form)


class PlanFilter(_Scoped):
    q = django_filters.CharFilter(label="搜索", field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="方式", choices=InspectionPlan.Kind.choices, empty_label="全部方式")
    status = django_filters.ChoiceFilter(label="状态", choices=InspectionPlan.Status.choices, empty_label="全部状态")

    class Meta:
        model = InspectionPlan
        fields = ["q", "kind", "status"]


class InspectionFilter(_Scoped):
    q = django_filters.CharFilter(label="搜索", method="search")
    status = django_filters.ChoiceFilter(label="状态", choices=Inspection.Status.choices, empty_label="全部状态")
    kind = django_filters.ChoiceFilter(
        label="类型", field_name="site__kind", choices=Site.Kind.choices, empty_label="全部类型"
    )
    village = django_filters.ModelChoiceFilter(
        label="村/社区", field_name="site__village", queryset=Area.objects.none(), empty_label="全部村/社区"
    )

    class Meta:
        model = Inspection
        fields = ["q", "status", "kind", "village"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(site__name__icontains=value) | Q(plan__name__icontains=value)) if value else queryset


class RectificationFilter(_Scoped):
    q = django_filters.CharFilter(label="搜索", method="search")
    status = django_filters.ChoiceFilter(label="状态", choices=Rectification.Status.choices, empty_label="全部状态")
    overdue = django_filters.BooleanFilter(
        label="只看逾期", method="only_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    village = django_filters.ModelChoiceFilter(
        label="村/社区", field_name="site__village", queryset=Area.objects.none(), empty_label="全部村/社区"
    )

    class Meta:
        model = Rectification
        fields = ["q", "status", "overdue", "village"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(site__name__icontains=value) | Q(finding__icontains=value)) if value else queryset

    def only_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset
