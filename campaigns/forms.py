"""Forms of the campaigns app: fields validate here; scope, lock and invariants live in services and models."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from sites.models import Area, Site
from wuzha.lib.uploads import MultipleFileInput, MultiplePhotoField  # noqa: F401  (bulletin_forms imports them here)

from .channels import CHANNEL_FIELDS, REACH_FIELDS
from .models import Activity, Campaign, EnterpriseVisit, SchoolDuty, VillageDuty
from .obligations import RULES, rule_settings
from .services import covers


def _villages_for(user, perm, campaign):
    villages = Area.objects.villages().filter(code__startswith=campaign.scope.prefix).select_related("parent")
    return villages.filter(pk__in=[v.pk for v in villages if covers(user, perm, village_code=v.code)]) if not (
        user.is_superuser
    ) else villages


def _channel_div(field: str) -> Div:
    required = " ".join(c for c, (req, _) in CHANNEL_FIELDS.items() if field in req)
    shown = " ".join(c for c, (req, opt) in CHANNEL_FIELDS.items() if field in req or field in opt)
    return Div(field, css_class="channel-field", data_channels=shown, data_required=required)


class ActivityForm(forms.ModelForm):
    photos = MultiplePhotoField(
        label="现场照片(可多选)", required=False,
        help_text="JPG、PNG 或 WEBP,每张不超过 10 MB;拍摄时间和地点会一并保存。",
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
    )  # fmt: skip

    class Meta:
        model = Activity
        fields = [
            "date", "village", "site", "channel", "title", *REACH_FIELDS, "app_installs",
            "cadres", "police", "grid_workers", "volunteers", "notes",
        ]  # fmt: skip
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "notes": forms.Textarea(attrs={"rows": 2}),
                   "post_links": forms.Textarea(attrs={"rows": 2, "placeholder": "https://…"})}  # fmt: skip

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        perm = "campaigns.change_activity" if self.instance.pk else "campaigns.add_activity"
        villages = _villages_for(user, perm, campaign)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        sites = Site.objects.visible_to(user).active().filter(village__code__startswith=campaign.scope.prefix)
        self.fields["site"].queryset = sites.select_related("village")
        self.fields["site"].required = False
        self.fields["site"].empty_label = "(整个村/社区)"
        if not self.instance.pk:
            # Today, kept inside the campaign's period (a past campaign opens on its last day).
            self.fields["date"].initial = min(max(timezone.localdate(), campaign.starts_on), campaign.ends_on)
            if len(villages) == 1:
                self.fields["village"].initial = villages[0]
            own = [s for s in sites if covers(user, perm, village_code="~", site_id=s.pk)]
            if len(villages) == 0 and len(own) == 1:  # liaisons: their own site, its village
                self.fields["site"].initial = own[0]
                self.fields["village"].queryset = Area.objects.filter(pk=own[0].village_id).select_related("parent")
                self.fields["village"].initial = own[0].village
        for name in (*REACH_FIELDS, "app_installs", "cadres", "police", "grid_workers", "volunteers"):
            if name != "post_links":
                self.fields[name].widget.attrs.update(inputmode="numeric", min=0)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(Div("date", css_class="col-6"), Div("channel", css_class="col-6"), css_class="row"),
            "village", "site", "title",
            Fieldset("规模", *[_channel_div(f) for f in REACH_FIELDS], "app_installs"),
            Fieldset("参与人员", Div(*[Div(f, css_class="col-6 col-md-3") for f in
                                    ("cadres", "police", "grid_workers", "volunteers")], css_class="row")),
            Field("photos"), "notes",
            Submit("submit", "保存", css_class="btn-primary w-100"),
        )  # fmt: skip

    def clean(self):
        data = super().clean()
        site, village = data.get("site"), data.get("village")
        if site and village and site.village_id != village.pk:
            self.add_error("site", "所选创建单位不属于该村/社区。")
        return data


class _SiteRecordForm(forms.ModelForm):
    kind = None

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        sites = Site.objects.visible_to(user).active().filter(kind=self.kind, village__code__startswith=campaign.scope.prefix)
        if "site" in self.fields:
            self.fields["site"].queryset = sites.select_related("village")
            if len(sites) == 1:
                self.fields["site"].initial = sites[0]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "保存", css_class="btn-primary w-100"))


class EnterpriseVisitForm(_SiteRecordForm):
    kind = Site.Kind.ENTERPRISE

    class Meta:
        model = EnterpriseVisit
        fields = ["site", "visited_on", "visitors", "methods_pushed", "new_hires", "finance_controls",
                  "owners_educated", "risk_screening", "notes"]  # fmt: skip
        widgets = {"visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "methods_pushed": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["visited_on"].initial = timezone.localdate()


class SchoolDutyForm(_SiteRecordForm):
    kind = Site.Kind.CAMPUS

    class Meta:
        model = SchoolDuty
        fields = ["column_url", "rules_clause", "rules_document", "parents_total"]


class VillageDutyForm(forms.ModelForm):
    class Meta:
        model = VillageDuty
        fields = ["village", "kind", "done_on", "document", "members", "photo", "host_site", "visitors", "notes"]
        widgets = {"done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "members": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        villages = _villages_for(user, "campaigns.add_villageduty", campaign)
        self.fields["village"].queryset = villages
        if len(villages) == 1:
            self.fields["village"].initial = villages[0]
        self.fields["host_site"].queryset = Site.objects.active().filter(
            village__code__startswith=campaign.scope.prefix
        ).select_related("village")
        self.fields["done_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "保存", css_class="btn-primary w-100"))


class CampaignForm(forms.ModelForm):
    site_kinds = forms.MultipleChoiceField(label="参与创建的单位类型", choices=Site.Kind.choices,
                                           widget=forms.CheckboxSelectMultiple, required=False,
                                           help_text="不选表示全部类型")  # fmt: skip

    class Meta:
        model = Campaign
        fields = ["name", "document_no", "scope", "starts_on", "ends_on", "assessment_on", "site_kinds",
                  "issuing_office", "report_issued_on"]  # fmt: skip
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for f in ("starts_on", "ends_on", "assessment_on", "report_issued_on")}  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perm = "campaigns.change_campaign" if self.instance.pk else "campaigns.add_campaign"
        areas = Area.objects.where_user_may(user, perm).exclude(level=Area.Level.VILLAGE)
        self.fields["scope"].queryset = areas
        if not self.instance.pk and len(areas) == 1:
            self.fields["scope"].initial = areas[0]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "保存", css_class="btn-primary w-100 w-md-auto"))


class CampaignRulesForm(forms.Form):
    """One switch and the parameters of every obligation rule, stored in Campaign.rules."""

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        current = rule_settings(campaign.rules)
        for code, rule in RULES.items():
            for key, default in rule.defaults.items():
                name = f"{code}__{key}"
                value = current[code][key]
                if isinstance(default, bool):
                    self.fields[name] = forms.BooleanField(label=f"{rule.label}({rule.n_id}):启用", required=False, initial=value)
                elif isinstance(default, int):
                    self.fields[name] = forms.IntegerField(label=f"{rule.label}:{key}", min_value=0, max_value=366, initial=value)
                else:
                    self.fields[name] = forms.CharField(label=f"{rule.label}:{key}(逗号分隔,留空为全部)", required=False,
                                                        initial=",".join(value))  # fmt: skip
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "保存规则", css_class="btn-primary"))

    def rules(self) -> dict:
        out: dict = {}
        for name, value in self.cleaned_data.items():
            code, key = name.split("__", 1)
            if isinstance(value, str):
                value = [v.strip() for v in value.replace(",", ",").split(",") if v.strip()]
            out.setdefault(code, {})[key] = value
        return out


class SurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label="您对本单位反诈宣传工作的满意程度", coerce=int, widget=forms.RadioSelect,
        choices=[(5, "很满意"), (4, "满意"), (3, "一般"), (2, "不满意"), (1, "很不满意")],
    )  # fmt: skip
    knows_app = forms.TypedChoiceField(label="您是否知道并安装了“国家反诈中心”APP?", coerce=lambda v: v == "1",
                                       choices=[("1", "是"), ("0", "否")], widget=forms.RadioSelect)  # fmt: skip
    knows_hotline = forms.TypedChoiceField(label="您是否知道反诈专线 96110?", coerce=lambda v: v == "1",
                                           choices=[("1", "是"), ("0", "否")], widget=forms.RadioSelect)  # fmt: skip
    comment = forms.CharField(label="意见建议(选填,请勿填写姓名、电话等个人信息)", required=False, max_length=200,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
