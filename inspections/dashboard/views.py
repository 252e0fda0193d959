"""The dashboard page: thin — resolve the node in the user's scope, pick campaign and date, hand over the rows."""
import datetime

from django.http import Http404
from django.views.generic import TemplateView

from campaigns.obligation_data import as_of_param
from sites.models import Site

from ..views.common import NoStoreMixin
from . import access
from .builder import cached_build, node_generations
from .charts import chart_data


class DashboardView(NoStoreMixin, TemplateView):
    """/dashboard/ (the user's own top area), /dashboard/<area code>/ and /dashboard/site/<pk>/: one view."""

    model = Site  # for the scope crawl: the pk route addresses a site
    template_name = "inspections/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may_view(request.user):
            raise Http404("您没有可查看进度看板的辖区。")  # like any out-of-scope address: nothing leaks
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        # ?panel=1: the compact summary the staff home page loads with htmx
        return ["inspections/dashboard_panel.html"] if self.request.GET.get("panel") else [self.template_name]

    def get_node(self):
        user = self.request.user
        if "pk" in self.kwargs:
            return access.node_for_site(user, self.kwargs["pk"])
        if "code" in self.kwargs:
            return access.node_for_area(user, self.kwargs["code"])
        tops = access.top_areas(user)
        return access.node_for_area(user, tops[0].code) if len(tops) == 1 else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, node = self.request.user, self.get_node()
        if node is None:
            return {**ctx, "tops": access.top_areas(user)}
        campaigns = access.campaigns_for(user, node)
        campaign = access.pick(campaigns, self.request.GET.get("campaign"))
        ctx.update(node=node, crumbs=access.breadcrumbs(user, node), campaigns=campaigns, campaign=campaign)
        if campaign is None:
            return ctx
        as_of = as_of_param(campaign, self.request.GET.get("as_of"))  # the same date as the missing list and the home
        gens = node_generations(node)
        data = cached_build(campaign, node, as_of, gens)
        stale = data.get("stale_since")
        return {**ctx, "as_of": as_of, "data": data, "stale_since": stale and datetime.datetime.fromtimestamp(stale, datetime.UTC), "s": data["summary"], "charts": chart_data(data),
                "planned": access.planned(user, campaign, node, gens)}  # fmt: skip
