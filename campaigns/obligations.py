"""The obligation rules ("what is missing"): pure functions over plain data, one per duty of the notice.

Each rule turns a campaign's calendar and one subject's records into Obligations: what was expected by
`as_of`, whether it was done, and whether on time. The campaign switches rules on/off and sets their
parameters in `Campaign.rules` ({rule code: {"enabled": bool, param: value}}); `DEFAULTS` holds the rest.
Rates follow DHIS2's reporting rates: done / expected and on time / expected.
"""
import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

RULES_VERSION = 1


class Entry(NamedTuple):
    """One record that may satisfy a duty: the day it happened and the day it was entered. A named tuple, not a
    dataclass: a county's assessment makes ~80,000 of them."""

    on: date
    entered_on: date


_ENTRY_ORDER = attrgetter("entered_on", "on")


@dataclass(frozen=True)
class SiteFacts:
    site_id: int
    name: str
    kind: str
    village_code: str
    school_level: str = ""
    concentrated_events: tuple[Entry, ...] = ()  # N3.4: school events (集中宣传活动, 讲座, 警示片)
    visits: tuple[Entry, ...] = ()  # N3.5: safety-office visits
    outreach: tuple[Entry, ...] = ()  # N3.3: door-to-door visits or app installs


@dataclass(frozen=True)
class VillageFacts:
    code: str
    name: str
    duties: dict[str, Entry] = field(default_factory=dict)  # kind (plan, office, launch, summary) -> entry


@dataclass(frozen=True)
class CampaignFacts:
    starts_on: date
    ends_on: date
    rules: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Obligation:
    rule: str
    n_id: str
    subject: str  # "site" or "village"
    subject_id: int | str
    subject_name: str
    village_code: str
    kind: str  # site kind, or "village" for village obligations
    label: str
    starts: date
    due: date
    expected: bool  # due by as_of
    done_on: date | None = None
    on_time: bool = False

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def status(self) -> str:
        if self.done:
            return "done" if self.on_time else "late"
        return "missing" if self.expected else "open"

    @property
    def status_label(self) -> str:
        return {"done": "按时完成", "late": "逾期完成", "missing": "缺失", "open": "待完成"}[self.status]


@dataclass(frozen=True)
class Semester:
    label: str
    starts: date
    ends: date


def semester_of(day: date) -> Semester | None:
    """N3.4 school semesters: autumn Sep–Jan, spring Feb–Jul; August is the summer break."""
    if day.month >= 9:
        return Semester(f"{day.year}年秋季学期", date(day.year, 9, 1), date(day.year + 1, 1, 31))
    if day.month == 1:
        return Semester(f"{day.year - 1}年秋季学期", date(day.year - 1, 9, 1), date(day.year, 1, 31))
    if day.month <= 7:
        return Semester(f"{day.year}年春季学期", date(day.year, 2, 1), date(day.year, 7, 31))
    return None


@lru_cache(maxsize=64)
def semesters_between(start: date, end: date) -> tuple[Semester, ...]:
    """The semesters overlapping [start, end] (cached: the rules ask it once per school)."""
    found, day = [], start
    while day <= end:
        sem = semester_of(day)
        if sem is None:
            day = date(day.year, 9, 1)
            continue
        found.append(sem)
        day = sem.ends + timedelta(days=1)
    return tuple(found)


@lru_cache(maxsize=64)
def months_between(start: date, end: date) -> tuple[tuple[date, date], ...]:
    """The calendar months overlapping [start, end], clipped to it (cached: asked once per enterprise)."""
    months, day = [], date(start.year, start.month, 1)
    while day <= end:
        last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        months.append((max(day, start), min(last, end)))
        day = last + timedelta(days=1)
    return tuple(months)


def effective_date(campaign, as_of: date) -> date:
    """The day rolling rules (the last 30 days) and in-period figures are evaluated at for a page "as of" `as_of`:
    that day, and after the campaign's end its end. Every page and the assessment ask this one function
    (`campaign` is a Campaign or a CampaignFacts: anything with `ends_on`)."""
    return min(as_of, campaign.ends_on)


def default_as_of(campaign, today: date) -> date:
    """The date a page is "as of" when none is asked for: today, capped at the campaign's end (the same for the
    home to-do, the missing list and the dashboard; `obligation_data.as_of_param` reads the request)."""
    return effective_date(campaign, today)


def _first(entries: Iterable[Entry], starts: date, ends: date) -> Entry | None:
    """The entry in [starts, ends] entered first (then the earliest day); None when there is none."""
    return min((e for e in entries if starts <= e.on <= ends), key=_ENTRY_ORDER, default=None)


