"""Per-town generation counters: every write to a record the dashboard reads bumps its town's counter.

A cached dashboard's key holds the counters of every town under its area, so a write in town T makes
every cached page covering T unreachable at once (county, T, its villages and sites), and nothing else.
Campaign-wide inputs (campaign, assessment rules, standards) bump one global counter. The bulk activity
import sends `campaigns.signals.activities_bulk_saved`; other writes that bypass signals (`queryset.update`)
are caught only by the entries' freshness limit (`TTL`).
"""
from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

TTL = 15 * 60  # an entry is fresh this long at most, even without a write (writes that bypass signals)
KEEP = 24 * 3600  # how long an entry stays around to be served stale (county level) while it is rebuilt
LOCK_SECONDS = 10 * 60  # one builder per entry at a time
WAIT_SECONDS = 90  # how long other requests wait for that builder's result
GLOBAL = "dash:gen:all"


def town_key(town_prefix: str) -> str:
    return f"dash:gen:{town_prefix}"


def generations(town_prefixes) -> str:
    """The current counters of the given towns (and the global one), as one string for a cache key."""
    keys = [GLOBAL, *(town_key(p) for p in sorted(town_prefixes))]
    found = cache.get_many(keys)
    return ".".join(str(found.get(k, 0)) for k in keys)


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value differs from what keys were built on
        cache.add(key, 1, timeout=None) or cache.incr(key)


# model label → path to the village code (the same path as the model's scope), for the records the
# dashboard's figures read. Area codes are 12 digits; the first 9 name the town.
FEEDS = {
    "sites.Site": "village__code",
    "sites.Incident": "site__village__code",
    "sites.KeyPerson": "village__code",
    "campaigns.Activity": "village__code",
    "campaigns.Enrolment": "site__village__code",
    "campaigns.EnterpriseVisit": "site__village__code",
    "campaigns.SchoolDuty": "site__village__code",
    "campaigns.VillageDuty": "village__code",
    "campaigns.SurveyResponse": "enrolment__site__village__code",
    "campaigns.OfficialInstallFigure": "village__code",
    "campaigns.SanwuOverride": "site__village__code",
    "inspections.Inspection": "site__village__code",
    "inspections.ItemScore": "inspection__site__village__code",
    "inspections.Rectification": "site__village__code",
    # not in the figures, but in the per-user count of plans (cached per user, see access.planned)
    "inspections.InspectionPlan": "area__code",
    "inspections.PlanInspector": "plan__area__code",
}
GLOBAL_FEEDS = ("campaigns.Campaign", "inspections.AssessmentRules", "inspections.Standard", "inspections.StandardItem",
                "sites.Membership")  # who is a plan insider


def _village_code(instance, path: str) -> str | None:
    obj = instance
    for part in path.split("__")[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, "code", None)


def _on_write(sender, instance, **kwargs):
    code = _village_code(instance, FEEDS[sender._meta.label])
    if code and code[6:9] != "000":  # a village or town (a county-wide plan reaches every town)
        bump(town_key(code[:9]))
    else:  # e.g. a row whose parent is already gone: play safe
        bump(GLOBAL)


def _on_global_write(sender, **kwargs):
    bump(GLOBAL)


def _on_bulk_write(sender, village_codes, **kwargs):
    """Bulk imports write with `bulk_create`/`bulk_update`, which send no post_save: bump their towns here."""
    for code in village_codes:
        bump(town_key(code[:9]) if code and code[6:9] != "000" else GLOBAL)


def connect() -> None:
    from django.apps import apps

    from campaigns.signals import activities_bulk_saved

    activities_bulk_saved.connect(_on_bulk_write, weak=False, dispatch_uid="dash-activity-bulk")
    for label in FEEDS:
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, weak=False, dispatch_uid=f"dash-{label}-save")
        post_delete.connect(_on_write, sender=model, weak=False, dispatch_uid=f"dash-{label}-delete")
    for label in GLOBAL_FEEDS:
        model = apps.get_model(label)
        post_save.connect(_on_global_write, sender=model, weak=False, dispatch_uid=f"dash-{label}-save")
        post_delete.connect(_on_global_write, sender=model, weak=False, dispatch_uid=f"dash-{label}-delete")
