"""Reminders from the obligation rules: the enterprise visit due this month (N3.5) and the school's semester
event due (N3.4), for every running campaign, to the village's cadres and the site's liaisons who may record it.

Which obligations are due comes from `obligation_status` (the same rules as the to-do, the dashboard and the
assessment); `sites.reminders.reminders_sync` makes the rows idempotent and resolves what got done.
"""
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from sites.models import Reminder, Site
from sites.reminders import Due, reminders_sync, village_recipients

from .models import Campaign, Enrolment
from .obligation_data import obligation_status

# rule → (reminder kind, permission that records it, days before the due date the reminder starts)
REMINDED = {
    "enterprise_monthly_visit": (Reminder.Kind.ENTERPRISE_VISIT, "campaigns.add_enterprisevisit", 31),
    "school_semester_event": (Reminder.Kind.SCHOOL_EVENT, "campaigns.add_activity", 30),
}


def fulfil_url(o, campaign_id: int, village_id: int | None) -> str:
    """The form that fulfils an obligation, filled in for its subject (also used by the home to-do)."""
    query = {"campaign": campaign_id}
    if o.rule == "enterprise_monthly_visit":
        return reverse("campaigns:visit_create") + "?" + urlencode({**query, "site": o.subject_id})
    if o.rule in ("school_semester_event", "recent_outreach"):
        channel = "event" if o.rule == "school_semester_event" else "door"
        query = {**query, "village": village_id or "", "site": o.subject_id, "channel": channel}
        return reverse("campaigns:activity_create") + "?" + urlencode(query)
    kind = {"工作方案": "plan", "工作专班": "office", "启动仪式": "launch", "活动总结": "summary"}.get(o.label, "")
    return reverse("campaigns:village_duty_create") + "?" + urlencode({**query, "village": village_id or "", "kind": kind})


def due_now(o, today: date, lead_days: int) -> bool:
    """Not done, its period has begun and it falls due within `lead_days` (today included)."""
    return not o.done and o.starts <= today <= o.due and (o.due - today).days < lead_days


def obligation_reminders(today: date) -> dict:
    wanted = {kind: [] for kind, _, _ in REMINDED.values()}
    campaigns = Campaign.objects.filter(status=Campaign.Status.RUNNING, starts_on__lte=today, ends_on__gte=today)
    for campaign in campaigns:
        enrolled = Enrolment.objects.filter(campaign=campaign).exclude(status=Enrolment.Status.FAILED).values("site_id")
        sites = Site.objects.filter(pk__in=enrolled, kind__in=[Site.Kind.ENTERPRISE, Site.Kind.CAMPUS])
        items = [o for o in obligation_status(campaign, sites, today)
                 if o.rule in REMINDED and due_now(o, today, REMINDED[o.rule][2])]  # fmt: skip
        if not items:
            continue
        villages = dict(Site.objects.filter(pk__in={o.subject_id for o in items}).values_list("pk", "village_id"))
        for rule, (kind, perm, _) in REMINDED.items():
            mine = [o for o in items if o.rule == rule]
            people = village_recipients({(villages[o.subject_id], o.subject_id) for o in mine}, perm)
            for o in mine:
                v = villages[o.subject_id]
                for user_id in people[(v, o.subject_id)]:
                    wanted[kind].append(Due(
                        user_id, f"{rule}:{campaign.pk}:{o.subject_id}:{o.starts.isoformat()}",
                        f"{o.subject_name}:{o.label}尚未登记", fulfil_url(o, campaign.pk, v), o.due,
                    ))  # fmt: skip
    kinds = list(wanted)
    return {str(kind): reminders_sync(kind, wanted[kind], mail=kind == kinds[-1]) for kind in kinds}
