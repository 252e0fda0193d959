"""Small helpers the campaign views share."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from sites.scope import user_has_role_perm

from ..models import Campaign


def current_campaign(request) -> Campaign | None:
    """The campaign a page is about: ?campaign=pk among the visible ones, else the latest running one."""
    visible = Campaign.objects.visible_to(request.user).select_related("scope")
    wanted = request.GET.get("campaign") or request.POST.get("campaign")
    if wanted and str(wanted).isdigit():
        found = visible.filter(pk=wanted).first()
        if found:
            return found
    return visible.order_by("-status", "-starts_on").filter(status=Campaign.Status.RUNNING).first() or visible.first()


class CampaignContextMixin:
    """Resolves the current campaign once; pages without any visible campaign say so."""

    def dispatch(self, request, *args, **kwargs):
        self.campaign = current_campaign(request) if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)


class NeedsCampaignMixin(CampaignContextMixin):
    """Entry pages: without a visible campaign there is nothing to record against."""

    def dispatch(self, request, *args, **kwargs):
        self.campaign = current_campaign(request) if request.user.is_authenticated else None
        if request.user.is_authenticated and self.campaign is None:
            messages.warning(request, "目前没有进行中的创建活动,无法登记。")
            return redirect("campaigns:campaign_list")
        return super(CampaignContextMixin, self).dispatch(request, *args, **kwargs)


class RequirePermMixin:
    required_perm = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_has_role_perm(request.user, self.required_perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def querystring_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class QueryInitialMixin:
    """A create form filled in from the link that led to it (the home to-do): ?site=…&channel=… (listed fields only).

    Only initial values: the form's own querysets still decide what may be chosen."""

    query_initial: tuple[str, ...] = ()

    def get_initial(self):
        initial = super().get_initial()
        for name in self.query_initial:
            value = self.request.GET.get(name, "")
            if value and len(value) <= 40:
                initial[name] = value
        return initial
