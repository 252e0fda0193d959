"""The reproducible random draw of sites for a plan, with its exclusions (no ORM)."""

from __future__ import annotations

from dataclasses import dataclass


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
