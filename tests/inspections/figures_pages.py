"""Reads the figures the four pages show for one village, campaign and date, from the pages themselves (rendered by
the test client: the views' own context), and compares them (issue 16, item 4).

- the missing list (缺项清单, `/campaigns/missing/?village=`) as a town officer,
- the home to-do (`campaigns:home_panel`) as a cadre of the village,
- the dashboard: the village page (its sites' rows and totals) and each site's page (its items),
- the assessment: a run of the town compiled as of the date, its village page.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from campaigns.obligations import percent


@dataclass(frozen=True)
class SiteFigures:
    expected: int
    done: int
    on_time: int
    missing: int
    light: str
    completion: Decimal | None
    answers: int
    satisfaction: Decimal | None


@dataclass
class PageFigures:
    page: str
    as_of: dt.date | None = None
    sites: dict[int, SiteFigures] = field(default_factory=dict)  # site id → figures
    missing: set | None = None  # (subject id, label, due) of every missing obligation
    missing_count: int | None = None
    open_count: int | None = None
    total: tuple | None = None  # (expected, done, missing, completion) of the village, its own items included
    own_completion: Decimal | None | str = "unread"
    village_survey: tuple | None = None  # (answers, satisfaction)
    behind: dict | None = None  # site id → (light, missing, late) of the sites 落后 / 关注


def _get(client, url, params, page):
    response = client.get(url, {k: v for k, v in params.items() if v is not None})
    assert response.status_code == 200, (page, url, params, response.status_code)
    return response


def missing_list(client, campaign, village, as_of) -> PageFigures:
    r = _get(client, reverse("campaigns:obligations"), {"campaign": campaign.pk, "village": village.pk,
                                                        "as_of": as_of}, "缺项清单")  # fmt: skip
    ctx = r.context
    out = PageFigures("缺项清单", as_of=ctx["as_of"])
    for rate in ctx["by_site"]:
        if rate.site_id is None:
            out.own_completion = rate.completion
            continue
        sat = rate.satisfaction
        out.sites[rate.site_id] = SiteFigures(rate.expected, rate.done, rate.on_time, rate.missing, rate.light,
                                              rate.completion, sat.n, sat.rate)  # fmt: skip
    if out.own_completion == "unread":
        out.own_completion = None  # no village item (no site of the campaign in the village)
    out.missing = {(str(o.subject_id), o.label, o.due) for o in ctx["problems"] if o.status == "missing"}
    total = ctx["total"]
    out.missing_count = total.missing if total else 0
    out.open_count = len(ctx["open_items"])  # not yet due and not done (`Rate.open` also counts those done early)
    assert out.open_count < 50, "the list of open items is cut at 50: compare fewer"
    out.total = (total.expected, total.done, total.missing, total.completion) if total else (0, 0, 0, None)
    rows = [row for row in ctx["by_village"] if row[0].key == village.code]
    sat = rows[0][3] if rows else None
    out.village_survey = (sat.n, sat.rate) if sat else (0, None)
    html = r.content.decode()
    assert f"截至 {out.as_of.year}年{out.as_of.month}月{out.as_of.day}日" in html
    return out


def home(client, campaign, as_of) -> PageFigures:
    r = _get(client, reverse("campaigns:home_panel"), {"campaign": campaign.pk, "as_of": as_of}, "首页待办")
    h = r.context["home"]
    out = PageFigures("首页待办", as_of=h.as_of, missing_count=h.missing)
    out.open_count = h.total - h.missing
    out.missing = {(str(t.obligation.subject_id), t.obligation.label, t.obligation.due) for t in h.items
                   if t.obligation.status == "missing"}  # only the first items are shown  # fmt: skip
    out.behind = {r.site_id: (r.light, r.missing, r.late) for r in h.behind}
    html = r.content.decode()
    assert f"截至 {out.as_of.year}年{out.as_of.month}月{out.as_of.day}日" in html
    if h.missing or h.behind:
        assert "做得好" not in html
    return out


def dashboard(client, campaign, village, as_of, *, site_pages=True) -> PageFigures:
    url = reverse("dashboard:area", args=[village.code])
    r = _get(client, url, {"campaign": campaign.pk, "as_of": as_of}, "进度看板")
    data, s = r.context["data"], r.context["s"]
    out = PageFigures("进度看板", as_of=r.context["as_of"])
    for row in data["children"]:
        out.sites[row["key"]] = SiteFigures(row["expected"], row["done"], row["on_time"], row["missing"], row["light"],
                                            row["completion"], row["answers"], row["satisfaction"])  # fmt: skip
    out.total = (s["expected"], s["done"], s["missing"], s["completion"])
    out.own_completion = percent(s["own_done"], s["own_expected"])
    out.village_survey = (s["answers"], s["satisfaction"])
    out.behind = {k: (f.light, f.missing, f.done - f.on_time) for k, f in out.sites.items() if f.light in ("red", "amber")}
    html = r.content.decode()
    assert f"截至 {out.as_of.year}年{out.as_of.month}月{out.as_of.day}日" in html
    if site_pages:  # each site's own page lists its items: the missing ones are the missing list's
        out.missing = set()
        for pk in out.sites:
            page = _get(client, reverse("dashboard:site", args=[pk]), {"campaign": campaign.pk, "as_of": as_of}, "单位看板")
            detail = page.context["data"]["site"]
            assert page.context["as_of"] == out.as_of
            out.missing |= {(str(pk), o["label"], o["due"]) for o in detail["items"] if o["status"] == "missing"}
    return out


def assessment(client, run, village) -> PageFigures:
    url = reverse("inspections:assessment_run_village", args=[run.pk, village.pk])
    r = _get(client, url, {}, "平安考核")
    out = PageFigures("平安考核", as_of=run.as_of)

    def dec(value):
        return None if value is None else Decimal(str(value))

    for s in r.context["sites"]:
        c = s["components"]
        out.sites[s["site_id"]] = SiteFigures(-1, -1, -1, -1, "", dec(c["completion"]), -1, dec(c["satisfaction"]))
    out.own_completion = dec(r.context["result"].data["village"]["own_rate"])
    return out


def compare(expected_as_of, ml: PageFigures, home_: PageFigures | None, dash: PageFigures,
            assess: PageFigures | None) -> None:
    """Fails on any difference between the pages, naming the page, the site and the figure."""
    where = f"截至 {expected_as_of}"
    for page in (ml, home_, dash, assess):
        if page is not None:
            assert page.as_of == expected_as_of, f"{page.page} is as of {page.as_of}, not {expected_as_of}"
    # the same sites, each with the same obligation counts, light, completion and satisfaction
    assert set(ml.sites) == set(dash.sites), (where, "sites", set(ml.sites) ^ set(dash.sites))
    for pk, m in ml.sites.items():
        assert m == dash.sites[pk], (where, "site", pk, "缺项清单", m, "进度看板", dash.sites[pk])
    assert ml.total == dash.total, (where, "village totals", ml.total, dash.total)
    assert ml.own_completion == dash.own_completion, (where, "village own items", ml.own_completion, dash.own_completion)
    assert ml.village_survey == dash.village_survey, (where, "village satisfaction", ml.village_survey, dash.village_survey)
    if dash.missing is not None:
        site_missing = {m for m in ml.missing if int(m[0]) in ml.sites} if ml.missing else set()
        assert site_missing == dash.missing, (where, "missing items", site_missing ^ dash.missing)
    # 落后 / 关注 on the dashboard and on the home come from the same rows
    behind = {pk: f for pk, f in dash.behind.items()}
    if home_ is not None:
        assert home_.behind == behind, (where, "落后", home_.behind, behind)
        assert (home_.missing_count, home_.open_count) == (ml.missing_count, ml.open_count), (
            where, "home to-do", home_.missing_count, home_.open_count, ml.missing_count, ml.open_count)
        assert home_.missing <= ml.missing, (where, "home items not on the missing list", home_.missing - ml.missing)
    if assess is not None:
        assert set(assess.sites) == set(ml.sites), (where, "assessed sites", set(assess.sites) ^ set(ml.sites))
        for pk, a in assess.sites.items():
            m = ml.sites[pk]
            assert (a.completion, a.satisfaction) == (m.completion, m.satisfaction), (
                where, "assessment site", pk, (a.completion, a.satisfaction), (m.completion, m.satisfaction))
        assert assess.own_completion == ml.own_completion, (where, "assessment own rate", assess.own_completion,
                                                             ml.own_completion)  # fmt: skip
