"""The cadre's and liaison's recent entries on the home page (htmx): their own last records of every kind.

campaigns sits above sites, so it can list both apps' records; each family through its own scope, one
query each (LIMIT), so the panel costs the same whatever the data size.
"""
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.views.generic import TemplateView

from sites.models import Measure, PersuasionAttempt, Sweep
from sites.scope import user_has_role_perm
from wuzha.lib.http import NoStoreMixin

from ..models import Activity, EnterpriseVisit, VillageDuty

SHOWN = 8


@dataclass(frozen=True)
class Entry:
    kind: str
    text: str
    url: str
    at: datetime


def recent_entries(user) -> list[Entry]:
    def mine(model, by: str, perm: str, *related):
        if not user_has_role_perm(user, perm):  # no query for a family the roles do not reach
            return []
        return model.objects.visible_to(user).filter(**{by: user}).select_related(*related).order_by("-created_at", "-pk")[:SHOWN]

    rows = []
    for a in mine(Activity, "created_by", "campaigns.view_activity", "site", "village"):
        rows.append(Entry("宣传活动", str(a), a.get_absolute_url(), a.created_at))
    for v in mine(EnterpriseVisit, "created_by", "campaigns.view_enterprisevisit", "site"):
        rows.append(Entry("企业走访", str(v), reverse("campaigns:visit_update", args=[v.pk]), v.created_at))
    for d in mine(VillageDuty, "created_by", "campaigns.view_villageduty", "village"):
        rows.append(Entry("村级事项", str(d), reverse("campaigns:village_duty_update", args=[d.pk]), d.created_at))
    for s in mine(Sweep, "created_by", "sites.view_sweep"):
        rows.append(Entry("扫楼行动", f"{s.done_on:%Y-%m-%d} 扫楼 · {s.team[:20]}", s.get_absolute_url(), s.created_at))
    for m in mine(Measure, "done_by", "sites.view_measure", "person"):
        rows.append(Entry("管控措施", f"{m.person.name} · {m}", m.person.get_absolute_url(), m.created_at))
    for p in mine(PersuasionAttempt, "done_by", "sites.view_persuasionattempt", "case__person"):
        rows.append(Entry("劝返记录", f"{p.case.person.name} · {p}", p.case.person.get_absolute_url(), p.created_at))
    rows.sort(key=lambda e: e.at, reverse=True)
    return rows[:SHOWN]


class RecentPanelView(NoStoreMixin, TemplateView):
    template_name = "campaigns/partials/home_recent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=recent_entries(self.request.user), **kwargs)


@dataclass(frozen=True)
class QuickAdd:
    label: str
    icon: str
    url: str


def quick_adds(user) -> list[QuickAdd]:
    """The entry forms this user's roles may use, most frequent first; a form with nothing to pick is left out."""
    from django.db.models import Count

    from sites.models import Site

    may = lambda perm: user_has_role_perm(user, perm)  # noqa: E731
    kinds = dict(Site.objects.visible_to(user).active().values_list("kind").annotate(n=Count("pk")).order_by())
    buttons = []
    if may("campaigns.add_activity"):
        buttons.append(QuickAdd("登记宣传活动", "megaphone", reverse("campaigns:activity_create")))
    if may("campaigns.add_enterprisevisit") and kinds.get(Site.Kind.ENTERPRISE):
        buttons.append(QuickAdd("企业走访", "building", reverse("campaigns:visit_create")))
    if may("sites.add_measure"):
        buttons.append(QuickAdd("重点人员走访", "person-check", reverse("sites:keyperson_list") + "?mine=true"))
    if may("sites.add_sweep"):
        buttons.append(QuickAdd("扫楼登记", "house-door", reverse("sites:sweep_create")))
    if may("sites.add_keyperson"):
        buttons.append(QuickAdd("新建重点人员档案", "person-plus", reverse("sites:keyperson_create")))
    if may("campaigns.add_villageduty"):
        buttons.append(QuickAdd("村级工作事项", "flag", reverse("campaigns:village_duty_create")))
    if may("campaigns.change_schoolduty") and kinds.get(Site.Kind.CAMPUS) == 1:
        campus = Site.objects.visible_to(user).active().filter(kind=Site.Kind.CAMPUS).values_list("pk", flat=True).first()
        buttons.append(QuickAdd("学校任务", "mortarboard", reverse("campaigns:school_duty", args=[campus])))
    return buttons


class QuickAddPanelView(NoStoreMixin, TemplateView):
    template_name = "campaigns/partials/home_quick.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(buttons=quick_adds(self.request.user), **kwargs)
