"""The filed report's contents, from a run's village rows: heading, summary paragraph, chart, titled and refused
lists, 三无 per site with its deciding case, the score sheets' section subtotals. `xlsx` and `pdf` render it.

Plain data only; one query (the run's 命名 decisions) besides the campaign's scope for the default office."""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sites.models import Site

from .compute import REASON_LABELS

# What a filed report calls each kind of site (Site.Kind's labels are the short form: 村居, 小区, 校园, 企业).
KIND_LABELS = {"village": "村(整村)", "community": "无诈小区", "campus": "无诈校园", "enterprise": "无诈企业"}
DECLINED = "declined"
REASON_LABELS_ALL = {**REASON_LABELS, DECLINED: "经确认不予命名"}
PDF_DETAIL_LIMIT = 300  # sites: above it the PDF's per-site lists are summed up per village (the xlsx has them all)
CASE_VERBS = {"N1.a": "发生", "N1.b": "查获", "N1.c": "发现"}  # a victim case, a suspect, a den
CHART_LIMIT = 40  # bars: above it the chart shows the towns


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or dict(Site.Kind.choices).get(kind, kind)


def cn_date(day) -> str:
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


def score_text(value) -> str:
    """A score as the report prints it: two decimals ("0.00", not the "0" a zeroed score is stored as), or —."""
    return "—" if value in (None, "") else f"{Decimal(str(value)):.2f}"


def _reason_codes(site: dict) -> list[str]:
    """The site's reason codes; rows compiled before the codes were kept are read from the Chinese reasons."""
    if "reason_codes" in site:
        return list(site["reason_codes"])
    codes = []
    for text in site["reasons"]:
        if text.startswith("“三无”"):
            codes.append("sanwu")
        elif "低于命名分数线" in text:
            codes.append("score")
        elif "整改未完成" in text:
            codes.append("rectification")
        elif text.startswith("期内没有"):
            codes.append("no_inspection")
        else:
            codes.append("gate")
    return codes


def case_text(case: dict, village: str, site: str) -> str:
    """One deciding incident: date, where, what (kind and fraud type)."""
    what = case["kind"] + (f"({case['fraud_type']})" if case.get("fraud_type") else "")
    verb = CASE_VERBS.get(case.get("code"), "发生")
    return f"{cn_date(case['date'])} {village}·{site} {verb}{what}"


def sanwu_text(site: dict, village: str) -> str:
    """The 三无 column: "无案件" when no case counts, else the deciding case (the earliest) and how many more."""
    cases = site.get("sanwu_cases") or []
    parts = []
    if cases:
        text = "决定性案件:" + case_text(cases[0], village, site["name"])
        if len(cases) > 1:
            text += f"(期内另有 {len(cases) - 1} 起:" + ";".join(case_text(c, village, site["name"]) for c in cases[1:4])
            text += ("等" if len(cases) > 4 else "") + ")"
        parts.append(text)
    elif site["sanwu_holds"]:
        parts.append("无案件")
    if site.get("sanwu_override"):
        parts.append(site["sanwu_override"])
    if not parts:  # 三无 broken without a recorded case: a run compiled before the cases were kept
        parts.append("“三无”不成立(" + "、".join(c for c in _reason_codes(site) if c == "sanwu") + ")")
    return ";".join(parts)


@dataclass
class Report:
    office: str
    issued_on: datetime.date
    title: str
    document_no: str
    scope_name: str
    as_of: datetime.date
    summary: str
    confirmed: bool  # the titled list holds confirmed 命名 (TitleDecision) rather than the run's proposals
    titled: list[dict] = field(default_factory=list)  # village, site, kind, score, note
    refused: list[dict] = field(default_factory=list)  # village, site, kind, score, reasons
    reason_counts: list[tuple[str, int]] = field(default_factory=list)  # (label, sites), most first
    sanwu: list[dict] = field(default_factory=list)  # village, site, kind, holds, case
    sections: list[dict] = field(default_factory=list)  # village, site, kind, section, earned, possible
    chart: dict = field(default_factory=dict)
    sites: int = 0

    @property
    def issued_on_text(self) -> str:
        return cn_date(self.issued_on)

    @property
    def as_of_text(self) -> str:
        return cn_date(self.as_of)

    @property
    def titled_heading(self) -> str:
        return "命名单位(已确认)" if self.confirmed else "拟命名单位(待确认命名)"

    @property
    def detailed(self) -> bool:
        """Whether the PDF lists every site (a town, a small county) or sums the lists up per village."""
        return self.sites <= PDF_DETAIL_LIMIT

    @property
    def refused_by_village(self) -> list[dict]:
        counts: dict[str, Counter] = {}
        for r in self.refused:
            counts.setdefault(r["village"], Counter()).update(set(r["codes"]))
        return [{"village": v, "n": sum(1 for r in self.refused if r["village"] == v),
                 "reasons": "、".join(f"{REASON_LABELS_ALL[k]} {n}" for k, n in c.most_common())}
                for v, c in counts.items()]  # fmt: skip

    @property
    def sanwu_broken(self) -> list[dict]:
        return [s for s in self.sanwu if not s["holds"]]


def _office(campaign) -> str:
    return (campaign.issuing_office or "").strip() or f"{campaign.scope.name}综治办"


def decisions(run) -> dict[int, tuple[bool, str]]:
    from ..models import TitleDecision

    return {site: (granted, note) for site, granted, note in
            TitleDecision.objects.filter(run=run).values_list("site_id", "granted", "note")}  # fmt: skip


