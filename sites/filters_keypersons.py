"""Filters for key persons, premises and incidents. Choices come from the user's scope; an exact ID
number or phone is searched through its keyed hash, never by decrypting rows."""
import re

import django_filters
from django.db.models import Q

from wuzha.lib.crypto import keyed_hash
from wuzha.lib.forms import style_filter_form

from .models import AbroadCase, Area, Incident, KeyPerson, Premises


class ScopedVillageFilterSet(django_filters.FilterSet):
    village = django_filters.ModelChoiceFilter(label="村/社区", queryset=Area.objects.none(), empty_label="全部村/社区")
    village_path = "village"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["village"].queryset = Area.objects.visible_to(user).villages()
        self.filters["village"].field_name = self.village_path
        style_filter_form(self.form)


PII_RE = re.compile(r"\d{17}[\dXx]|\d{15}|1\d{10}")


class NoEchoTextInput(django_filters.widgets.forms.TextInput):
    """A search box that never echoes a typed ID number or phone back into the page."""

    def format_value(self, value):
        return "" if value and PII_RE.fullmatch("".join(str(value).split())) else super().format_value(value)


class KeyPersonFilter(ScopedVillageFilterSet):
    q = django_filters.CharFilter(label="姓名", method="search", widget=NoEchoTextInput)
    category = django_filters.ChoiceFilter(label="类别", choices=KeyPerson.Category.choices, empty_label="全部类别")
    status = django_filters.ChoiceFilter(label="状态", choices=KeyPerson.Status.choices, empty_label="全部状态")
    risk_level = django_filters.ChoiceFilter(label="风险", choices=KeyPerson.Risk.choices, empty_label="全部风险")
    overdue = django_filters.BooleanFilter(
        label="逾期未跟进", method="by_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    mine = django_filters.BooleanFilter(label="我负责的", method="by_mine", widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = KeyPerson
        fields = ["q", "village", "category", "status", "risk_level"]

    def search(self, queryset, name, value):
        value = "".join(value.split())
        if not value:
            return queryset
        if PII_RE.fullmatch(value):
            digest = keyed_hash(value)
            return queryset.filter(Q(id_number_hash=digest) | Q(phone_hash=digest))
        return queryset.filter(name__icontains=value)

    def by_mine(self, queryset, name, value):
        return queryset.filter(cadre=self.request.user) if value and self.request else queryset

    def by_overdue(self, queryset, name, value):
        from django.utils import timezone

        return queryset.overdue(timezone.localdate()) if value else queryset


class AbroadFilter(ScopedVillageFilterSet):
    village_path = "person__village"
    q = django_filters.CharFilter(label="姓名/国家或地区", method="search")
    stage = django_filters.ChoiceFilter(label="进度", choices=AbroadCase.Stage.choices, empty_label="全部进度")

    class Meta:
        model = AbroadCase
        fields = ["q", "village", "stage"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(person__name__icontains=value) | Q(country__icontains=value)) if value else queryset


class PremisesFilter(ScopedVillageFilterSet):
    q = django_filters.CharFilter(label="名称/地址", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=Premises.Kind.choices, empty_label="全部类型")

    class Meta:
        model = Premises
        fields = ["q", "village", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value)) if value else queryset


class IncidentFilter(ScopedVillageFilterSet):
    village_path = "site__village"
    q = django_filters.CharFilter(label="单位/案件编号", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=Incident.Kind.choices, empty_label="全部类别")
    fraud_type = django_filters.ChoiceFilter(label="诈骗类型", choices=Incident.FraudType.choices, empty_label="全部类型")
    annulled = django_filters.BooleanFilter(label="含已作废", method="with_annulled", widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Incident
        fields = ["q", "village", "kind", "fraud_type"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(site__name__icontains=value) | Q(police_case_no__icontains=value)) if value else queryset

    def with_annulled(self, queryset, name, value):
        return queryset if value else queryset.filter(annulled_at__isnull=True)
