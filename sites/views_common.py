"""Mixins shared by the pages of key persons, premises and incidents."""
import ipaddress

from django.conf import settings
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django_filters.views import FilterView

from .scope import user_has_role_perm
from .views import ScopedFilterMixin


def client_ip(request) -> str | None:
    """The client's address for the access log: a trusted proxy's header if configured, else REMOTE_ADDR."""
    header = settings.WUZHA_CLIENT_IP_HEADER
    value = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address((value or "").split(",")[0].strip()))
    except ValueError:
        return None


class RolePermRequiredMixin:
    """Pages of a family the user's roles do not grant at all answer 404 (their existence stays hidden)."""

    role_perm = "sites.view_keyperson"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_has_role_perm(request.user, self.role_perm):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PagedFilterView(ScopedFilterMixin, RolePermRequiredMixin, FilterView):
    paginate_by = 25

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(querystring=query.urlencode(), **kwargs)


class SensitivePostMixin:
    """Error reports (500 mails, debug pages) replace these POST fields with stars."""

    @method_decorator(sensitive_post_parameters("id_number", "phone", "phone_alt", "number", "manager_phone"))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)
