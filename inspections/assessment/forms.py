"""Forms of the assessment pages."""
import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q

from campaigns.models import Campaign
from sites.models import Area

DEMO_AS_OF = datetime.date(2022, 3, 31)


class StartForm(forms.Form):
    campaign = forms.ModelChoiceField(label="创建活动", queryset=Campaign.objects.none())
    scope = forms.ModelChoiceField(label="考核范围", queryset=Area.objects.none())
    as_of = forms.DateField(label="截至日期", initial=DEMO_AS_OF, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Area.objects.where_user_may(user, "inspections.run_assessment").exclude(level=Area.Level.VILLAGE)
        self.fields["scope"].queryset = areas.order_by("code")
        q = Q(pk__in=[])
        for a in areas:
            q |= Q(scope__code__startswith=a.prefix) | Q(scope__code=a.code[:6].ljust(12, "0"))
        self.fields["campaign"].queryset = (
            Campaign.objects.exclude(status=Campaign.Status.DRAFT).filter(q).select_related("scope").distinct()
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "开始计算"))


class AppealForm(forms.Form):
    village = forms.ModelChoiceField(label="村(社区)", queryset=Area.objects.none())
    reason = forms.CharField(label="复核理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "申请复核"))


class ResolveForm(forms.Form):
    changed = forms.TypedChoiceField(label="处理结果", choices=[("0", "维持原结果"), ("1", "已更正")], coerce=lambda v: v == "1")
    resolution = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "保存处理意见"))
