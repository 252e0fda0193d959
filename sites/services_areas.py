"""Writes to premises, units, sweeps, findings, rectifications and fraud incidents, plus the coverage
queries. Same preconditions as every service: the actor's roles grant the write in the village."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .coverage import EMPTY, Coverage, coverage
from .models import Area, Finding, Incident, Premises, Rectification, Sweep, Unit, UnitVisit


def _check_village(*, actor, village_id, perm: str, field: str = "village") -> None:
    if actor is None:
        return
    if not Area.objects.where_user_may(actor, perm).filter(pk=village_id).exists():
        raise ValidationError({field: "您无权在该村/社区登记或修改此记录。"})


@transaction.atomic
def premises_save(*, actor, premises: Premises, units: list[str] | None = None) -> Premises:
    """Create or update premises; `units` (labels such as "1-101") adds the units not there yet."""
    if premises.pk:
        before = Premises.objects.get(pk=premises.pk)
        _check_village(actor=actor, village_id=before.village_id, perm="sites.change_premises")
    perm = "sites.change_premises" if premises.pk else "sites.add_premises"
    _check_village(actor=actor, village_id=premises.village_id, perm=perm)
    premises.full_clean()
    premises.save()
    existing = set(premises.units.values_list("label", flat=True))
    new = [Unit(premises=premises, label=label) for label in dict.fromkeys(units or []) if label not in existing]
    Unit.objects.bulk_create(new)
    return premises


@transaction.atomic
def sweep_record(
    *, actor, sweep: Sweep, premises: list[Premises], visits: dict[int, tuple[str, int, int]] | None = None
) -> Sweep:
    """Record a sweep over `premises`; `visits` as in `sweep_set_visits`."""
    _check_village(actor=actor, village_id=sweep.village_id, perm="sites.add_sweep")
    if not premises or any(p.village_id != sweep.village_id for p in premises):
        raise ValidationError({"premises": "请选择本村/社区的场所。"})
    sweep.full_clean()
    sweep.save()
    sweep.premises.set(premises)
    if visits:
        sweep_set_visits(actor=actor, sweep=sweep, visits=visits)
    return sweep


@transaction.atomic
def sweep_set_visits(*, actor, sweep: Sweep, visits: dict[int, tuple[str, int, int] | None]) -> int:
    """Set each unit's result in this sweep: unit id → (status, residents seen, app installs), or None to
    clear it. Units must belong to the sweep's premises. Returns the number of units recorded."""
    _check_village(actor=actor, village_id=sweep.village_id, perm="sites.change_sweep")
    units = {u.pk: u for u in Unit.objects.filter(premises__in=sweep.premises.all(), pk__in=list(visits))}
    if set(visits) - set(units):
        raise ValidationError("有房间不属于本次扫楼的场所。")
    existing = {v.unit_id: v for v in UnitVisit.objects.filter(sweep=sweep, unit_id__in=list(visits))}
    cleared = [existing[uid].pk for uid, value in visits.items() if value is None and uid in existing]
    new, changed = [], []
    for unit_id, value in visits.items():
        if value is None:
            continue
        visit = existing.get(unit_id) or UnitVisit(sweep=sweep, unit=units[unit_id])
        visit.status, visit.residents_seen, visit.app_installed = value
        visit.clean_fields(exclude=["sweep", "unit"])  # one row per unit is guaranteed by the dict keys
        (changed if visit.pk else new).append(visit)
    UnitVisit.objects.filter(pk__in=cleared).delete()
    UnitVisit.objects.bulk_create(new)
    UnitVisit.objects.bulk_update(changed, ["status", "residents_seen", "app_installed"])
    return UnitVisit.objects.filter(sweep=sweep).count()


@transaction.atomic
def finding_record(*, actor, finding: Finding) -> Finding:
    _check_village(actor=actor, village_id=finding.sweep.village_id, perm="sites.add_finding")
    if finding.premises.village_id != finding.sweep.village_id:
        raise ValidationError({"premises": "只能选择本村/社区的场所。"})
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def rectification_save(*, actor, rectification: Rectification) -> Rectification:
    perm = "sites.change_rectification" if rectification.pk else "sites.add_rectification"
    if rectification.pk:
        before = Rectification.objects.get(pk=rectification.pk)
        _check_village(actor=actor, village_id=before.village_id, perm=perm)
    _check_village(actor=actor, village_id=rectification.village_id, perm=perm)
    rectification.full_clean()
    rectification.save()
    return rectification


def latest_status_subquery():
    latest = UnitVisit.objects.filter(unit=OuterRef("pk")).order_by("-sweep__done_on", "-sweep_id")
    return Subquery(latest.values("status")[:1])


def units_with_status(units):
    return units.annotate(latest_status=latest_status_subquery())


def revisit_units(units):
    """Units whose latest sweep found nobody home: the revisit list."""
    return units_with_status(units).filter(latest_status=UnitVisit.Status.NOBODY)


def coverage_by_premises(premises_ids) -> dict[int, Coverage]:
    """Coverage of each of the given premises, from one query."""
    rows = units_with_status(Unit.objects.filter(premises_id__in=list(premises_ids))).values_list(
        "premises_id", "latest_status"
    )
    statuses: dict[int, list] = {pid: [] for pid in premises_ids}
    for pid, status in rows:
        statuses[pid].append(status)
    return {pid: coverage(s) for pid, s in statuses.items()}


def coverage_of(premises_ids) -> Coverage:
    return sum(coverage_by_premises(premises_ids).values(), EMPTY)


@transaction.atomic
def incident_save(*, actor, incident: Incident) -> Incident:
    """Town staff (or the admin) enter and correct incidents; 三无 is derived from them on read."""
    perm = "sites.change_incident" if incident.pk else "sites.add_incident"
    if incident.pk:
        before = Incident.objects.select_related("site").get(pk=incident.pk)
        if before.annulled_at:
            raise ValidationError("该记录已作废,不能再修改。")
        _check_village(actor=actor, village_id=before.site.village_id, perm=perm, field="site")
    if incident.site_id:
        _check_village(actor=actor, village_id=incident.site.village_id, perm=perm, field="site")
    incident.full_clean()
    incident.save()
    return incident


@transaction.atomic
def incident_annul(*, actor, incident: Incident, reason: str) -> Incident:
    """Annul an incident entered in error; it stops counting for 三无 but stays on record."""
    _check_village(actor=actor, village_id=incident.site.village_id, perm="sites.change_incident", field="site")
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因。"})
    if incident.annulled_at:
        raise ValidationError("该记录已作废。")
    incident.annulled_at, incident.annulled_by, incident.annul_reason = timezone.now(), actor, reason.strip()
    incident.save(update_fields=["annulled_at", "annulled_by", "annul_reason", "updated_at"])
    return incident
