"""Site list filters. Choice lists come from the user's own scope, never from the whole table."""
import django_filters
from django.db.models import Q

from wuzha.lib.forms import style_filter_form

from .models import Area, Site


class SiteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    town = django_filters.ModelChoiceFilter(
        label="镇/街道", queryset=Area.objects.none(), method="in_area", empty_label="全部镇/街道"
    )
    village = django_filters.ModelChoiceFilter(label="村/社区", queryset=Area.objects.none(), empty_label="全部村/社区")
    kind = django_filters.ChoiceFilter(label="类型", choices=Site.Kind.choices, empty_label="全部类型")
    is_active = django_filters.ChoiceFilter(
        label="状态", choices=[("1", "在用"), ("0", "已停用")], empty_label="全部状态", method="by_active"
    )
    ordering = django_filters.OrderingFilter(
        label="排序",
        fields=(("name", "name"), ("village__code", "village"), ("kind", "kind"), ("updated_at", "updated")),
        field_labels={"name": "名称", "village__code": "村/社区", "kind": "类型", "updated_at": "更新时间"},
    )

    class Meta:
        model = Site
        fields = ["q", "town", "village", "kind", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.visible_to(user)
        self.filters["town"].queryset = areas.towns()
        self.filters["village"].queryset = areas.villages()
        style_filter_form(self.form)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value)) if value else queryset

    def by_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")

    def in_area(self, queryset, name, area):
        return queryset.filter(village__code__startswith=area.prefix)
