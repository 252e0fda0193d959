"""Fraud incidents (N1), entered by town staff; and the site page's panel on premises coverage."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import CreateView, DetailView, FormView, UpdateView

from .filters_keypersons import IncidentFilter
from .forms_areas import IncidentForm
from .forms_keypersons import ReasonForm
from .models import Incident, Premises, Site
from .scope import user_has_role_perm
from .services_areas import coverage_of, incident_annul, incident_save
from .views_common import PagedFilterView, RolePermRequiredMixin


class IncidentListView(PagedFilterView):
    role_perm = "sites.view_incident"
    filterset_class = IncidentFilter
    template_name = "sites/incident_list.html"

    def get_queryset(self):
        incidents = Incident.objects.visible_to(self.request.user).select_related("site__village")
        if self.request.GET.get("annulled") != "true":  # annulled ones only on request
            incidents = incidents.current()
        return incidents.order_by("-occurred_on", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_add=user_has_role_perm(self.request.user, "sites.add_incident"), **kwargs)


class IncidentDetailView(RolePermRequiredMixin, DetailView):
    role_perm = "sites.view_incident"
    model = Incident
    template_name = "sites/incident_detail.html"

    def get_queryset(self):
        return Incident.objects.visible_to(self.request.user).select_related(
            "site__village__parent", "entered_by", "annulled_by"
        )

    def get_context_data(self, **kwargs):
        may_edit = not self.object.annulled_at and (
            Incident.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        )
        return super().get_context_data(may_edit=may_edit, **kwargs)


class IncidentFormMixin(RolePermRequiredMixin):
    model = Incident
    form_class = IncidentForm
    template_name = "sites/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        site = self.request.GET.get("site")
        return {"site": site} if site and site.isdigit() else {}

    def form_valid(self, form):
        if not form.instance.pk:
            form.instance.entered_by = self.request.user
        try:
            incident = incident_save(actor=self.request.user, incident=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存。该单位的“三无”状态已随之更新。")
        return redirect(incident.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="登记涉诈案事件", **kwargs)


class IncidentCreateView(IncidentFormMixin, CreateView):
    role_perm = "sites.add_incident"


class IncidentUpdateView(IncidentFormMixin, UpdateView):
    role_perm = "sites.change_incident"

    def get_queryset(self):
        return Incident.objects.editable_by(self.request.user).current()


class IncidentAnnulView(RolePermRequiredMixin, FormView):
    role_perm = "sites.change_incident"
    model = Incident
    form_class = ReasonForm
    template_name = "sites/simple_form.html"

    def get_incident(self):
        qs = Incident.objects.editable_by(self.request.user).current().select_related("site")
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "作废原因", "submit": "确认作废",
                "help_text": "如:重复登记、单位填错。作废后不再计入“三无”,记录保留。"}  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"作废:{self.get_incident()}", **kwargs)

    def form_valid(self, form):
        incident = self.get_incident()
        try:
            incident_annul(actor=self.request.user, incident=incident, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已作废。该单位的“三无”状态已随之更新。")
        return redirect(incident.get_absolute_url())


class SiteAreasPanelView(DetailView):
    """htmx panel on the site page: premises and sweep coverage of the site (cadres and staff)."""

    model = Site
    template_name = "sites/partials/_site_areas_panel.html"

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        premises = Premises.objects.visible_to(self.request.user).filter(site=self.object)
        ids = list(premises.values_list("pk", flat=True))
        return super().get_context_data(n_premises=len(ids), coverage=coverage_of(ids), **kwargs)
