"""The inspected side's home panel (cadres, liaisons): open rectification tasks with their deadlines.

Published results only (`published_open_rectifications`): nothing of a plan not yet published shows here.
"""
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from sites.scope import user_has_role_perm
from wuzha.lib.http import NoStoreMixin

from ..models import Rectification
from ..reminders import published_open_rectifications


class RectificationHomePanelView(NoStoreMixin, TemplateView):
    template_name = "inspections/partials/home_rectifications.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_has_role_perm(request.user, "inspections.respond_rectification"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        mine = Rectification.objects.visible_to(self.request.user).filter(pk__in=published_open_rectifications().values("pk"))
        return super().get_context_data(
            rects=mine.select_related("site").order_by("deadline", "pk")[:6], open_count=mine.count(),
            overdue_count=mine.filter(deadline__lt=today).count(), today=today, **kwargs,
        )  # fmt: skip
