"""Forms of public tip-offs (N5.3)."""
from django import forms
from django.contrib.auth import get_user_model

from wuzha.lib.uploads import MultipleFileInput as _MultipleFileInput
from wuzha.lib.uploads import MultiplePhotoField as _MultipleImageField

from .models import Area, Incident, Membership, Premises, Site, Sweep, TipOff
from .roles import Role


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.village.name} · {obj.name}"


class TipOffForm(forms.Form):
    kind = forms.ChoiceField(label="您要举报什么", choices=TipOff.Kind.choices, widget=forms.RadioSelect)
    what = forms.CharField(label="情况描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="看到了什么、涉及什么人或设备、车辆等")  # fmt: skip
    village = VillageChoiceField(label="所在村(社区)", queryset=Area.objects.none())
    site = SiteChoiceField(label="所在小区/单位(可不选)", queryset=Site.objects.none(), required=False)
    address = forms.CharField(label="具体地点", max_length=200, required=False, help_text="如 几号楼几单元、门牌号、店名")
    happened_on = forms.DateField(label="发现日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    photos = _MultipleImageField(label="照片(可选,最多 4 张)", required=False,
                                 widget=_MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))  # fmt: skip
    contact_name = forms.CharField(label="您的称呼(可不填)", max_length=30, required=False)
    contact_phone = forms.CharField(label="联系电话(可不填)", max_length=11, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                                    help_text="留下电话便于核实;不填也可匿名举报。信息加密保存,仅办理人员按规定查看。")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Area.objects.villages().select_related("parent").order_by("code")
        self.fields["site"].queryset = (
            Site.objects.active().exclude(kind=Site.Kind.VILLAGE).select_related("village").order_by("village__code", "name")
        )  # fmt: skip


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(label="回执码", max_length=12, widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                                      "autocapitalize": "characters"}))  # fmt: skip

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


def staff_users_for(village: Area):
    """Town staff whose area contains the village (candidates for assignment)."""
    codes = [village.code[:n].ljust(12, "0") for n in (6, 9)]
    ids = Membership.objects.filter(role=Role.STAFF, area__code__in=codes).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="承办人", queryset=get_user_model().objects.none())

    def __init__(self, *args, tip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_users_for(tip.village)


class NoteForm(forms.Form):
    text = forms.CharField(label="跟进情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(forms.Form):
    premises = forms.ModelChoiceField(label="出租屋/场所", queryset=Premises.objects.none(), required=False)
    sweep = forms.ModelChoiceField(label="扫楼行动", queryset=Sweep.objects.none(), required=False)
    incident = forms.ModelChoiceField(label="案事件", queryset=Incident.objects.none(), required=False)

    def __init__(self, *args, tip=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].queryset = Premises.objects.visible_to(user).filter(village=tip.village)
        self.fields["sweep"].queryset = Sweep.objects.visible_to(user).filter(village=tip.village)
        self.fields["incident"].queryset = Incident.objects.visible_to(user).filter(site__village=tip.village)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=TipOff.Outcome.choices)
    note = forms.CharField(label="核查处置情况", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
