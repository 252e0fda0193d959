"""Mixins shared by the inspections views: no page cache anywhere, and a log line for sealed plans."""

from django.utils.cache import patch_cache_control

from ..models import SealedViewLog


class NoStoreMixin:
    """Sealed data must never sit in a browser or proxy cache (Cache-Control: no-store)."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, must_revalidate=True)
        return response


def log_sealed_view(request, plan) -> None:
    """Log a look at a sealed plan (GET only: an autosave or a form post is not another look)."""
    if plan.is_sealed and request.method == "GET" and request.user.is_authenticated:
        SealedViewLog.objects.create(plan=plan, user=request.user, path=request.get_full_path()[:300])


def querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
