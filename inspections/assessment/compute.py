"""Pure assessment arithmetic over plain dataclasses (no ORM). Every figure is a Decimal to 0.01, half up."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .rules import COMPONENT_LABELS, merged

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


def q(value) -> Decimal:
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=256, typed=True)
def number(value) -> Decimal:
    """A rule's number (a weight, a threshold) as a Decimal: the same few, asked for every site."""
    return Decimal(str(value))


def rate(done: int, expected: int) -> Decimal | None:
    """done / expected × 100, or None when nothing was expected."""
    return q(Decimal(done) * HUNDRED / Decimal(expected)) if expected else None


@dataclass(frozen=True)
class SiteInput:
    site_id: int
    name: str
    kind: str
    village_code: str
    sanwu_holds: bool = True
    sanwu_broken: tuple[str, ...] = ()  # e.g. ("N1.a",)
    gate_passed: bool | None = None  # the standard's gated conditions; None = no standard
    gate_reasons: tuple[str, ...] = ()
    inspection_scores: tuple[Decimal, ...] = ()  # published inspections in the period, oldest first
    obligations_expected: int = 0
    obligations_done: int = 0
    obligations_on_time: int = 0
    app_install_rate: float | None = None  # percent of the relevant population
    survey_answers: int = 0
    survey_satisfied: int = 0
    open_rectifications: int = 0
    # The report's extras (issue 16): the incidents that decided 三无 (each a dict: code, kind, date, fraud_type, id;
    # empty when no case counts), a manual 三无 decision that overrides them, and each counted inspection's points
    # per section of its score sheet (oldest first, as inspection_scores: ((section, earned, possible), …)).
    sanwu_cases: tuple[dict, ...] = ()
    sanwu_override: str = ""
    section_points: tuple[tuple[tuple[str, Decimal, Decimal], ...], ...] = ()


# Why a site is not proposed, as codes (the report counts them); `SiteResult.reasons` says the same in Chinese.
REASON_LABELS = {
    "sanwu": "“三无”不成立",
    "gate": "未满足创建标准的达标条件",
    "score": "得分低于命名分数线",
    "rectification": "有整改未完成",
    "no_inspection": "期内没有已公布的明察暗访检查",
}


@dataclass(frozen=True)
class SiteResult:
    site_id: int
    name: str
    kind: str
    village_code: str
    score: Decimal
    components: dict  # key → Decimal | None (each 0–100)
    gates_ok: bool
    reasons: tuple[str, ...]  # why a gate failed or a title is not proposed (Chinese)
    proposed_title: bool
    sanwu_holds: bool
    open_rectifications: int
    reason_codes: tuple[str, ...] = ()  # keys of REASON_LABELS, in the order of `reasons`
    sanwu_cases: tuple[dict, ...] = ()
    sanwu_override: str = ""
    sections: tuple[dict, ...] = ()  # {"section", "earned", "possible"}: the score sheet's subtotals the score counted


@dataclass(frozen=True)
class VillageInput:
    code: str
    name: str
    town_code: str
    town_name: str
    own_expected: int = 0
    own_done: int = 0


@dataclass(frozen=True)
class VillageResult:
    code: str
    name: str
    town_code: str
    town_name: str
    score: Decimal | None
    site_mean: Decimal | None
    own_rate: Decimal | None
    sites: int
    proposed_titles: int
    sanwu_broken: int
    rank: int | None = None


@dataclass(frozen=True)
class TownResult:
    code: str
    name: str
    score: Decimal | None
    villages: int
    sites: int
    proposed_titles: int
    rank: int | None = None


def components(site: SiteInput, rules: dict) -> dict:
    r = merged(rules)
    scores = site.inspection_scores
    if not scores:
        inspection = None
    elif r["inspection_score"] == "mean":
        inspection = q(sum(scores, ZERO) / len(scores))
    else:
        inspection = q(scores[-1])
    install = None
    if site.app_install_rate is not None:
        target = number(r["app_install_target"])
        install = q(min(HUNDRED, Decimal(str(site.app_install_rate)) * HUNDRED / target)) if target else HUNDRED
    return {
        "inspection": inspection,
        "completion": rate(site.obligations_done, site.obligations_expected),
        "on_time": rate(site.obligations_on_time, site.obligations_expected),
        "app_install": install,
        "satisfaction": rate(site.survey_satisfied, site.survey_answers),
    }


def weighted(parts: dict, weights: dict) -> Decimal | None:
    """Σ part × weight ÷ Σ weight over the parts that are known and weighted; None when none is."""
    known = [(v, number(weights[k])) for k, v in parts.items() if v is not None and weights.get(k)]
    total = sum((w for _, w in known), ZERO)
    if not total:
        return None
    return q(sum((v * w for v, w in known), ZERO) / total)


