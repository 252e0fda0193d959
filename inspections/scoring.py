"""Pure scoring of a 评分表, plus (re-exported) the gated conditions and the draw (no ORM; plain data).

Results carry RULES_VERSION so an old total can be explained after the rules change.
"""

from __future__ import annotations

from dataclasses import dataclass
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


# Gates and the draw live in their own modules; re-exported so callers use one name.
from .draw import Candidate, DrawResult, InspectorSlot, candidates_hash, draw  # noqa: E402,F401
from .gates import (  # noqa: E402,F401
    FACT_LABELS,
    OPS,
    POPULATION_LABELS,
    GateResult,
    SiteFacts,
    describe,
    evaluate_gate,
    validate_gate,
)
