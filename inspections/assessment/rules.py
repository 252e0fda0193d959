"""Assessment rules as data (stored per campaign in `AssessmentRules`, versioned).

The notice (惠东桥政〔2021〕44号) says only that the March 2022 inspection results go into the 平安考核;
it gives no point weights. The defaults below are ours, chosen from its requirements, and printed in
the report's 规则说明 sheet:

- a site's score (0–100) = inspection score × 60% + obligation completion rate × 15% + on-time rate × 5%
  + APP-install rate (capped at the target) × 10% + satisfaction rate × 10%; a missing component
  leaves the denominator (its weight is spread over the others);
- gates: 三无 (N1.a–c) and the standard's gated conditions; a failed gate zeroes nothing but blocks
  the title (命名); with `sanwu_zeroes` a broken 三无 sets the score to 0 (一票否决);
- title: all gates hold, score ≥ 85 and no open rectification;
- a village's score = mean of its sites' scores × 80% + the village's own obligations' completion × 20%;
- a town's score = mean of its villages' scores; ranks: higher score first, ties share a rank.
"""
from __future__ import annotations

from decimal import Decimal

RULES_VERSION = "assess-2022.1"

DEFAULT_RULES = {
    "weights": {"inspection": 60, "completion": 15, "on_time": 5, "app_install": 10, "satisfaction": 10},
    "inspection_score": "latest",  # or "mean": mean of the published inspections in the period
    "app_install_target": 60,  # percent of the population that counts as 100%
    "satisfied_at_least": 4,  # survey answers 4 or 5 (of 1–5) count as satisfied
    "sanwu_zeroes": False,
    "title": {"min_score": 85, "all_gates": True, "no_open_rectification": True},
    "village": {"sites_weight": 80, "own_weight": 20},
    "appeal_days": 7,
}

COMPONENT_LABELS = {
    "inspection": "明察暗访得分",
    "completion": "工作任务完成率",
    "on_time": "按时完成率",
    "app_install": "反诈APP安装率",
    "satisfaction": "群众满意率",
}


class MergedRules(dict):
    """Rules already overlaid on the defaults: `merged` hands them back as they are. The compile merges a run's
    rules once and passes them to the arithmetic of 6,000 sites, which would otherwise re-merge per site."""


def merged(rules: dict | None) -> MergedRules:
    """The defaults overlaid with a campaign's stored rules (one level deep for nested dicts)."""
    if isinstance(rules, MergedRules):
        return rules
    out = MergedRules((k, dict(v) if isinstance(v, dict) else v) for k, v in DEFAULT_RULES.items())
    for key, value in (rules or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def validate(rules: dict) -> None:
    """Raise ValueError (Chinese) unless the rules are usable."""
    r = merged(rules)
    weights = r["weights"]
    if set(weights) - set(COMPONENT_LABELS):
        raise ValueError(f"未知的计分项:{', '.join(sorted(set(weights) - set(COMPONENT_LABELS)))}。")
    for key, w in weights.items():
        if not isinstance(w, (int, float)) or isinstance(w, bool) or w < 0:
            raise ValueError(f"{COMPONENT_LABELS[key]}的权重须为非负数。")
    if sum(weights.values()) <= 0:
        raise ValueError("权重之和须大于 0。")
    if r["inspection_score"] not in ("latest", "mean"):
        raise ValueError("检查得分取法须为 latest(最近一次)或 mean(平均)。")
    if not 0 <= Decimal(str(r["title"]["min_score"])) <= 100:
        raise ValueError("命名分数线须在 0 至 100 之间。")
    v = r["village"]
    if v["sites_weight"] < 0 or v["own_weight"] < 0 or v["sites_weight"] + v["own_weight"] <= 0:
        raise ValueError("村(社区)得分的权重须为非负数且不全为 0。")


def notes(rules: dict) -> list[str]:
    """The rules as Chinese sentences, for the report's 规则说明 sheet and the printable view."""
    r = merged(rules)
    w = r["weights"]
    parts = "+".join(f"{COMPONENT_LABELS[k]}×{v}" for k, v in w.items() if v)
    t = r["title"]
    return [
        f"规则版本:{RULES_VERSION}。",
        f"单位得分(百分制)=({parts})÷权重之和;缺少数据的项目不计入分母。",
        "明察暗访得分取" + ("期内最近一次已公布检查" if r["inspection_score"] == "latest" else "期内已公布检查的平均分") + "。",
        f"反诈APP安装率达到 {r['app_install_target']}% 即按满分计;满意率为评分 ≥ {r['satisfied_at_least']} 的答卷占比。",
        "“三无”(无电诈被骗案件、无电诈犯罪嫌疑人、无电诈窝点)与创建标准的达标条件为命名门槛"
        + (";“三无”不成立时单位得分为 0(一票否决)。" if r["sanwu_zeroes"] else "。"),
        f"拟命名条件:门槛全部满足、得分 ≥ {t['min_score']}" + (",且无未完成整改" if t["no_open_rectification"] else "") + "。",
        f"村(社区)得分=所属单位平均分×{r['village']['sites_weight']}% + 村级工作任务完成率×{r['village']['own_weight']}%"
        "(权重按实际有数据的部分折算)。",
        "镇(街道)得分=所属村(社区)得分的平均数;排名按得分从高到低,同分同名次。",
        f"拟命名由综治办工作人员确认(命名);结果公布后 {r['appeal_days']} 天内可申请复核。",
    ]
