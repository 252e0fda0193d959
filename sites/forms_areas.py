"""Forms for premises, sweeps, findings, rectifications and incidents (phone-friendly, crispy)."""
from django import forms

from .forms_keypersons import DATE, form_helper
from .models import Area, Finding, Incident, Premises, Rectification, Site, UnitVisit


def _villages(user, perm):
    villages = Area.objects.where_user_may(user, perm).villages().select_related("parent")
    return villages


class VillageFormMixin:
    village_perm = ""

    def _setup_village(self, user):
        perm = self.village_perm.replace("add_", "change_") if self.instance.pk else self.village_perm
        villages = _villages(user, perm)
        field = self.fields["village"]
        field.queryset = villages
        field.label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        if not self.instance.pk and len(villages) == 1:
            field.initial = villages[0]
        return villages


class PremisesForm(VillageFormMixin, forms.ModelForm):
    village_perm = "sites.add_premises"
    manager_phone = forms.CharField(label="管理人电话", max_length=11, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))  # fmt: skip
    risk_flags = forms.MultipleChoiceField(
        label="风险标记", choices=Premises.RiskFlag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    unit_labels = forms.CharField(
        label="新增房间/单元", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行或用逗号分隔一个房号,如 1-101, 1-102;也可写范围 101-110。已有的不会重复添加。",
    )  # fmt: skip

    class Meta:
        model = Premises
        fields = ["village", "site", "kind", "name", "address", "manager_name", "actual_population", "risk_flags"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = self._setup_village(user)
        self.fields["site"].queryset = Site.objects.filter(village__in=villages).select_related("village")
        self.fields["actual_population"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            self.fields["manager_phone"].help_text = f"当前:{self.instance.masked_manager_phone or '未填写'}。留空表示不修改。"
        self.helper = form_helper(*self.Meta.fields[:6], "manager_phone", "actual_population", "risk_flags", "unit_labels")

    def _post_clean(self):
        phone = (self.cleaned_data.get("manager_phone") or "").strip()
        if phone or not self.instance.pk:
            self.instance.manager_phone = phone
        super()._post_clean()

    def clean_unit_labels(self):
        labels = []
        for part in self.cleaned_data["unit_labels"].replace(",", ",").replace("\n", ",").split(","):
            part = part.strip()
            if not part:
                continue
            bounds = part.split("-")
            is_range = len(bounds) == 2 and all(b.isdigit() for b in bounds) and len(bounds[0]) == len(bounds[1])
            if is_range and int(bounds[0]) < int(bounds[1]) <= int(bounds[0]) + 200:
                labels += [str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1)]
            else:
                labels.append(part[:20])
        return labels


class SweepForm(VillageFormMixin, forms.Form):
    village_perm = "sites.add_sweep"
    village = forms.ModelChoiceField(label="村/社区", queryset=Area.objects.none())
    done_on = forms.DateField(label="日期", widget=DATE)
    team = forms.CharField(label="参加人员", max_length=200, help_text="如:网格员陈某、民警林某、志愿者 3 人")
    premises = forms.ModelMultipleChoiceField(label="覆盖场所", queryset=Premises.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip
    note = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = _villages(user, self.village_perm)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        if len(villages) == 1:
            self.fields["village"].initial = villages[0]
        self.fields["premises"].queryset = Premises.objects.filter(village__in=villages).select_related("village")
        self.helper = form_helper("village", "done_on", "team", "premises", "note", submit="下一步:逐户登记")

    def clean(self):
        data = super().clean()
        village, premises = data.get("village"), data.get("premises") or []
        if village and any(p.village_id != village.pk for p in premises):
            self.add_error("premises", "只能选择所选村/社区的场所。")
        return data


VISIT_CHOICES = [("", "未登记")] + list(UnitVisit.Status.choices)


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["premises", "unit", "kind", "description", "follow_up", "resolved", "photo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "follow_up": forms.Textarea(attrs={"rows": 2}),
                   "photo": forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})}  # fmt: skip

    def __init__(self, *args, sweep, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].queryset = sweep.premises.all()
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(premises__in=sweep.premises.all())
        self.fields["unit"].label_from_instance = lambda u: f"{u.premises.name} {u.label}"
        self.helper = form_helper(*self.Meta.fields)


class RectificationForm(VillageFormMixin, forms.ModelForm):
    village_perm = "sites.add_rectification"

    class Meta:
        model = Rectification
        fields = ["village", "premises", "source", "clue_ref", "target", "actions", "opened_on", "due_on",
                  "closed_on", "result"]  # fmt: skip
        widgets = {"opened_on": DATE, "due_on": DATE, "closed_on": DATE,
                   "actions": forms.Textarea(attrs={"rows": 3}), "result": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = self._setup_village(user)
        self.fields["premises"].queryset = Premises.objects.filter(village__in=villages)
        self.helper = form_helper(*self.Meta.fields)


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["site", "kind", "occurred_on", "police_case_no", "fraud_type", "amount_lost", "status", "summary"]
        widgets = {"occurred_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perm = "sites.change_incident" if self.instance.pk else "sites.add_incident"
        villages = _villages(user, perm)
        self.fields["site"].queryset = Site.objects.filter(village__in=villages).select_related("village")
        self.fields["site"].label_from_instance = lambda s: f"{s.village.name} · {s.name}"
        self.fields["amount_lost"].widget.attrs["inputmode"] = "decimal"
        self.helper = form_helper(*self.Meta.fields)
