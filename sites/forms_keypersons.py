"""Forms for key-person files. ID numbers and phones are never put back into a form: an edit form
shows them masked and changes them only when a new value is typed."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import AbroadCase, Area, KeyPerson, Measure, PersuasionAttempt, Relative
from .roles import Role

PII_FIELDS = ("id_number", "phone", "phone_alt")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def form_helper(*layout, submit="保存") -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*layout, Submit("submit", submit, css_class="btn-primary w-100 w-md-auto"))
    return helper


class KeyPersonForm(forms.ModelForm):
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False)
    phone = forms.CharField(label="手机号码", max_length=11, required=False)
    phone_alt = forms.CharField(label="备用手机号", max_length=11, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = KeyPerson
        fields = ["village", "name", "gender", "household_address", "current_address", "category", "risk_level",
                  "status", "close_reason", "cadre", "police_officer", "notes"]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perm = "sites.change_keyperson" if self.instance.pk else "sites.add_keyperson"
        villages = Area.objects.where_user_may(user, perm).villages().select_related("parent")
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        if not self.instance.pk and len(villages) == 1:
            self.fields["village"].initial = villages[0]
        codes = [v.code for v in villages]
        self.fields["cadre"].queryset = (
            get_user_model().objects.filter(
                Q(pk=user.pk) | Q(memberships__role=Role.CADRE, memberships__area__code__in=codes)
            ).distinct().order_by("username")
        )  # fmt: skip
        self.fields["cadre"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text", **{"class": "form-control text-uppercase"})
        for name in ("phone", "phone_alt"):
            self.fields[name].widget.attrs.update(autocomplete="off", inputmode="tel")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            masks = {"id_number": self.instance.masked_id, "phone": self.instance.masked_phone,
                     "phone_alt": self.instance.masked_phone_alt}  # fmt: skip
            for name, mask in masks.items():
                self.fields[name].help_text = f"当前:{mask or '未填写'}。留空表示不修改。"
        else:
            self.fields["id_number"].required = True
        self.helper = form_helper(
            Fieldset("身份", "village", "name", "id_number", "gender"),
            Fieldset("联系方式与住址", "phone", "phone_alt", "household_address", "current_address"),
            Fieldset("管控", "category", "risk_level", "status", "close_reason", "cadre", "police_officer", "notes"),
            "version",
        )

    def _post_clean(self):
        for name in PII_FIELDS:
            value = (self.cleaned_data.get(name) or "").strip()
            if value or not self.instance.pk:
                setattr(self.instance, name, value.upper() if name == "id_number" else value)
        super()._post_clean()


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, label="理由", help_text="", submit="确认", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.helper = form_helper("reason", submit=submit)


class RelativeForm(forms.ModelForm):
    phone = forms.CharField(label="电话", max_length=11, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))

    class Meta:
        model = Relative
        fields = ["name", "relation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["phone"].help_text = f"当前:{self.instance.masked_phone or '未填写'}。留空表示不修改。"
        self.helper = form_helper("name", "relation", "phone")

    def _post_clean(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone or not self.instance.pk:
            self.instance.phone = phone
        super()._post_clean()


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["kind", "done_on", "participants", "content", "next_due_on"]
        widgets = {"done_on": DATE, "next_due_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.Meta.fields)


class AbroadCaseForm(forms.ModelForm):
    class Meta:
        model = AbroadCase
        fields = ["country", "since", "stage", "returned_on"]
        widgets = {"since": DATE, "returned_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.Meta.fields)


class AttemptForm(forms.ModelForm):
    class Meta:
        model = PersuasionAttempt
        fields = ["done_on", "via", "relative", "channel", "outcome", "stage_after"]
        widgets = {"done_on": DATE, "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relative"].queryset = case.person.relatives.all()
        self.fields["stage_after"].initial = case.stage
        self.helper = form_helper(*self.Meta.fields)