def _periodic(rule, n_id, site: SiteFacts, entries, periods, as_of, grace) -> list[Obligation]:
    result = []
    for label, starts, due in periods:
        if starts > as_of:
            continue
        hit = _first(entries, starts, min(due, as_of))
        result.append(Obligation(
            rule=rule, n_id=n_id, subject="site", subject_id=site.site_id, subject_name=site.name,
            village_code=site.village_code, kind=site.kind, label=label, starts=starts, due=due,
            expected=due <= as_of, done_on=hit.on if hit else None,
            on_time=bool(hit and hit.entered_on <= due + timedelta(days=grace)),
        ))  # fmt: skip
    return result


def school_semester_event(c: CampaignFacts, site: SiteFacts, p: dict, as_of: date) -> list[Obligation]:
    """N3.4: every primary and middle school holds at least one concentrated event each semester.

    Expected by the end of each semester (clipped to the campaign); entered more than `grace_days`
    after that end counts as late.
    """
    if site.kind != "campus" or (p["school_levels"] and site.school_level not in p["school_levels"]):
        return []
    periods = [
        (f"{s.label}集中宣传活动", max(s.starts, c.starts_on), min(s.ends, c.ends_on))
        for s in semesters_between(c.starts_on, c.ends_on)
    ]
    return _periodic("school_semester_event", "N3.4", site, site.concentrated_events, periods, as_of, p["grace_days"])


def enterprise_monthly_visit(c: CampaignFacts, site: SiteFacts, p: dict, as_of: date) -> list[Obligation]:
    """N3.5: the safety office visits every enterprise each month; due at month end (clipped to the campaign).

    Months with fewer than `min_days` campaign days are not asked for.
    """
    if site.kind != "enterprise":
        return []
    periods = [
        (f"{a.year}年{a.month}月安办走访", a, b)
        for a, b in months_between(c.starts_on, c.ends_on)
        if (b - a).days + 1 >= p["min_days"]
    ]
    return _periodic("enterprise_monthly_visit", "N3.5", site, site.visits, periods, as_of, p["grace_days"])


def recent_outreach(c: CampaignFacts, site: SiteFacts, p: dict, as_of: date) -> list[Obligation]:
    """N3.3: a site with no door-to-door (敲门/扫楼) or app-install record in the last `window_days` days.

    A rolling rule: evaluated at `effective_date(c, as_of)`, so after the campaign it asks for the campaign's last
    window (it does not vanish when the campaign ends). Asked once the campaign has run for a full window.
    """
    if site.kind not in p["kinds"]:
        return []
    window = timedelta(days=p["window_days"])
    at = effective_date(c, as_of)
    if at < c.starts_on + window:
        return []
    starts = at - window + timedelta(days=1)
    hit = _first(site.outreach, starts, at)
    return [Obligation(
        rule="recent_outreach", n_id="N3.3", subject="site", subject_id=site.site_id, subject_name=site.name,
        village_code=site.village_code, kind=site.kind, label=f"近{p['window_days']}天入户走访或APP推广",
        starts=starts, due=at, expected=True, done_on=hit.on if hit else None, on_time=bool(hit),
    )]  # fmt: skip


VILLAGE_ITEMS = {
    "plan": ("N6.1", "工作方案", "plan_days"),
    "office": ("N6.1", "工作专班", "office_days"),
    "launch": ("N6.2", "启动仪式", "launch_days"),
}


def village_setup(c: CampaignFacts, v: VillageFacts, p: dict, as_of: date) -> list[Obligation]:
    """N6.1 / N6.2: each village makes a work plan, sets up a working office and holds a launch ceremony,
    each within its number of days from the campaign start; done after that day counts as late.
    """
    result = []
    for kind, (n_id, label, days_key) in VILLAGE_ITEMS.items():
        due = c.starts_on + timedelta(days=p[days_key])
        hit = v.duties.get(kind)
        hit = hit if hit and hit.on <= as_of else None
        result.append(Obligation(
            rule="village_setup", n_id=n_id, subject="village", subject_id=v.code, subject_name=v.name,
            village_code=v.code, kind="village", label=label, starts=c.starts_on, due=due, expected=due <= as_of,
            done_on=hit.on if hit else None, on_time=bool(hit and hit.on <= due),
        ))  # fmt: skip
    return result


def village_summary(c: CampaignFacts, v: VillageFacts, p: dict, as_of: date) -> list[Obligation]:
    """N6.4: after the campaign each village submits its summary, within `days` of the end date.

    Listed (not yet due) from the campaign's last day on: pages default to that day once the campaign is over,
    so the summary still shows as the next thing to do."""
    if as_of < c.ends_on:
        return []
    due = c.ends_on + timedelta(days=p["days"])
    hit = v.duties.get("summary")
    hit = hit if hit and hit.on <= as_of else None
    return [Obligation(
        rule="village_summary", n_id="N6.4", subject="village", subject_id=v.code, subject_name=v.name,
        village_code=v.code, kind="village", label="活动总结", starts=c.ends_on, due=due, expected=due <= as_of,
        done_on=hit.on if hit else None, on_time=bool(hit and hit.on <= due),
    )]  # fmt: skip


