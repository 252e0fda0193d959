"""Forms of the assessment pages."""
import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q

from campaigns.models import Campaign
from sites.models import Area

from .rules import COMPONENT_LABELS, merged, validate

DEMO_AS_OF = datetime.date(2022, 3, 31)


class StartForm(forms.Form):
    campaign = forms.ModelChoiceField(label="创建活动", queryset=Campaign.objects.none())
    scope = forms.ModelChoiceField(label="考核范围", queryset=Area.objects.none())
    as_of = forms.DateField(label="截至日期", initial=DEMO_AS_OF,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))  # what <input type=date> reads

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


class RulesForm(forms.Form):
    """The assessment rules of one campaign (weights, title threshold, gates, the village roll-up); saved as a
    new version by `assessment_rules_save`."""

    inspection_score = forms.ChoiceField(label="明察暗访得分取法", choices=[("latest", "期内最近一次"), ("mean", "期内平均分")])
    app_install_target = forms.IntegerField(label="APP安装率满分线(%)", min_value=1, max_value=100)
    satisfied_at_least = forms.IntegerField(label="满意的最低评分(1–5)", min_value=1, max_value=5)
    title_min_score = forms.DecimalField(label="命名分数线", min_value=0, max_value=100, decimal_places=2, max_digits=5)
    title_all_gates = forms.BooleanField(label="命名须门槛全部满足(“三无”及标准达标条件)", required=False)
    title_no_open_rectification = forms.BooleanField(label="命名须无未完成整改", required=False)
    sanwu_zeroes = forms.BooleanField(label="“三无”不成立时单位得分为 0(一票否决)", required=False)
    village_sites_weight = forms.IntegerField(label="村(社区)得分:单位平均分权重(%)", min_value=0, max_value=100)
    village_own_weight = forms.IntegerField(label="村(社区)得分:村级任务完成率权重(%)", min_value=0, max_value=100)
    appeal_days = forms.IntegerField(label="复核申请期限(天)", min_value=1, max_value=60)
    note = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(self, *args, rules: dict | None = None, **kwargs):
        r = merged(rules)
        initial = {
            "inspection_score": r["inspection_score"], "app_install_target": r["app_install_target"],
            "satisfied_at_least": r["satisfied_at_least"], "title_min_score": r["title"]["min_score"],
            "title_all_gates": r["title"]["all_gates"], "title_no_open_rectification": r["title"]["no_open_rectification"],
            "sanwu_zeroes": r["sanwu_zeroes"], "village_sites_weight": r["village"]["sites_weight"],
            "village_own_weight": r["village"]["own_weight"], "appeal_days": r["appeal_days"],
        } | {f"weight_{k}": r["weights"].get(k, 0) for k in COMPONENT_LABELS}  # fmt: skip
        super().__init__(*args, initial=initial, **kwargs)
        for key, label in COMPONENT_LABELS.items():
            self.fields[f"weight_{key}"] = forms.IntegerField(label=f"{label}权重", min_value=0, max_value=100)
        order = [f"weight_{k}" for k in COMPONENT_LABELS]
        self.order_fields(order + [f for f in self.fields if f not in order])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "保存为新版本"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if sum(data[f"weight_{k}"] for k in COMPONENT_LABELS) <= 0:
            raise forms.ValidationError("各计分项的权重之和须大于 0。")
        if data["village_sites_weight"] + data["village_own_weight"] <= 0:
            raise forms.ValidationError("村(社区)得分的两项权重不能都为 0。")
        try:
            validate(self.rules())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data

    def rules(self) -> dict:
        d = self.cleaned_data
        min_score = d["title_min_score"]
        return {
            "weights": {k: d[f"weight_{k}"] for k in COMPONENT_LABELS},
            "inspection_score": d["inspection_score"], "app_install_target": d["app_install_target"],
            "satisfied_at_least": d["satisfied_at_least"], "sanwu_zeroes": d["sanwu_zeroes"],
            "title": {"min_score": int(min_score) if min_score == int(min_score) else float(min_score),
                      "all_gates": d["title_all_gates"], "no_open_rectification": d["title_no_open_rectification"]},
            "village": {"sites_weight": d["village_sites_weight"], "own_weight": d["village_own_weight"]},
            "appeal_days": d["appeal_days"],
        }  # fmt: skip
