"""Forms of bulletins (N3.4, N3.5)."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from sites.models import Area, Site

from .forms import MultipleFileInput, MultiplePhotoField
from .models import Bulletin, BulletinReceipt
from .services import covers


class BulletinForm(forms.ModelForm):
    site_kinds = forms.MultipleChoiceField(label="推送单位类型", choices=Site.Kind.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple, help_text="不选则推送所有类型")  # fmt: skip
    images = MultiplePhotoField(label="图片", required=False, help_text="可选多张 JPG、PNG 或 WEBP",
                                widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))  # fmt: skip

    class Meta:
        model = Bulletin
        fields = ["area", "title", "fraud_type", "what_happened", "how_to_guard", "attachment", "site_kinds",
                  "min_new_hires", "to_village_cadres", "due_days"]  # fmt: skip
        widgets = {"what_happened": forms.Textarea(attrs={"rows": 5}), "how_to_guard": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(level__in=(Area.Level.COUNTY, Area.Level.TOWN)).order_by("code")
        self.fields["area"].queryset = areas.filter(
            pk__in=[a.pk for a in areas if covers(user, "campaigns.add_bulletin", village_code=a.code)]
        )
        self.fields["area"].label = "发布范围(县或镇)"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "发布", css_class="btn-primary w-100 w-md-auto"))


class AcknowledgeForm(forms.ModelForm):
    class Meta:
        model = BulletinReceipt
        fields = ["channel", "people_reached", "evidence", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].required = True
        self.fields["people_reached"].required = True
        self.fields["evidence"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "确认已传达", css_class="btn-primary w-100"))

    def clean_evidence(self):
        value = self.cleaned_data.get("evidence")
        return value if value and hasattr(value, "content_type") else None
