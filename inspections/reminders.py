"""Reminders of rectification deadlines (N6.4) to the inspected site's liaisons and its village's cadres.

Only rectifications of published results count: a plan not yet published (sealed or not) never produces a
reminder, so nothing about it reaches the inspected before the town publishes.
"""
from datetime import date, timedelta

from django.urls import reverse

from sites.models import Reminder
from sites.reminders import Due, reminders_sync, village_recipients

from .models import Inspection, InspectionPlan, Rectification

LEAD_DAYS = 7


def published_open_rectifications():
    """Open rectification tasks of published inspections of published plans (the only ones the inspected may know)."""
    return Rectification.objects.filter(
        status=Rectification.Status.OPEN, inspection__status=Inspection.Status.PUBLISHED,
        inspection__plan__status=InspectionPlan.Status.PUBLISHED,
    )  # fmt: skip


def rectification_reminders(today: date) -> dict:
    rows = list(
        published_open_rectifications().filter(deadline__lte=today + timedelta(days=LEAD_DAYS))
        .values("pk", "site_id", "site__village_id", "site__name", "deadline")
    )  # fmt: skip
    people = village_recipients({(r["site__village_id"], r["site_id"]) for r in rows}, "inspections.respond_rectification")
    wanted = []
    for r in rows:
        stage, text = ("overdue", "已逾期") if r["deadline"] < today else ("due", "即将到期")
        for user_id in people[(r["site__village_id"], r["site_id"])]:
            wanted.append(Due(user_id, f"rect:{r['pk']}:{stage}", f"{r['site__name']}的整改任务{text}",
                              reverse("inspections:rectification_detail", args=[r["pk"]]), r["deadline"]))  # fmt: skip
    return reminders_sync(Reminder.Kind.RECTIFICATION, wanted)
