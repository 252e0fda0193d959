"""Forms of the inspections app: fields validate here; scope and invariants live in services and models."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from campaigns.models import Campaign
from sites.models import Area, Membership, Site
from sites.roles import Role
from wuzha.lib.uploads import PhotoFormField, SpreadsheetFormField

from .models import InspectionPlan, Standard, StandardItem


def _helper(label="保存"):
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-primary w-100 w-md-auto"))
    return helper


class StandardForm(forms.ModelForm):
    gates = forms.JSONField(label="达标条件(JSON)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=Standard._meta.get_field("gates").help_text)  # fmt: skip

    class Meta:
        model = Standard
        fields = ["campaign", "site_kind", "name", "gates", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(
            scope__in=Area.objects.where_user_may(user, "inspections.add_standard")
        )
        if self.instance.pk:
            self.fields["campaign"].disabled = self.fields["site_kind"].disabled = True
        self.helper = _helper()
        self.helper.form_tag = False

    def clean_gates(self):
        return self.cleaned_data["gates"] or {"all": []}


class StandardItemForm(forms.ModelForm):
    class Meta:
        model = StandardItem
        fields = ["section", "text", "max_points", "method", "scoring", "deduction_per", "rule_text", "allow_na"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


StandardItemFormSet = forms.inlineformset_factory(
    Standard, StandardItem, form=StandardItemForm, extra=1, can_delete=True
)


class StandardImportForm(forms.Form):
    file = SpreadsheetFormField(label="Excel 文件(.xlsx)", extensions=("xlsx",))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("导入并替换评分项")
        self.helper.form_tag = False


class PlanForm(forms.ModelForm):
    inspectors = forms.ModelMultipleChoiceField(label="督查员", queryset=get_user_model().objects.none(),
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip

    class Meta:
        model = InspectionPlan
        fields = ["campaign", "area", "name", "kind", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.where_user_may(user, "inspections.add_inspectionplan").exclude(level=Area.Level.VILLAGE)
        self.fields["area"].queryset = areas
        self.fields["campaign"].queryset = Campaign.objects.filter(
            Q(scope__in=areas)
            | Q(scope__code__in=[a.parent.code for a in areas.select_related("parent") if a.parent_id])
        ).distinct()
        prefixes = [a.prefix for a in areas]
        q = Q(pk__in=[])
        for prefix in prefixes:
            q |= Q(area__code__startswith=prefix[:9]) | Q(area__code=prefix[:6].ljust(12, "0"))
        members = Membership.objects.filter(q, role=Role.INSPECTOR).values("user")
        self.fields["inspectors"].queryset = get_user_model().objects.filter(pk__in=members).order_by("username")
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = _helper()


class DrawForm(forms.Form):
    kind = forms.ChoiceField(label="单位类型", choices=Site.Kind.choices)
    count = forms.IntegerField(label="抽取数量", min_value=1, max_value=200)


class AddSiteForm(forms.Form):
    site = forms.ModelChoiceField(label="创建单位", queryset=Site.objects.none())
    inspector = forms.ModelChoiceField(label="督查员", queryset=get_user_model().objects.none())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = (
            Site.objects.active().filter(village__code__startswith=plan.area.prefix).exclude(inspections__plan=plan)
        )
        self.fields["inspector"].queryset = get_user_model().objects.filter(pk__in=plan.crew.values("user"))
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username


class ReturnForm(forms.Form):
    text = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RespondForm(forms.Form):
    response = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotoFormField(label="整改照片", required=False)


class VerifyForm(forms.Form):
    accept = forms.TypedChoiceField(label="验收结论", choices=[("1", "通过,整改完成"), ("0", "不通过,退回整改")],
                                    coerce=lambda v: v == "1", widget=forms.RadioSelect)  # fmt: skip
    restore_points = forms.DecimalField(label="复查恢复分值", min_value=0, required=False, initial=0)
    note = forms.CharField(label="验收意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def parse_marks(items, data) -> tuple[dict[int, dict], list[str]]:
    """The score sheet's POST (fields `pass-<id>`, `points-<id>`, …) as marks per item, with Chinese errors."""
    from decimal import Decimal, InvalidOperation

    marks, errors = {}, []
    for item in items:
        pk = item.pk
        if not any(f"{p}-{pk}" in data for p in ("na", "pass", "points", "occ", "self", "note")):
            continue
        mark = {
            "not_applicable": data.get(f"na-{pk}") in ("on", "1", "true"),
            "note": data.get(f"note-{pk}", "").strip(),
        }
        raw_pass = data.get(f"pass-{pk}", "")
        mark["passed"] = {"1": True, "0": False}.get(raw_pass)
        for field, key, kind in (
            ("points", "points", Decimal),
            ("occurrences", "occ", int),
            ("self_points", "self", Decimal),
        ):
            raw = (data.get(f"{key}-{pk}") or "").strip()
            if not raw:
                mark[field] = None
                continue
            try:
                mark[field] = kind(raw)
            except (InvalidOperation, ValueError):
                errors.append(f"{item.section}:“{raw}”不是有效的数字。")
                mark[field] = None
        marks[pk] = mark
    return marks, errors
