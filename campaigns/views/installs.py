"""App-install reconciliation page: ledger vs official per village and per site, upload of official figures,
and the campaign's choice of population base and gap threshold. The rates are THE install figure
(`campaigns.installs`), the one the conditions, the score and the dashboard show."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.generic import TemplateView

from sites.models import Area, Site
from sites.scope import user_has_role_perm
from sites.views_common import RolePermRequiredMixin
from wuzha.lib.uploads import SpreadsheetFormField

from ..install_import import HEADERS, official_installs_upload
from ..installs import BASES, KIND_BASES, campaign_base, campaign_gap, install_figures, village_install_figures
from ..obligation_data import as_of_param
from ..services import campaign_save
from .common import CampaignContextMixin


class InstallUploadForm(forms.Form):
    file = SpreadsheetFormField(label="官方安装数表格(xlsx / xls / csv)", extensions=("xlsx", "xls", "et", "csv"))


class InstallSettingsForm(forms.Form):
    base = forms.ChoiceField(label="安装率基数", choices=list(BASES.items()),
                             help_text="达标条件、考核得分、进度看板和本页都按此基数计算;单位没有这项人口时"
                                       "(如校园没有常住人口)按其本身的人数:校园为在校学生数,企业为员工数。")  # fmt: skip
    gap = forms.IntegerField(label="差异提示阈值(%)", min_value=1, max_value=100)


def base_label(campaign) -> str:
    """The chosen base, and the kinds that keep their own population (a school has no residents)."""
    chosen = campaign_base(campaign)
    own = [f"{label}按{BASES[bases[0]]}" for kind, label in (("campus", "校园"), ("enterprise", "企业"),
                                                               ("village", "村居"), ("community", "小区"))
           if chosen not in (bases := KIND_BASES[kind]) and (not campaign.site_kinds or kind in campaign.site_kinds)]  # fmt: skip
    return BASES[chosen] + (f"({'、'.join(own)})" if own else "")


def missing_notes(figures) -> list[tuple[str, list[str]]]:
    """Each 缺少数据 hint once, with the villages and sites it concerns (not once per row or table)."""
    notes: dict[str, list[str]] = {}
    for f in figures:
        if f.missing:
            notes.setdefault(f.missing, []).append(f.name)
    return list(notes.items())


class InstallReconciliationView(RolePermRequiredMixin, CampaignContextMixin, TemplateView):
    role_perm = "campaigns.view_officialinstallfigure"
    template_name = "campaigns/installs.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        campaign, user = self.campaign, self.request.user
        if campaign is None:
            return ctx
        as_of = as_of_param(campaign, self.request.GET.get("as_of"))  # the dashboard's date
        villages = Area.objects.villages().visible_to(user).filter(code__startswith=campaign.scope.prefix).order_by("code")
        sites = (Site.objects.visible_to(user).filter(enrolments__campaign=campaign)
                 .select_related("village").order_by("village__code", "name"))  # fmt: skip
        page = Paginator(sites, 50).get_page(self.request.GET.get("page"))
        vfig = village_install_figures(campaign, villages[:200], as_of)
        sfig = install_figures(campaign, page.object_list, as_of)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            as_of=as_of, village_rows=list(vfig.values()), site_rows=list(sfig.values()), page_obj=page,
            missing=missing_notes([*vfig.values(), *sfig.values()]),
            is_paginated=page.has_other_pages(), querystring=query.urlencode(), base_label=base_label(campaign),
            headers=list(HEADERS.values()), upload_form=InstallUploadForm(),
            settings_form=InstallSettingsForm(initial={"base": campaign_base(campaign), "gap": round(campaign_gap(campaign) * 100)}),
            may_upload=user_has_role_perm(user, "campaigns.add_officialinstallfigure"),
            may_settings=user_has_role_perm(user, "campaigns.change_campaign"),
            upload_errors=self.request.session.pop("install_upload_errors", None),
        )  # fmt: skip
        return ctx

    def post(self, request, *args, **kwargs):
        campaign = self.campaign
        if campaign is None:
            return redirect("campaigns:installs")
        target = f"{request.path}?campaign={campaign.pk}"
        if request.POST.get("action") == "settings":
            form = InstallSettingsForm(request.POST)
            if form.is_valid():
                campaign.rules = {**(campaign.rules or {}), "install_base": form.cleaned_data["base"],
                                  "install_gap": form.cleaned_data["gap"] / 100}  # fmt: skip
                try:
                    campaign_save(actor=request.user, campaign=campaign)
                    messages.success(request, "已保存安装率基数和差异阈值。")
                except (ValidationError, PermissionDenied) as exc:
                    messages.error(request, ";".join(getattr(exc, "messages", ["无权修改该活动。"])))
            return redirect(target)
        form = InstallUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, ";".join(form.errors.get("file", [])) or "请选择要上传的文件。")
            return redirect(target)
        upload = form.cleaned_data["file"]
        try:
            result = official_installs_upload(actor=request.user, campaign=campaign, name=upload.name, data=upload.read())
        except ValidationError as exc:
            request.session["install_upload_errors"] = exc.messages[:200]
            messages.error(request, f"文件有 {len(exc.messages)} 处问题,未导入任何数据,请修改后重新上传。")
        else:
            request.session.pop("install_upload_errors", None)
            messages.success(request, f"已导入:新增 {result.created} 条,更新 {result.updated} 条。")
        return redirect(target)
