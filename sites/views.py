"""Site pages: thin views over the scoped querysets and the services."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_filters.views import FilterView

from .filters import SiteFilter
from .forms import SiteForm
from .models import Area, Site
from .roles import Role
from .scope import user_has_role_perm, user_roles
from .services import require_perm, site_save, site_set_active


class ScopedFilterMixin:
    """Hands the user to the FilterSet so its choices come from the user's scope."""

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


class HomeView(TemplateView):
    """Each role's start page: real counts of the sites in the user's part of the tree."""

    template_name = "sites/home.html"

    def get_context_data(self, **kwargs):
        sites = Site.objects.visible_to(self.request.user).active()
        kinds = dict(sites.values_list("kind").annotate(n=Count("pk")).order_by())
        by_village = (
            sites.values("village__name", "village__parent__name", "village__code")
            .annotate(n=Count("pk"))
            .order_by("village__code")
        )
        return super().get_context_data(
            kind_counts=[(label, kinds.get(value, 0), value) for value, label in Site.Kind.choices],
            total=sum(kinds.values()),
            by_village=by_village,
            may_add=user_has_role_perm(self.request.user, "sites.add_site"),
            show_dashboard=self.show_dashboard(),
            **kwargs,
        )

    def show_dashboard(self) -> bool:
        """Town and county staff land on their progress dashboard (issue 8; the view lives in inspections)."""
        user = self.request.user
        staff = user.is_superuser or Role.STAFF in user_roles(user)
        return staff and user_has_role_perm(user, "inspections.view_assessmentvillageresult")


class SiteListView(ScopedFilterMixin, FilterView):
    filterset_class = SiteFilter
    paginate_by = 25
    template_name = "sites/site_list.html"

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user).select_related("village__parent").order_by(
            "village__code", "name"
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            may_add=user_has_role_perm(self.request.user, "sites.add_site"), querystring=query.urlencode(), **kwargs
        )


class SiteDetailView(DetailView):
    model = Site
    template_name = "sites/site_detail.html"

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user).select_related("village__parent")

    def get_context_data(self, **kwargs):
        may_edit = Site.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        return super().get_context_data(may_edit=may_edit, **kwargs)


class SiteFormMixin:
    form_class = SiteForm
    template_name = "sites/site_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = site_save(
                actor=self.request.user, site=form.instance, expected_version=form.cleaned_data.get("version")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存创建单位“{self.object.name}”。")
        return redirect(self.object.get_absolute_url())


class SiteCreateView(SiteFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, "sites.add_site")
        return super().dispatch(request, *args, **kwargs)


class SiteUpdateView(SiteFormMixin, UpdateView):
    model = Site

    def get_queryset(self):
        return Site.objects.editable_by(self.request.user)


class SiteActiveView(TemplateView):
    """GET asks to confirm; POST deactivates or reactivates. Nothing is ever deleted."""

    model = Site
    template_name = "sites/site_confirm_active.html"

    def get_site(self):
        return get_object_or_404(Site.objects.editable_by(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.get_site(), **kwargs)

    def post(self, request, pk):
        site = self.get_site()
        site = site_set_active(actor=request.user, site=site, active=not site.is_active)
        messages.success(request, f"已{'恢复' if site.is_active else '停用'}创建单位“{site.name}”。")
        return redirect(reverse("sites:site_detail", args=[site.pk]))