@dataclass(frozen=True)
class Rule:
    label: str
    n_id: str
    subject: str
    check: Callable
    defaults: dict


RULES: dict[str, Rule] = {
    "school_semester_event": Rule(
        "学校每学期至少一次集中宣传活动", "N3.4", "site", school_semester_event,
        {"enabled": True, "grace_days": 7, "school_levels": []},
    ),
    "enterprise_monthly_visit": Rule(
        "安办每月走访企业", "N3.5", "site", enterprise_monthly_visit, {"enabled": True, "grace_days": 7, "min_days": 10}
    ),
    "recent_outreach": Rule(
        "近期入户走访或APP推广", "N3.3", "site", recent_outreach,
        {"enabled": True, "window_days": 30, "kinds": ["village", "community"]},
    ),
    "village_setup": Rule(
        "村工作方案、专班、启动仪式", "N6.1", "village", village_setup,
        {"enabled": True, "plan_days": 14, "office_days": 14, "launch_days": 30},
    ),
    "village_summary": Rule("活动结束后提交总结", "N6.4", "village", village_summary, {"enabled": True, "days": 15}),
}  # fmt: skip


def rule_settings(rules: dict | None) -> dict[str, dict]:
    """Each rule's parameters: the campaign's settings over the defaults (unknown keys ignored)."""
    rules = rules or {}
    merged = {}
    for code, rule in RULES.items():
        given = rules.get(code) or {}
        merged[code] = {k: given.get(k, v) for k, v in rule.defaults.items()}
    return merged


def evaluate(c: CampaignFacts, sites: Iterable[SiteFacts], villages: Iterable[VillageFacts], as_of: date):
    """All obligations of these sites and villages at `as_of`, by the campaign's enabled rules."""
    settings = rule_settings(c.rules)
    subjects = {"site": list(sites), "village": list(villages)}
    result = []
    for code, rule in RULES.items():
        params = settings[code]
        if not params["enabled"]:
            continue
        for subject in subjects[rule.subject]:
            result += rule.check(c, subject, params, as_of)
    return result


CENT, HUNDRED = Decimal("0.01"), Decimal(100)
SATISFIED_AT_LEAST = 4  # survey answers 4 or 5 (of 1–5) are satisfied, unless the assessment rules say otherwise


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole × 100 to 0.01, half up (the assessment's `compute.rate`), or None when whole is 0: every page
    shows completion and satisfaction rates through this one rounding."""
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP) if whole else None


LIGHT_LABELS = {"green": "按时完成", "amber": "有逾期或少量缺失", "red": "缺失较多", "none": "暂无到期事项"}
LIGHT_BADGES = {"green": "正常", "amber": "关注", "red": "落后", "none": "—"}  # what the pages print


def light(expected: int, done: int, late: int) -> str:
    """Traffic light of the obligation rules: green = all due done on time, red (落后) = over a fifth missing,
    amber (关注) = late or a few missing. The dashboard, the missing list and the home all ask this function."""
    if not expected:
        return "none"
    missing = expected - done
    if not missing and not late:
        return "green"
    return "red" if missing * 5 > expected else "amber"


@dataclass
class Rate:
    key: str
    expected: int = 0
    done: int = 0
    on_time: int = 0
    missing: int = 0
    open: int = 0

    @property
    def done_rate(self) -> float | None:
        return self.done / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def late(self) -> int:
        return self.done - self.on_time

    @property
    def completion(self) -> Decimal | None:
        """The completion rate in percent, as the dashboard and the assessment show it."""
        return percent(self.done, self.expected)

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.on_time, self.expected)

    @property
    def light(self) -> str:
        return light(self.expected, self.done, self.late)

    @property
    def badge(self) -> str:
        return LIGHT_BADGES[self.light]


def rates(obligations: Iterable[Obligation], key: Callable[[Obligation], str]) -> dict[str, Rate]:
    """Expected vs done vs on time per group (only what was due by as_of counts as expected)."""
    out: dict[str, Rate] = {}
    for o in obligations:
        r = out.setdefault(key(o), Rate(key(o)))
        if not o.expected:
            r.open += 1
            continue
        r.expected += 1
        r.done += o.done
        r.on_time += o.done and o.on_time
        r.missing += not o.done
    return out
