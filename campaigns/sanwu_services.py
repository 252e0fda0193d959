"""三无 per site and campaign: the pure rule (sites.sanwu) over the site's incidents in the campaign
period, then a confirmed manual override if there is one. Also the override workflow."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sites.models import Incident, Site
from sites.sanwu import IncidentFact, SanwuResult, evaluate
from sites.scope import user_scope

from .models import Campaign, SanwuOverride


@dataclass(frozen=True)
class SiteSanwu:
    campaign: Campaign
    site: Site
    derived: SanwuResult
    override: SanwuOverride | None  # the active one (pending or confirmed)

    @property
    def holds(self) -> bool:
        if self.override and self.override.is_effective:
            return self.override.holds
        return self.derived.holds

    @property
    def overridden(self) -> bool:
        return bool(self.override and self.override.is_effective and self.override.holds != self.derived.holds)


def campaign_covers(campaign: Campaign, site: Site) -> bool:
    kinds = campaign.site_kinds or []
    return site.village.code.startswith(campaign.scope.prefix) and (not kinds or site.kind in kinds)


def campaigns_q_for_codes(codes: list[str]) -> Q:
    """Campaigns whose scope covers, or lies inside, any of the given area prefixes."""
    q = Q(pk__in=[])
    for prefix in codes:
        covering = [prefix[:n].ljust(12, "0") for n in (6, 9, 12) if n <= len(prefix)]
        q |= Q(scope__code__in=covering) | Q(scope__code__startswith=prefix)
    return q


def campaigns_for_user(user):
    """Campaigns relevant to the sites a user sees (sites.view_site), running or closed first."""
    scope = user_scope(user, "sites.view_site")
    qs = Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related("scope")
    if scope.everything:
        return qs
    codes = scope.area_prefixes + sorted({g.site_village_code for g in scope.grants if g.site_village_code})
    return qs.filter(campaigns_q_for_codes(codes))


def campaigns_for_site(site: Site):
    return [
        c for c in Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related("scope")
        .filter(campaigns_q_for_codes([site.village.code]))
        if campaign_covers(c, site)
    ]  # fmt: skip


def sites_of_campaign(campaign: Campaign, sites):
    qs = sites.filter(village__code__startswith=campaign.scope.prefix)
    return qs.filter(kind__in=campaign.site_kinds) if campaign.site_kinds else qs


def sanwu_for_sites(campaign: Campaign, sites, *, site_ids=None) -> dict[int, SiteSanwu]:
    """Status of each given site in the campaign, from two queries (incidents, overrides).

    `site_ids`: the same sites as a queryset of pks (a subquery instead of thousands of parameters; batches).
    """
    sites = list(sites)
    within = sites if site_ids is None else site_ids
    facts: dict[int, list[IncidentFact]] = {s.pk: [] for s in sites}
    incidents = Incident.objects.filter(
        site__in=within, occurred_on__gte=campaign.starts_on, occurred_on__lte=campaign.ends_on
    ).values_list("pk", "site_id", "kind", "occurred_on", "annulled_at", "fraud_type")
    labels = dict(Incident.FraudType.choices)
    for pk, site_id, kind, day, annulled, fraud in incidents:
        facts[site_id].append(IncidentFact(pk, kind, day, annulled is not None, labels.get(fraud, "")))
    overrides = {
        o.site_id: o
        for o in SanwuOverride.objects.active().filter(campaign=campaign, site__in=within)
        .select_related("requested_by", "confirmed_by")
    }  # fmt: skip
    return {
        s.pk: SiteSanwu(campaign, s, evaluate(facts[s.pk], campaign.starts_on, campaign.ends_on), overrides.get(s.pk))
        for s in sites
    }


def _check(actor, site: Site) -> None:
    if not Site.objects.filter(pk=site.pk).filter(
        user_scope(actor, "sites.change_incident").q(area_code="village__code")
    ).exists():
        raise PermissionDenied("只有负责该村/社区案事件登记的综治办人员可以人工认定“三无”。")


@transaction.atomic
def sanwu_override_request(*, actor, campaign: Campaign, site: Site, holds: bool, reason: str) -> SanwuOverride:
    """Ask for a manual 三无 decision; it has no effect until a second person confirms it."""
    _check(actor, site)
    if not campaign_covers(campaign, site):
        raise ValidationError("该单位不在本活动的创建范围内。")
    override = SanwuOverride(campaign=campaign, site=site, holds=holds, reason=reason.strip(), requested_by=actor)
    override.full_clean()
    override.save()
    return override


@transaction.atomic
def sanwu_override_confirm(*, actor, override: SanwuOverride) -> SanwuOverride:
    """A second person confirms; the requester cannot confirm their own request."""
    override = SanwuOverride.objects.select_for_update().get(pk=override.pk)
    _check(actor, override.site)
    if override.revoked_at or override.confirmed_at:
        raise ValidationError("该认定已确认或已撤销。")
    if override.requested_by_id == actor.pk:
        raise ValidationError("人工认定须由提出人以外的另一人确认。")
    override.confirmed_by, override.confirmed_at = actor, timezone.now()
    override.full_clean()
    override.save(update_fields=["confirmed_by", "confirmed_at"])
    return override


@transaction.atomic
def sanwu_override_revoke(*, actor, override: SanwuOverride, reason: str) -> SanwuOverride:
    _check(actor, override.site)
    if override.revoked_at:
        raise ValidationError("该认定已撤销。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤销原因。"})
    override.revoked_by, override.revoked_at, override.revoke_reason = actor, timezone.now(), reason.strip()
    override.save(update_fields=["revoked_by", "revoked_at", "revoke_reason"])
    return override
