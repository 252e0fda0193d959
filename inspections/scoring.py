"""Pure scoring of a 评分表 and the gated conditions of a standard (no ORM; plain data in and out).

Results carry RULES_VERSION so an old total can be explained after the rules change.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

RULES_VERSION = "2026.1"

PASS_FAIL = "pass_fail"  # 达标得满分,不达标 0 分
RANGE = "range"  # 0 至满分之间打分
DEDUCTION = "deduction"  # 按次扣分,减完为止
VETO = "veto"  # 一票否决:不通过则总分为 0

METHODS = (PASS_FAIL, RANGE, DEDUCTION, VETO)
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemSpec:
    key: str
    max_points: Decimal
    method: str
    deduction_per: Decimal = Decimal("0")
    label: str = ""


@dataclass(frozen=True)
class ItemMark:
    """What the inspector entered for one item; unset fields mean 'not scored yet'."""

    key: str
    not_applicable: bool = False
    passed: bool | None = None
    points: Decimal | None = None
    occurrences: int | None = None
    self_points: Decimal | None = None


@dataclass(frozen=True)
class ItemResult:
    key: str
    applicable: bool
    earned: Decimal
    possible: Decimal
    vetoed: bool = False
    complete: bool = True


@dataclass(frozen=True)
class SheetResult:
    items: tuple[ItemResult, ...]
    earned: Decimal
    possible: Decimal
    score: Decimal | None  # scaled to 100; None when nothing applies
    self_score: Decimal | None
    vetoed: bool
    missing: tuple[str, ...]  # keys of items not scored yet
    rules_version: str = RULES_VERSION

    @property
    def complete(self) -> bool:
        return not self.missing


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def score_item(spec: ItemSpec, mark: ItemMark | None) -> ItemResult:
    """Points earned on one item. Raises ValueError (Chinese) on marks outside the item's range."""
    maxp = _d(spec.max_points)
    if mark is None:
        return ItemResult(spec.key, True, Decimal("0"), maxp, complete=False)
    if mark.not_applicable:
        return ItemResult(spec.key, False, Decimal("0"), Decimal("0"))
    if spec.method in (PASS_FAIL, VETO):
        if mark.passed is None:
            return ItemResult(spec.key, True, Decimal("0"), maxp, complete=False)
        vetoed = spec.method == VETO and not mark.passed
        return ItemResult(spec.key, True, maxp if mark.passed else Decimal("0"), maxp, vetoed=vetoed)
    if spec.method == RANGE:
        if mark.points is None:
            return ItemResult(spec.key, True, Decimal("0"), maxp, complete=False)
        points = _d(mark.points)
        if points < 0 or points > maxp:
            raise ValueError(f"{spec.label or spec.key}:得分须在 0 至 {maxp} 之间。")
        return ItemResult(spec.key, True, points, maxp)
    if spec.method == DEDUCTION:
        if mark.occurrences is None:
            return ItemResult(spec.key, True, Decimal("0"), maxp, complete=False)
        if mark.occurrences < 0:
            raise ValueError(f"{spec.label or spec.key}:扣分次数不能为负数。")
        earned = max(Decimal("0"), maxp - _d(spec.deduction_per) * mark.occurrences)  # 减完为止
        return ItemResult(spec.key, True, earned, maxp)
    raise ValueError(f"未知的计分方式:{spec.method}")


def scale(earned: Decimal, possible: Decimal) -> Decimal | None:
    if possible <= 0:
        return None
    return (earned * HUNDRED / possible).quantize(CENT, rounding=ROUND_HALF_UP)


def score_sheet(specs: list[ItemSpec], marks: list[ItemMark]) -> SheetResult:
    """Total of a sheet scaled to 100. 不适用 items leave the denominator; a failed veto item zeroes it."""
    by_key = {m.key: m for m in marks}
    results = tuple(score_item(spec, by_key.get(spec.key)) for spec in specs)
    applicable = [r for r in results if r.applicable]
    earned = sum((r.earned for r in applicable), Decimal("0"))
    possible = sum((r.possible for r in applicable), Decimal("0"))
    vetoed = any(r.vetoed for r in results)
    score = scale(earned, possible)
    if vetoed:
        score, earned = Decimal("0.00"), Decimal("0")
    self_earned = Decimal("0")
    self_given = False
    for spec, r in zip(specs, results):
        mark = by_key.get(spec.key)
        if r.applicable and mark is not None and mark.self_points is not None:
            self_given = True
            self_earned += min(_d(mark.self_points), _d(spec.max_points))
    return SheetResult(
        items=results,
        earned=earned,
        possible=possible,
        score=score,
        self_score=scale(self_earned, possible) if self_given else None,
        vetoed=vetoed,
        missing=tuple(r.key for r in results if not r.complete),
    )


