"""School duties (N3.4), enterprise visits (N3.5) and village obligations (N6) pages."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, ListView, UpdateView

from sites.models import Site
from sites.scope import user_has_role_perm

from ..channels import CONCENTRATED
from ..duty_services import enterprise_visit_record, school_duty_save, village_duty_record
from ..forms import EnterpriseVisitForm, SchoolDutyForm, VillageDutyForm
from ..models import Activity, EnterpriseVisit, SchoolDuty, VillageDuty
from ..obligations import semester_of, semesters_between
from .common import (
    CampaignContextMixin, NeedsCampaignMixin, QueryInitialMixin, RequirePermMixin, querystring_without,
)  # fmt: skip


class _RecordFormMixin(NeedsCampaignMixin):
    service = None
    success_url_name = ""
    noun = ""
    heading = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "campaign": self.campaign}

    def form_valid(self, form):
        if self.campaign is None:
            form.add_error(None, "目前没有可登记的创建活动。")
            return self.form_invalid(form)
        try:
            type(self).service(actor=self.request.user, **{self.noun: form.instance})
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存。")
        return redirect(self.get_success_url())


class VisitListView(CampaignContextMixin, ListView):
    template_name = "campaigns/visit_list.html"
    paginate_by = 25

    def get_queryset(self):
        qs = EnterpriseVisit.objects.visible_to(self.request.user).select_related("site__village")
        return qs.filter(campaign=self.campaign) if self.campaign else qs.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_add=user_has_role_perm(self.request.user, "campaigns.add_enterprisevisit"),
                                        querystring=querystring_without(self.request, "page"), **kwargs)  # fmt: skip


class VisitCreateView(RequirePermMixin, QueryInitialMixin, _RecordFormMixin, CreateView):
    query_initial = ("site",)
    required_perm = "campaigns.add_enterprisevisit"
    form_class = EnterpriseVisitForm
    template_name = "campaigns/record_form.html"
    service = staticmethod(enterprise_visit_record)
    noun = "visit"
    heading = "登记安办走访企业"

    def get_success_url(self):
        return reverse("campaigns:visit_list")


class VisitUpdateView(_RecordFormMixin, UpdateView):
    model = EnterpriseVisit
    form_class = EnterpriseVisitForm
    template_name = "campaigns/record_form.html"
    service = staticmethod(enterprise_visit_record)
    noun = "visit"
    heading = "修改安办走访记录"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # scope first (404), then the campaign of the record itself
            self.record = get_object_or_404(EnterpriseVisit.objects.editable_by(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        self.campaign = self.record.campaign
        return self.record

    def get_success_url(self):
        return reverse("campaigns:visit_list")


class VillageDutyListView(CampaignContextMixin, ListView):
    template_name = "campaigns/village_duty_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = VillageDuty.objects.visible_to(self.request.user).select_related("village", "host_site")
        return qs.filter(campaign=self.campaign) if self.campaign else qs.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_add=user_has_role_perm(self.request.user, "campaigns.add_villageduty"),
                                        querystring=querystring_without(self.request, "page"), **kwargs)  # fmt: skip


class VillageDutyCreateView(RequirePermMixin, QueryInitialMixin, _RecordFormMixin, CreateView):
    query_initial = ("village", "kind")
    required_perm = "campaigns.add_villageduty"
    form_class = VillageDutyForm
    template_name = "campaigns/record_form.html"
    service = staticmethod(village_duty_record)
    noun = "duty"
    heading = "登记村级工作事项"

    def get_success_url(self):
        return reverse("campaigns:village_duty_list")


class VillageDutyUpdateView(_RecordFormMixin, UpdateView):
    model = VillageDuty
    form_class = VillageDutyForm
    template_name = "campaigns/record_form.html"
    service = staticmethod(village_duty_record)
    noun = "duty"
    heading = "修改村级工作事项"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.record = get_object_or_404(VillageDuty.objects.editable_by(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        self.campaign = self.record.campaign
        return self.record

    def get_success_url(self):
        return reverse("campaigns:village_duty_list")


class SchoolDutyView(_RecordFormMixin, UpdateView):
    """A school's duties page (N3.4): website column, rules clause, semester events and reach coverage."""

    model = Site
    form_class = SchoolDutyForm
    template_name = "campaigns/school_duty.html"
    service = staticmethod(school_duty_save)
    noun = "duty"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # the scope first: out of scope is 404 even without a campaign
            self.site = get_object_or_404(Site.objects.visible_to(request.user).filter(kind=Site.Kind.CAMPUS),
                                          pk=kwargs["pk"])  # fmt: skip
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return SchoolDuty.objects.filter(campaign=self.campaign, site=self.site).first() or SchoolDuty(
            campaign=self.campaign, site=self.site
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"].site = self.site
        return kwargs

    def get_success_url(self):
        return self.request.path

    def get_context_data(self, **kwargs):
        rows = []
        if self.campaign:
            events = Activity.objects.filter(campaign=self.campaign, site=self.site, channel__in=CONCENTRATED)
            for sem in semesters_between(self.campaign.starts_on, self.campaign.ends_on):
                part = events.filter(date__range=(sem.starts, sem.ends))
                sums = part.aggregate(t=Sum("teachers_reached"), s=Sum("students_reached"), p=Sum("parents_reached"))
                rows.append({"semester": sem, "events": part.count(), **sums})
        parents = getattr(self.object, "parents_total", None) or self.site.students
        may_edit = self.campaign is not None and not self.campaign.is_closed and user_has_role_perm(
            self.request.user, "campaigns.change_schoolduty"
        )
        return super().get_context_data(site=self.site, semesters=rows, parents=parents, may_edit=may_edit,
                                        current=semester_of(timezone.localdate()), **kwargs)  # fmt: skip
