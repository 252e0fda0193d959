"""Gated conditions of a standard: a small AND/OR rule tree over plain `SiteFacts` (no ORM)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class SiteFacts:
    """Facts about one site in one period; None means 'not known' and fails any condition on it."""

    victim_cases: int | None = None
    suspects: int | None = None
    dens: int | None = None
    max_single_loss: Decimal | None = None
    app_install_rates: dict[str, float] = field(default_factory=dict)  # population → percent
    # Set from THE install figure (campaigns.installs): the campaign's base the rate is over, and 缺少数据:… (what to
    # enter) when that base is missing. With a base set, an install condition reads that rate whatever population
    # it names, so the conditions and the score see one figure.
    app_install_base: str = ""
    app_install_missing: str = ""
    concentrated_events: int | None = None
    open_rectifications: int | None = None
    previous: dict[str, float] = field(default_factory=dict)  # the same facts, previous period


FACT_LABELS = {
    "victim_cases": "发案数",
    "suspects": "涉诈人员数",
    "dens": "窝点数",
    "max_single_loss": "单笔最大损失(元)",
    "app_install_rate": "反诈APP安装率(%)",
    "concentrated_events": "集中宣传活动次数",
    "open_rectifications": "未完成整改数",
}
POPULATION_LABELS = {
    "residents": "常住人口",
    "residents_16_60": "16至60周岁人口",
    "age_16_60": "16至60周岁人口",  # the older spelling of residents_16_60, kept in stored standards
    "students": "在校学生",
    "employees": "员工",
}
POPULATION_ALIASES = {"age_16_60": "residents_16_60", "residents_16_60": "age_16_60"}
OPS = {"<=": "不超过", ">=": "不少于", "==": "等于", "<": "少于", ">": "多于"}


@dataclass(frozen=True)
class GateResult:
    passed: bool
    reasons: tuple[str, ...]  # one line per failed condition (Chinese)


def validate_gate(node) -> None:
    """Raise ValueError (Chinese) unless `node` is a well-formed rule tree."""
    if not isinstance(node, dict):
        raise ValueError("条件必须是对象。")
    if "all" in node or "any" in node:
        children = node.get("all", node.get("any"))
        if not isinstance(children, list):
            raise ValueError("“全部满足/任一满足”下须是条件列表。")
        for child in children:
            validate_gate(child)
        return
    fact = node.get("fact")
    if fact not in FACT_LABELS:
        raise ValueError(f"未知的数据项:{fact}。")
    if fact == "app_install_rate" and node.get("population") not in POPULATION_LABELS:
        raise ValueError("APP安装率须指定人群(residents、residents_16_60、students、employees)。")
    if "drop_pct_at_least" in node:
        _number(node["drop_pct_at_least"])
        return
    if node.get("op") not in OPS:
        raise ValueError(f"未知的比较方式:{node.get('op')}。")
    _number(node.get("value"))


def _number(value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError("阈值必须是数字。")
    try:
        Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueError("阈值必须是数字。") from exc


def _fact_value(facts: SiteFacts, node) -> float | None:
    if node["fact"] == "app_install_rate":
        if facts.app_install_base:  # the campaign's figure (see SiteFacts)
            return facts.app_install_rates.get(facts.app_install_base)
        rates, population = facts.app_install_rates, node["population"]
        return rates.get(population, rates.get(POPULATION_ALIASES.get(population, "")))
    value = getattr(facts, node["fact"])
    return None if value is None else float(value)


def describe(node, facts: SiteFacts | None = None) -> str:
    """The rule in Chinese; with `facts`, an install condition names the base its rate was taken over."""
    if "all" in node:
        return "(" + " 且 ".join(describe(c, facts) for c in node["all"]) + ")"
    if "any" in node:
        return "(" + " 或 ".join(describe(c, facts) for c in node["any"]) + ")"
    label = FACT_LABELS[node["fact"]]
    if node["fact"] == "app_install_rate":
        population = facts.app_install_base if facts is not None and facts.app_install_base else node["population"]
        label = f"{POPULATION_LABELS.get(population, population)}{label}"
    if "drop_pct_at_least" in node:
        return f"{label}较上期下降不少于{node['drop_pct_at_least']}%"
    return f"{label}{OPS[node['op']]}{node['value']}"


def _compare(value: float, op: str, threshold: float) -> bool:
    return {
        "<=": value <= threshold,
        ">=": value >= threshold,
        "==": value == threshold,
        "<": value < threshold,
        ">": value > threshold,
    }[op]


def evaluate_gate(node, facts: SiteFacts) -> GateResult:
    """Evaluate a rule tree: {"all": [...]}, {"any": [...]}, {"fact", "op", "value"} or a drop rule."""
    if "all" in node:
        results = [evaluate_gate(c, facts) for c in node["all"]]
        reasons = tuple(dict.fromkeys(r for res in results for r in res.reasons))  # a missing base is said once
        return GateResult(all(r.passed for r in results), reasons)
    if "any" in node:
        results = [evaluate_gate(c, facts) for c in node["any"]]
        if any(r.passed for r in results) or not results:
            return GateResult(True, ())
        return GateResult(False, (f"未满足任一条件:{describe(node, facts)}",))
    value = _fact_value(facts, node)
    if value is None:
        if node["fact"] == "app_install_rate" and facts.app_install_missing:
            return GateResult(False, (facts.app_install_missing,))  # 缺少数据:请在…填写… (what to enter)
        return GateResult(False, (f"缺少数据:{describe(node, facts)}",))
    if "drop_pct_at_least" in node:
        before = facts.previous.get(node["fact"])
        if before is None:
            return GateResult(False, (f"缺少上期数据:{describe(node, facts)}",))
        if before == 0:
            ok = value == 0
        else:
            ok = (before - value) * 100 / before >= float(node["drop_pct_at_least"])
        return GateResult(ok, () if ok else (f"未达到:{describe(node, facts)}(上期 {before:g},本期 {value:g})",))
    ok = _compare(value, node["op"], float(node["value"]))
    return GateResult(ok, () if ok else (f"未达到:{describe(node, facts)}(实际 {value:g})",))
