"""THE app-install figure: per site (or village), the official figure uploaded on or before the date where one
exists, else the ledger (sum of Activity.app_installs up to the date), over the population base the campaign
chose (`rules["install_base"]`). The standard's conditions (inspections.facts), the assessment score
(inspections.assessment.figures), the dashboard (which reads those figures) and the installs page all read
`install_figures()`; nothing else divides installs by a population.

A base that does not apply to a site's kind (students for a village) falls back to the kind's own population
(`KIND_BASES`): a campaign counting residents aged 16–60 still measures a school against its students.
A missing base gives no rate and `missing`: 缺少数据 with what to enter.
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
# The bases each kind of site has, its own population first.
KIND_BASES = {
    "village": ("residents", "residents_16_60"),
    "community": ("residents", "residents_16_60"),
    "campus": ("students",),
    "enterprise": ("employees",),
}
MISSING = {
    "residents": "缺少数据:请在创建单位资料中填写常住人口",
    "residents_16_60": "缺少数据:请在创建单位资料中填写16–60岁常住人口",
    "students": "缺少数据:请在创建单位资料中填写在校学生数",
    "employees": "缺少数据:请在创建单位资料中填写员工数",
}


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
    base_kind: str = DEFAULT_BASE  # which population `base` is (a key of BASES)
    percent: float | None = None  # THE install rate: used per 100 of the base, capped at 100 (score, conditions, pages)
    missing: str = ""  # 缺少数据:… what to enter, when the base is missing

    @property
    def base_label(self) -> str:
        return BASES[self.base_kind]


def campaign_base(campaign) -> str:
    base = (campaign.rules or {}).get("install_base", DEFAULT_BASE)
    return base if base in BASES else DEFAULT_BASE


def base_for_kind(base: str, kind: str | None) -> str:
    """The campaign's base where the site's kind has it, else the kind's own population."""
    own = KIND_BASES.get(kind or "")
    return base if not own or base in own else own[0]


def campaign_gap(campaign) -> float:
    try:
        return float((campaign.rules or {}).get("install_gap", DEFAULT_GAP))
    except (TypeError, ValueError):
        return DEFAULT_GAP


def install_percent(used: int, base: int | None) -> float | None:
    """Installs per 100 of the base, capped at 100; None without a base."""
    return round(min(100.0, used * 100.0 / base), 2) if base else None


def reconcile(*, ledger: int, official: int | None, base: int | None, threshold: float) -> tuple[int, float | None, float | None, bool]:
    """(used, rate, gap, flagged): official wins where it exists; a gap beyond the threshold is flagged."""
    used = official if official is not None else ledger
    rate = round(used / base, 4) if base else None
    if official is None:
        return used, rate, None, False
    gap = abs(ledger - official) / official if official else (1.0 if ledger else 0.0)
    return used, rate, round(gap, 4), gap > threshold


def base_of(site, base_kind: str, population_16_60: int | None) -> int | None:
    """The site's population of that kind; for 16–60 the official upload's figure wins over the site's own."""
    if base_kind == "residents_16_60":
        return population_16_60 if population_16_60 is not None else getattr(site, "residents_16_60", None)
    return getattr(site, base_kind, None)


def figure(*, site_id, village_id, name, ledger: int, official, base_kind: str, base: int | None,
           threshold: float) -> InstallFigure:
    used, rate, gap, flagged = reconcile(ledger=ledger, official=official.installs if official else None, base=base,
                                         threshold=threshold)  # fmt: skip
    return InstallFigure(site_id, village_id, name, ledger, official.installs if official else None,
                         official.as_of if official else None, used, base, rate, gap, flagged, base_kind,
                         install_percent(used, base), "" if base else MISSING[base_kind])  # fmt: skip


def _latest_official(campaign, as_of, **filters):
    from .models import OfficialInstallFigure

    rows = OfficialInstallFigure.objects.filter(campaign=campaign, as_of__lte=as_of, **filters).order_by("as_of")
    return rows


def install_figures(campaign, sites, as_of: dt.date, *, ledger: dict | None = None, site_ids=None) -> dict[int, InstallFigure]:
    """Per site id: THE install figure (ledger, official, the one used, its base and percent, the flag) on
    `as_of`. Sites are Site rows or anything with pk, village_id, name, kind and the population fields. Two
    queries whatever the number of sites.

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
    chosen, threshold = campaign_base(campaign), campaign_gap(campaign)
    result = {}
    for site in sites:
        o = official.get(site.pk)
        kind = base_for_kind(chosen, getattr(site, "kind", None))
        result[site.pk] = figure(site_id=site.pk, village_id=site.village_id, name=site.name, ledger=ledger.get(site.pk) or 0,
                                 official=o, base_kind=kind, base=base_of(site, kind, o.population_16_60 if o else None),
                                 threshold=threshold)  # fmt: skip
    return result


def village_install_figures(campaign, villages, as_of: dt.date) -> dict[int, InstallFigure]:
    """Per village id: the whole village's ledger (its sites and village-level activities) against the
    village's official figure. The base is the sum of the village's sites' figures (16–60: the upload's, else
    the sites' sum)."""
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
    bases = dict(Site.objects.filter(village_id__in=ids, is_active=True).values_list("village_id")
                 .annotate(n=Sum(base_kind)).order_by())  # fmt: skip
    result = {}
    for v in villages:
        o = official.get(v.pk)
        base = o.population_16_60 if base_kind == "residents_16_60" and o and o.population_16_60 is not None else bases.get(v.pk)
        result[v.pk] = figure(site_id=None, village_id=v.pk, name=v.name, ledger=ledger.get(v.pk) or 0, official=o,
                              base_kind=base_kind, base=base, threshold=threshold)  # fmt: skip
    return result
