"""App-install reconciliation: ledger (self-reported, sum of Activity.app_installs) against the official
figures (uploaded per village or site for a date), over the population base the campaign chooses.

`install_figures(campaign, sites, as_of)` is THE entry point for the assessment: per site, the ledger
figure, the latest official figure on or before `as_of`, and the figure to use (official where it exists).
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

BASES = {
    "residents": "常住人口",
    "residents_16_60": "16–60岁常住人口",
    "students": "在校学生数",
    "employees": "员工数",
}
DEFAULT_BASE = "residents"
DEFAULT_GAP = 0.2  # flag when ledger and official differ by more than 20 % of the official figure


@dataclass(frozen=True)
class InstallFigure:
    site_id: int | None
    village_id: int
    name: str
    ledger: int
    official: int | None
    official_on: dt.date | None
    used: int
    base: int | None
    rate: float | None  # used / base
    gap: float | None  # |ledger - official| / official
    flagged: bool


def campaign_base(campaign) -> str:
    base = (campaign.rules or {}).get("install_base", DEFAULT_BASE)
    return base if base in BASES else DEFAULT_BASE


def campaign_gap(campaign) -> float:
    try:
        return float((campaign.rules or {}).get("install_gap", DEFAULT_GAP))
    except (TypeError, ValueError):
        return DEFAULT_GAP


def reconcile(*, ledger: int, official: int | None, base: int | None, threshold: float) -> tuple[int, float | None, float | None, bool]:
    """(used, rate, gap, flagged): official wins where it exists; a gap beyond the threshold is flagged."""
    used = official if official is not None else ledger
    rate = round(used / base, 4) if base else None
    if official is None:
        return used, rate, None, False
    gap = abs(ledger - official) / official if official else (1.0 if ledger else 0.0)
    return used, rate, round(gap, 4), gap > threshold


def base_of(site, base_kind: str, population_16_60: int | None) -> int | None:
    if base_kind == "residents_16_60":
        return population_16_60
    return getattr(site, base_kind, None)


def _latest_official(campaign, as_of, **filters) -> dict:
    from .models import OfficialInstallFigure

    rows = OfficialInstallFigure.objects.filter(campaign=campaign, as_of__lte=as_of, **filters).order_by("as_of")
    return rows


def install_figures(campaign, sites, as_of: dt.date, *, ledger: dict | None = None, site_ids=None) -> dict[int, InstallFigure]:
    """Per site id: ledger / official / used figure and the flag. Two queries whatever the number of sites.

    Batched callers may pass `ledger` ({site id: installs recorded on or before as_of}, from their own scan of
    the activities; then one query) and `site_ids` (the same sites as a queryset of pks, a subquery).
    """
    from .models import Activity

    sites = list(sites)
    ids = [s.pk for s in sites] if site_ids is None else site_ids
    if ledger is None:
        ledger = dict(
            Activity.objects.filter(campaign=campaign, site_id__in=ids, date__lte=as_of)
            .values_list("site_id").annotate(n=Sum("app_installs")).order_by()
        )  # fmt: skip
    official = {r.site_id: r for r in _latest_official(campaign, as_of, site_id__in=ids)}  # later dates overwrite
    base_kind, threshold = campaign_base(campaign), campaign_gap(campaign)
    result = {}
    for site in sites:
        o = official.get(site.pk)
        led = ledger.get(site.pk) or 0
        used, rate, gap, flagged = reconcile(ledger=led, official=o.installs if o else None,
                                             base=base_of(site, base_kind, o.population_16_60 if o else None),
                                             threshold=threshold)  # fmt: skip
        result[site.pk] = InstallFigure(site.pk, site.village_id, site.name, led, o.installs if o else None,
                                        o.as_of if o else None, used, base_of(site, base_kind, o.population_16_60 if o else None),
                                        rate, gap, flagged)  # fmt: skip
    return result


def village_install_figures(campaign, villages, as_of: dt.date) -> dict[int, InstallFigure]:
    """Per village id: the whole village's ledger (its sites and village-level activities) against the
    village's official figure. The base is the sum of the village's sites' figures (or 16–60 from the upload)."""
    from sites.models import Site

    from .models import Activity

    villages = list(villages)
    ids = [v.pk for v in villages]
    ledger = dict(
        Activity.objects.filter(campaign=campaign, village_id__in=ids, date__lte=as_of)
        .values_list("village_id").annotate(n=Sum("app_installs")).order_by()
    )  # fmt: skip
    official = {r.village_id: r for r in _latest_official(campaign, as_of, village_id__in=ids, site__isnull=True)}
    base_kind, threshold = campaign_base(campaign), campaign_gap(campaign)
    bases = {}
    if base_kind != "residents_16_60":
        bases = dict(Site.objects.filter(village_id__in=ids, is_active=True).values_list("village_id")
                     .annotate(n=Sum(base_kind)).order_by())  # fmt: skip
    result = {}
    for v in villages:
        o = official.get(v.pk)
        led = ledger.get(v.pk) or 0
        base = (o.population_16_60 if o else None) if base_kind == "residents_16_60" else bases.get(v.pk)
        used, rate, gap, flagged = reconcile(ledger=led, official=o.installs if o else None, base=base, threshold=threshold)
        result[v.pk] = InstallFigure(None, v.pk, v.name, led, o.installs if o else None, o.as_of if o else None,
                                     used, base, rate, gap, flagged)  # fmt: skip
    return result