def section_subtotals(site: SiteInput, rules: dict) -> tuple[dict, ...]:
    """The score sheet's points per section, taken as the inspection score is: the latest counted inspection's, or
    per section the mean over the counted inspections that scored it (`inspection_score` = "mean")."""
    sheets = site.section_points
    if not sheets:
        return ()
    if merged(rules)["inspection_score"] != "mean":
        sheets = sheets[-1:]
    sums: dict[str, list] = {}
    for sheet in sheets:
        for section, earned, possible in sheet:
            acc = sums.setdefault(section, [ZERO, ZERO, 0])
            acc[0] += Decimal(earned)
            acc[1] += Decimal(possible)
            acc[2] += 1
    return tuple({"section": k, "earned": q(e / n), "possible": q(p / n)} for k, (e, p, n) in sums.items())


def site_result(site: SiteInput, rules: dict) -> SiteResult:
    r = merged(rules)
    parts = components(site, rules)
    score = weighted(parts, r["weights"]) or ZERO
    reasons: list[str] = []
    codes: list[str] = []
    if not site.sanwu_holds:
        reasons.append("“三无”不成立(" + "、".join(site.sanwu_broken or ("N1",)) + ")")
        codes.append("sanwu")
        if r["sanwu_zeroes"]:
            score = ZERO
    if site.gate_passed is False:
        gate = site.gate_reasons or ("未满足创建标准的达标条件",)
        reasons.extend(gate)
        codes.extend(["gate"] * len(gate))
    gates_ok = site.sanwu_holds and site.gate_passed is not False
    t = r["title"]
    proposed = True
    if t.get("all_gates", True) and not gates_ok:
        proposed = False
    if score < number(t["min_score"]):
        proposed = False
        reasons.append(f"得分 {q(score)} 低于命名分数线 {t['min_score']}")  # 0.00, not the 0 a zeroed score is
        codes.append("score")
    if t.get("no_open_rectification", True) and site.open_rectifications:
        proposed = False
        reasons.append(f"有 {site.open_rectifications} 项整改未完成")
        codes.append("rectification")
    if parts["inspection"] is None:
        proposed = False
        reasons.append("期内没有已公布的明察暗访检查")
        codes.append("no_inspection")
    return SiteResult(
        site_id=site.site_id, name=site.name, kind=site.kind, village_code=site.village_code, score=score,
        components=parts, gates_ok=gates_ok, reasons=tuple(reasons), proposed_title=proposed,
        sanwu_holds=site.sanwu_holds, open_rectifications=site.open_rectifications, reason_codes=tuple(codes),
        sanwu_cases=site.sanwu_cases, sanwu_override=site.sanwu_override, sections=section_subtotals(site, r),
    )  # fmt: skip


def village_result(village: VillageInput, sites: list[SiteResult], rules: dict) -> VillageResult:
    r = merged(rules)
    site_mean = q(sum((s.score for s in sites), ZERO) / len(sites)) if sites else None
    own = rate(village.own_done, village.own_expected)
    w = r["village"]
    score = weighted({"sites": site_mean, "own": own}, {"sites": w["sites_weight"], "own": w["own_weight"]})
    return VillageResult(
        code=village.code, name=village.name, town_code=village.town_code, town_name=village.town_name,
        score=score, site_mean=site_mean, own_rate=own, sites=len(sites),
        proposed_titles=sum(1 for s in sites if s.proposed_title),
        sanwu_broken=sum(1 for s in sites if not s.sanwu_holds),
    )  # fmt: skip


def ranks(scores: dict) -> dict:
    """Competition ranking (1, 2, 2, 4): higher first; None scores get no rank."""
    ordered = sorted((v for v in scores.values() if v is not None), reverse=True)
    first = {}
    for i, v in enumerate(ordered, start=1):
        first.setdefault(v, i)
    return {k: (first[v] if v is not None else None) for k, v in scores.items()}


def rank_villages(villages: list[VillageResult]) -> list[VillageResult]:
    by = ranks({v.code: v.score for v in villages})
    return sorted((replace(v, rank=by[v.code]) for v in villages), key=lambda v: (v.rank or 10**9, v.code))


def town_rollup(villages: list[VillageResult]) -> list[TownResult]:
    groups: dict[str, list[VillageResult]] = {}
    for v in villages:
        groups.setdefault(v.town_code, []).append(v)
    towns = []
    for code, vs in sorted(groups.items()):
        scored = [v.score for v in vs if v.score is not None]
        towns.append(TownResult(
            code=code, name=vs[0].town_name, score=q(sum(scored, ZERO) / len(scored)) if scored else None,
            villages=len(vs), sites=sum(v.sites for v in vs), proposed_titles=sum(v.proposed_titles for v in vs),
        ))  # fmt: skip
    by = ranks({t.code: t.score for t in towns})
    return sorted((replace(t, rank=by[t.code]) for t in towns), key=lambda t: (t.rank or 10**9, t.code))


def proposed_titles(sites: list[SiteResult]) -> list[SiteResult]:
    return [s for s in sites if s.proposed_title]


LABELS = COMPONENT_LABELS

