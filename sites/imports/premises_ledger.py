"""The key-premises ledger (重点场所及房间): upsert by village + name, units listed in one cell; saved through
`sites.services_areas.premises_save` (which adds the units not there yet, never deletes one)."""
import re

from django.core.exceptions import ValidationError

from ..filters_keypersons import PremisesFilter
from ..masking import is_mask_of, masked
from ..models import Premises, Site, Unit
from ..services_areas import premises_save
from .base import Column, Ledger, Planned, RowError, registry
from .keyperson_ledger import detached
from .villages import VillageLookup

FIELDS = ("name", "kind", "address", "manager_name", "manager_phone", "actual_population")
NOT_FROM_SHEET = ["id", "village", "site", "risk_flags", "is_demo", "updated_at"]
SPLIT = re.compile(r"[、,,;;\s]+")


def split_list(text: str) -> list[str]:
    return [x for x in SPLIT.split(text or "") if x]


def site_lookup(rows, village_ids) -> dict:
    names = {r["site"] for r in rows if r.get("site")}
    return {(s.village_id, s.name): s for s in Site.objects.filter(village_id__in=village_ids, name__in=names)}


class PremisesLedger(Ledger):
    key = "premises"
    title = "重点场所"
    import_permission = "sites.add_premises"
    export_permission = "sites.view_premises"
    masked_model = "sites.premises"
    natural_key = ("town", "village", "name")
    columns = (
        Column("town", "镇/街道", help="村/社区重名时用于区分,可不填。", example="东桥镇"),
        Column("village", "所属村/社区", required=True, help="村/社区全称或 12 位区划代码。", example="东桥村",
               aliases=("村/社区",)),  # fmt: skip
        Column("name", "名称", required=True, max_length=100, help="同一村/社区内唯一;已有的场所按名称更新。",
               example="幸福路 8 号出租楼", aliases=("场所名称",)),  # fmt: skip
        Column("kind", "场所类型", kind="choice", required=True, choices=tuple(Premises.Kind.choices), example="出租房屋"),
        Column("address", "地址", required=True, max_length=200, example="东桥村幸福路 8 号"),
        Column("site", "所在创建单位", help="可不填;填写本村/社区内已有创建单位的名称。", aliases=("创建单位",)),
        Column("manager_name", "房东/管理人", max_length=30, example="赵六"),
        Column("manager_phone", "管理人电话", kind="phone", sensitive=True, example="13700000000"),
        Column("actual_population", "实有人口", kind="int", example=12),
        Column("risk_flags", "风险标记", help="可填多个,用顿号分隔:" + "、".join(str(x) for _, x in Premises.RiskFlag.choices)),
        Column("units", "房间/单元", help="房号用顿号或逗号分隔,如 101、102、201;只会增加,不会删除已有房间。",
               example="101、102、201", aliases=("房号",)),  # fmt: skip
    )
    instructions = (
        "每行一个场所。按“所属村/社区 + 名称”识别:已有的场所会被更新,没有的会新建。",
        "“房间/单元”列出该场所的房号,导入时补上还没有的房间(已有房间及其扫楼记录不受影响)。",
        "只能导入您负责的村/社区;任何一行有错,整个文件都不会写入。",
    )

    def prepare(self, rows, actor):
        villages = VillageLookup(rows, actor, self.import_permission)
        village_ids = [v.pk for v in villages.by_code.values()]
        existing = {(p.village_id, p.name): p for p in
                    Premises.objects.filter(village_id__in=village_ids, name__in={r["name"] for r in rows})}  # fmt: skip
        units = {}
        for pid, label in Unit.objects.filter(premises__in=existing.values()).values_list("premises_id", "label"):
            units.setdefault(pid, set()).add(label)
        return {"villages": villages, "existing": existing, "units": units, "sites": site_lookup(rows, village_ids)}

    def plan(self, values, ctx, actor):
        village = ctx["villages"].find(values)
        problems = []
        site = None
        if values.get("site"):
            site = ctx["sites"].get((village.pk, values["site"]))
            if site is None:
                problems.append(("site", f"“{village.name}”内没有名为“{values['site']}”的创建单位。"))
        flags, labels = [], {str(label): key for key, label in Premises.RiskFlag.choices}
        for text in split_list(values.get("risk_flags", "")):
            if text in labels or text in Premises.RiskFlag.values:
                flags.append(labels.get(text, text))
            else:
                problems.append(("risk_flags", f"未知的风险标记“{text}”,可选:{'、'.join(labels)}。"))
        current = ctx["existing"].get((village.pk, values["name"]))
        premises = Premises(village=village) if current is None else detached(current)
        for name in FIELDS:
            if name in values:
                value = values[name]
                if name == "manager_phone" and "*" in (value or ""):  # the masked export read back
                    if current is not None and is_mask_of(value, current.manager_phone, "phone"):
                        continue  # unchanged: keep the stored number
                    problems.append((name, "管理人电话是脱敏后的号码,请填写完整的 11 位手机号码(或留空)。"))
                    continue
                setattr(premises, name, 0 if name == "actual_population" and value is None else value)
        premises.site, premises.risk_flags = site, flags
        try:
            premises.full_clean(exclude=NOT_FROM_SHEET, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems += [(f if f in FIELDS else None, m) for f, ms in exc.message_dict.items() for m in ms]
        unit_labels = split_list(values.get("units", ""))
        for label in unit_labels:
            if len(label) > 20:
                problems.append(("units", f"房号“{label[:20]}…”太长(最多 20 个字)。"))
        if problems:
            raise RowError(problems)
        label = f"{village.name} · {premises.name}"
        if unit_labels:
            label += f"({len(unit_labels)} 个房间)"
        extra = {"units": unit_labels}
        if current is None:
            return Planned(values["_row"], "create", label, premises, extra)
        new_units = set(unit_labels) - ctx["units"].get(current.pk, set())
        changed = new_units or site != current.site or flags != (current.risk_flags or []) or any(
            getattr(premises, f) != getattr(current, f) for f in FIELDS)  # fmt: skip
        return Planned(values["_row"], "update" if changed else "unchanged", label, premises, extra)

    def save(self, *, actor, planned):
        premises_save(actor=actor, premises=planned.obj, units=planned.extra["units"])

    def export_rows(self, user, params):
        queryset = PremisesFilter(params, queryset=Premises.objects.visible_to(user), user=user).qs
        queryset = queryset.select_related("village__parent", "site").prefetch_related("units")
        kinds, flags = dict(Premises.Kind.choices), dict(Premises.RiskFlag.choices)
        for p in queryset.order_by("village__code", "name").iterator(chunk_size=2000):
            yield [p.village.parent.name, p.village.name, p.name, kinds.get(p.kind, p.kind), p.address,
                   p.site.name if p.site else "", p.manager_name, masked(p, "manager_phone"), p.actual_population,
                   "、".join(str(flags.get(f, f)) for f in p.risk_flags or []),
                   "、".join(u.label for u in p.units.all())]  # fmt: skip


registry.register(PremisesLedger())