# ---------------------------------------------------------------- gated conditions


@dataclass
class SiteFacts:
    """Facts about one site in one period; None means 'not known' and fails any condition on it."""

    victim_cases: int | None = None
    suspects: int | None = None
    dens: int | None = None
    max_single_loss: Decimal | None = None
    app_install_rates: dict[str, float] = field(default_factory=dict)  # population → percent
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
POPULATION_LABELS = {"residents": "常住人口", "age_16_60": "16至60周岁人口", "students": "在校学生", "employees": "员工"}
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
        raise ValueError("APP安装率须指定人群(residents、age_16_60、students、employees)。")
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
        return facts.app_install_rates.get(node["population"])
    value = getattr(facts, node["fact"])
    return None if value is None else float(value)


def describe(node) -> str:
    if "all" in node:
        return "(" + " 且 ".join(describe(c) for c in node["all"]) + ")"
    if "any" in node:
        return "(" + " 或 ".join(describe(c) for c in node["any"]) + ")"
    label = FACT_LABELS[node["fact"]]
    if node["fact"] == "app_install_rate":
        label = f"{POPULATION_LABELS[node['population']]}{label}"
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
        reasons = tuple(r for res in results for r in res.reasons)
        return GateResult(all(r.passed for r in results), reasons)
    if "any" in node:
        results = [evaluate_gate(c, facts) for c in node["any"]]
        if any(r.passed for r in results) or not results:
            return GateResult(True, ())
        return GateResult(False, (f"未满足任一条件:{describe(node)}",))
    value = _fact_value(facts, node)
    if value is None:
        return GateResult(False, (f"缺少数据:{describe(node)}",))
    if "drop_pct_at_least" in node:
        before = facts.previous.get(node["fact"])
        if before is None:
            return GateResult(False, (f"缺少上期数据:{describe(node)}",))
        if before == 0:
            ok = value == 0
        else:
            ok = (before - value) * 100 / before >= float(node["drop_pct_at_least"])
        return GateResult(ok, () if ok else (f"未达到:{describe(node)}(上期 {before:g},本期 {value:g})",))
    ok = _compare(value, node["op"], float(node["value"]))
    return GateResult(ok, () if ok else (f"未达到:{describe(node)}(实际 {value:g})",))


# ---------------------------------------------------------------- the random draw


@dataclass(frozen=True)
class Candidate:
    site_id: int
    village_code: str


@dataclass(frozen=True)
class InspectorSlot:
    user_id: int
    home_village_code: str = ""  # an inspector never inspects their own village


@dataclass(frozen=True)
class DrawResult:
    site_ids: tuple[int, ...]
    assignments: tuple[tuple[int, int], ...]  # (site_id, inspector user_id)
    candidates_hash: str


def candidates_hash(candidates: list[Candidate]) -> str:
    import hashlib

    text = ";".join(f"{c.site_id}:{c.village_code}" for c in sorted(candidates, key=lambda c: c.site_id))
    return hashlib.sha256(text.encode()).hexdigest()


def draw(
    candidates: list[Candidate],
    n: int,
    seed: int,
    inspectors: list[InspectorSlot],
    last_inspector: dict[int, int] | None = None,
) -> DrawResult:
    """Draw `n` sites and assign inspectors, reproducibly from `seed`.

    Exclusions: no inspector goes to their own village, nor to a site they inspected last time.
    Load is spread evenly (fewest assignments first, ties broken by the same seeded generator).
    """
    import random

    if n < 1:
        raise ValueError("抽取数量至少为 1。")
    pool = sorted(candidates, key=lambda c: c.site_id)
    if n > len(pool):
        raise ValueError(f"候选单位只有 {len(pool)} 个,不足抽取 {n} 个。")
    if not inspectors:
        raise ValueError("请先指定督查员。")
    rng = random.Random(seed)
    drawn = rng.sample(pool, n)
    last_inspector = last_inspector or {}
    load = {i.user_id: 0 for i in inspectors}
    assignments = []
    for cand in drawn:
        eligible = [
            i
            for i in sorted(inspectors, key=lambda i: i.user_id)
            if i.home_village_code != cand.village_code and last_inspector.get(cand.site_id) != i.user_id
        ]
        if not eligible:
            raise ValueError(f"没有可派往单位 {cand.site_id} 的督查员(回避本村、避免连续两次检查同一单位)。")
        fewest = min(load[i.user_id] for i in eligible)
        chosen = rng.choice([i for i in eligible if load[i.user_id] == fewest])
        load[chosen.user_id] += 1
        assignments.append((cand.site_id, chosen.user_id))
    return DrawResult(tuple(c.site_id for c in drawn), tuple(assignments), candidates_hash(pool))
