"""Mixins shared by the pages of key persons, premises and incidents."""
from django.http import Http404
from django_filters.views import FilterView

from .scope import user_has_role_perm
from .views import ScopedFilterMixin


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


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
