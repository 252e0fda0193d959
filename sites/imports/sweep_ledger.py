"""The building-sweep ledger (扫楼行动): one row per sweep, upsert by village + date + team; the premises it
covered are named in one cell. Saved through `sites.services_areas.sweep_record`. Unit-by-unit results
stay on the sweep's page (one row per unit would make a sheet nobody fills in)."""
from django.core.exceptions import ValidationError

from ..models import Premises, Sweep
from ..services_areas import sweep_record
from .base import Column, Ledger, Planned, RowError, registry
from .keyperson_ledger import detached
from .premises_ledger import split_list
from .villages import VillageLookup


class SweepLedger(Ledger):
    key = "sweeps"
    title = "扫楼行动"
    import_permission = "sites.add_sweep"
    export_permission = "sites.view_sweep"
    natural_key = ("town", "village", "done_on", "team")
    columns = (
        Column("town", "镇/街道", help="村/社区重名时用于区分,可不填。", example="东桥镇"),
        Column("village", "所属村/社区", required=True, help="村/社区全称或 12 位区划代码。", example="东桥村",
               aliases=("村/社区",)),  # fmt: skip
        Column("done_on", "日期", kind="date", required=True, example="2022-01-10", aliases=("扫楼日期",)),
        Column("team", "参加人员", required=True, max_length=200, help="同一天同一村/社区以参加人员区分各次行动。",
               example="网格员张三、民警李四"),  # fmt: skip
        Column("premises", "覆盖场所", required=True, help="本村/社区已有场所的名称,多个用顿号分隔。",
               example="幸福路 8 号出租楼", aliases=("场所",)),  # fmt: skip
        Column("note", "情况说明"),
    )
    instructions = (
        "每行一次扫楼行动。按“所属村/社区 + 日期 + 参加人员”识别:已有的行动会被更新,没有的会新增。",
        "“覆盖场所”须是本村/社区已登记的重点场所(可先导入“重点场所”台账);逐户走访结果请在扫楼页面填写。",
        "只能导入您负责的村/社区;任何一行有错,整个文件都不会写入。",
    )

    def prepare(self, rows, actor):
        villages = VillageLookup(rows, actor, self.import_permission)
        village_ids = [v.pk for v in villages.by_code.values()]
        names = {n for r in rows for n in split_list(r.get("premises", ""))}
        premises = {(p.village_id, p.name): p for p in Premises.objects.filter(village_id__in=village_ids, name__in=names)}
        existing = {}
        sweeps = Sweep.objects.filter(village_id__in=village_ids, done_on__in={r["done_on"] for r in rows})
        for sweep in sweeps.prefetch_related("premises"):
            existing[(sweep.village_id, sweep.done_on, sweep.team)] = sweep
        return {"villages": villages, "premises": premises, "existing": existing}

    def plan(self, values, ctx, actor):
        village = ctx["villages"].find(values)
        chosen, problems = [], []
        for name in dict.fromkeys(split_list(values["premises"])):
            found = ctx["premises"].get((village.pk, name))
            if found is None:
                problems.append(("premises", f"“{village.name}”内没有名为“{name}”的重点场所,请先登记该场所。"))
            chosen.append(found)
        current = ctx["existing"].get((village.pk, values["done_on"], values["team"]))
        note = values.get("note", current.note if current else "")
        if current is None:
            sweep = Sweep(village=village, done_on=values["done_on"], team=values["team"], note=note, created_by=actor)
        else:
            sweep = detached(current)
            sweep.note = note
        try:
            sweep.full_clean(exclude=["village", "created_by"])
        except ValidationError as exc:
            problems += [(f if f in ("done_on", "team", "note") else None, m) for f, ms in exc.message_dict.items()
                         for m in ms]  # fmt: skip
        if problems:
            raise RowError(problems)
        label = f"{village.name} · {values['done_on']:%Y-%m-%d} · {values['team']}({len(chosen)} 个场所)"
        extra = {"premises": chosen}
        if current is None:
            return Planned(values["_row"], "create", label, sweep, extra)
        same = {p.pk for p in current.premises.all()} == {p.pk for p in chosen} and current.note == note
        return Planned(values["_row"], "unchanged" if same else "update", label, sweep, extra)

    def save(self, *, actor, planned):
        sweep_record(actor=actor, sweep=planned.obj, premises=planned.extra["premises"])

    def export_rows(self, user, params):
        queryset = Sweep.objects.visible_to(user).select_related("village__parent").prefetch_related("premises")
        village = params.get("village")
        if village and str(village).isdigit():
            queryset = queryset.filter(village_id=village)
        for s in queryset.order_by("village__code", "done_on", "pk").iterator(chunk_size=2000):
            yield [s.village.parent.name, s.village.name, s.done_on, s.team,
                   "、".join(p.name for p in s.premises.all()), s.note]  # fmt: skip


registry.register(SweepLedger())
