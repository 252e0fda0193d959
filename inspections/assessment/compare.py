"""Compare two runs village by village: score, rank and proposed titles, and why (which sites changed)."""
from decimal import Decimal


def _sites(data):
    return {s["site_id"]: s for s in data.get("sites", [])}


def compare_runs(old, new) -> list[dict]:
    """Rows {village, old/new score and rank, delta, changes: [Chinese lines]} for every village in either run."""
    before = {r.village_id: r for r in old.village_results.select_related("village")}
    after = {r.village_id: r for r in new.village_results.select_related("village")}
    rows = []
    for vid in sorted(set(before) | set(after), key=lambda v: (after.get(v) or before.get(v)).village.code):
        a, b = before.get(vid), after.get(vid)
        village = (b or a).village
        changes = []
        if a is None or b is None:
            changes.append("新纳入考核" if a is None else "本次未纳入考核")
        else:
            sa, sb = _sites(a.data), _sites(b.data)
            for sid in sorted(set(sa) | set(sb)):
                x, y = sa.get(sid), sb.get(sid)
                name = (y or x)["name"]
                if x is None or y is None:
                    changes.append(f"{name}:{'新增' if x is None else '移出'}")
                    continue
                if x["score"] != y["score"]:
                    changes.append(f"{name}:得分 {x['score']} → {y['score']}")
                if x["proposed_title"] != y["proposed_title"]:
                    changes.append(f"{name}:{'新拟命名' if y['proposed_title'] else '不再拟命名'}(" + ";".join(y["reasons"]) + ")")
                if x["sanwu_holds"] != y["sanwu_holds"]:
                    changes.append(f"{name}:“三无”{'恢复成立' if y['sanwu_holds'] else '不再成立'}")
            if a.data["village"]["own_rate"] != b.data["village"]["own_rate"]:
                changes.append(f"村级任务完成率 {a.data['village']['own_rate']} → {b.data['village']['own_rate']}")
        old_score = a.score if a else None
        new_score = b.score if b else None
        delta = (new_score - old_score) if old_score is not None and new_score is not None else None
        rows.append({
            "village": village, "old_score": old_score, "new_score": new_score, "delta": delta,
            "old_rank": a.rank if a else None, "new_rank": b.rank if b else None, "changes": changes,
            "changed": bool(changes) or delta not in (None, Decimal("0")),
        })  # fmt: skip
    return rows