def build_report(run, results) -> Report:
    """`results`: the run's AssessmentVillageResult rows (with .village), in rank order."""
    campaign = run.campaign
    decided = decisions(run)
    confirmed = any(granted for granted, _ in decided.values())
    titled, refused, sanwu, sections = [], [], [], []
    pending = 0
    inspections = 0
    for r in results:
        d = r.data
        village = d["village"]["name"]
        inspections += d["published_inspections"] if "published_inspections" in d else len(d.get("inspections", ()))
        for s in d["sites"]:
            row = {"village": village, "site": s["name"], "kind": kind_label(s["kind"]),
                   "score": score_text(s["score"])}  # fmt: skip
            granted, note = decided.get(s["site_id"], (None, ""))
            if s["proposed_title"] and granted is False:
                refused.append({**row, "codes": [DECLINED], "reasons": "经确认不予命名" + (f":{note}" if note else "")})
            elif s["proposed_title"]:
                if confirmed and granted is None:
                    pending += 1
                else:
                    titled.append({**row, "note": note})
            else:
                codes = _reason_codes(s)
                refused.append({**row, "codes": codes, "reasons": ";".join(s["reasons"]) or "未达到命名条件"})
            sanwu.append({**row, "holds": s["sanwu_holds"], "case": sanwu_text(s, village)})
            for x in s.get("sections", ()):
                sections.append({**row, "section": x["section"], "earned": x["earned"], "possible": x["possible"]})
    reasons = Counter(code for r in refused for code in dict.fromkeys(r["codes"]))
    reason_counts = [(REASON_LABELS_ALL.get(k, k), n) for k, n in reasons.most_common()]
    sites = sum(len(r.data["sites"]) for r in results)
    return Report(
        office=_office(campaign), issued_on=campaign.report_issued_on or run.as_of, title=f"{campaign.name} 考核报告",
        document_no=campaign.document_no, scope_name=run.scope.name, as_of=run.as_of, confirmed=confirmed,
        summary=summary_text(run, results, titled=titled, refused=refused, reason_counts=reason_counts,
                             confirmed=confirmed, pending=pending, inspections=inspections, sites=sites),
        titled=titled, refused=refused, reason_counts=reason_counts, sanwu=sanwu, sections=sections,
        chart=chart(results, run.summary.get("towns", []) if run.summary else []), sites=sites,
    )  # fmt: skip


def _names(rows) -> str:
    return "、".join(f"{r.village.name}({r.score}分)" for r in rows)


def summary_text(run, results, *, titled, refused, reason_counts, confirmed, pending, inspections, sites) -> str:
    """The report's opening paragraph, generated from its figures."""
    towns = {r.data["village"]["town_name"] for r in results}
    where = f"{run.scope.name}" + (f"{len(towns)}个镇(街道)" if len(towns) > 1 else "")
    parts = [f"截至{cn_date(run.as_of)},{where}共考核村(社区){len(results)}个、创建单位{sites}个,"
             f"计入期内已公布的明察暗访检查{inspections}次。"]  # fmt: skip
    if confirmed:
        parts.append(f"经确认命名单位{len(titled)}个" + (f"、另有拟命名单位{pending}个待确认" if pending else "") + ";")
    elif titled:
        parts.append(f"拟命名单位{len(titled)}个(待确认命名);")
    elif declined := sum(1 for r in refused if DECLINED in r["codes"]):
        parts.append(f"拟命名单位{declined}个经确认不予命名,命名单位:无;")
    else:
        parts.append("没有单位达到命名条件,拟命名单位:无;")
    if refused:
        counted = "、".join(f"{label}{n}个" for label, n in reason_counts)
        parts.append(f"未予命名单位{len(refused)}个,主要原因(一个单位可有多项):{counted}。")
    else:
        parts.append("未予命名单位:无。")
    scored = [r for r in results if r.score is not None]
    if len(scored) == 1:
        parts.append(f"唯一有得分的村(社区)为{_names(scored)}。")
    elif scored:
        top = max(r.score for r in scored)
        low = min(r.score for r in scored)
        if top == low:
            parts.append(f"各村(社区)得分相同,均为{top}分。")
        else:
            parts.append(f"得分最高的是{_names(r for r in scored if r.score == top)},"
                         f"最低的是{_names(r for r in scored if r.score == low)}。")  # fmt: skip
    elif results:
        parts.append("各村(社区)均无得分。")
    return "".join(parts)


def chart(results, towns: list[dict]) -> dict:
    """An SVG bar chart's geometry (horizontal bars, 0–100): the villages, or the towns when there are too many."""
    if len(results) <= CHART_LIMIT:
        title, items = "各村(社区)得分", [(r.village.name, r.score) for r in results]
    else:
        title, items = "各镇(街道)得分(村(社区)较多,按镇汇总)", [(t["name"], t["score"]) for t in towns[:CHART_LIMIT]]
    label_w, bar_w, row_h = 130, 520, 18
    bars = []
    for i, (name, score) in enumerate(items):
        value = Decimal(str(score)) if score is not None else None
        width = float(min(max(value or 0, 0), 100)) * bar_w / 100
        y = 24 + i * row_h
        bars.append({"label": name, "score": "—" if value is None else str(score), "y": y, "w": round(width, 1),
                     "text_y": y + 12, "value_x": label_w + round(width, 1) + 4})  # fmt: skip
    height = 24 + len(items) * row_h + 20
    ticks = [{"x": label_w + bar_w * t / 100, "label": t} for t in (0, 20, 40, 60, 80, 100)]
    return {"title": title, "bars": bars, "ticks": ticks, "width": label_w + bar_w + 50, "height": height,
            "label_w": label_w, "bar_w": bar_w, "axis_y": height - 16, "bar_h": row_h - 5}  # fmt: skip
