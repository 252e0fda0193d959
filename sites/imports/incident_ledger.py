"""The fraud-incident ledger (涉诈案事件): upsert by police case number, or (without one) by site + date + kind;
saved through `sites.services_areas.incident_save`. Town staff enter incidents; cadres only read them."""
from django.core.exceptions import ValidationError
from django.db.models import Q

from ..filters_keypersons import IncidentFilter
from ..models import Incident, Site
from ..services_areas import incident_save
from .base import Column, Ledger, Planned, RowError, registry
from .keyperson_ledger import detached
from .villages import VillageLookup

FIELDS = ("kind", "occurred_on", "police_case_no", "amount_lost", "fraud_type", "status", "summary")


class IncidentLedger(Ledger):
    key = "incidents"
    title = "涉诈案事件"
    import_permission = "sites.add_incident"
    export_permission = "sites.view_incident"
    natural_key = ("police_case_no", "town", "village", "site", "occurred_on", "kind")
    columns = (
        Column("town", "镇/街道", help="村/社区重名时用于区分,可不填。", example="东桥镇"),
        Column("village", "所属村/社区", required=True, help="村/社区全称或 12 位区划代码。", example="东桥村",
               aliases=("村/社区",)),  # fmt: skip
        Column("site", "创建单位", required=True, help="该村/社区内已有创建单位的名称。", example="东桥幸福小区"),
        Column("kind", "类别", kind="choice", required=True, choices=tuple(Incident.Kind.choices), example="电诈被骗案件"),
        Column("occurred_on", "发生日期", kind="date", required=True, example="2022-01-15"),
        Column("police_case_no", "警情/案件编号", max_length=40,
               help="有编号的按编号识别(重复上传只更新);没有编号的按“创建单位 + 发生日期 + 类别”识别。",
               example="J3505210000002022010001"),  # fmt: skip
        Column("amount_lost", "损失金额(元)", kind="decimal", help="被骗案件必填,没有损失填 0。", example=5000),
        Column("fraud_type", "诈骗类型", kind="choice", required=True, choices=tuple(Incident.FraudType.choices),
               example="刷单返利"),  # fmt: skip
        Column("status", "状态", kind="choice", choices=tuple(Incident.Status.choices), help="不填为“已立案”。"),
        Column("summary", "简要案情", required=True, help="不要填写当事人身份证号、电话等个人信息。", example="刷单返利被骗。"),
    )
    instructions = (
        "每行一起案事件。有警情/案件编号的按编号识别,没有的按“创建单位 + 发生日期 + 类别”识别;已有的会被更新。",
        "简要案情中不要填写当事人的身份证号、电话等个人信息。",
        "只能导入您负责的范围;任何一行有错,整个文件都不会写入。",
    )

    def prepare(self, rows, actor):
        villages = VillageLookup(rows, actor, self.import_permission)
        village_ids = [v.pk for v in villages.by_code.values()]
        sites = {(s.village_id, s.name): s for s in
                 Site.objects.filter(village_id__in=village_ids, name__in={r["site"] for r in rows})}  # fmt: skip
        numbers = {r["police_case_no"] for r in rows if r.get("police_case_no")}
        found = Incident.objects.current().filter(
            Q(police_case_no__in=numbers) | Q(site__in=sites.values(), occurred_on__in={r["occurred_on"] for r in rows})
        ).select_related("site")  # fmt: skip
        by_no, by_key = {}, {}
        for incident in found:
            if incident.police_case_no:
                by_no[incident.police_case_no] = incident
            by_key.setdefault((incident.site_id, incident.occurred_on, incident.kind), incident)
        return {"villages": villages, "sites": sites, "by_no": by_no, "by_key": by_key}

    def plan(self, values, ctx, actor):
        village = ctx["villages"].find(values)
        site = ctx["sites"].get((village.pk, values["site"]))
        if site is None:
            raise RowError([("site", f"“{village.name}”内没有名为“{values['site']}”的创建单位。")])
        number = values.get("police_case_no", "")
        current = ctx["by_no"].get(number) if number else ctx["by_key"].get((site.pk, values["occurred_on"], values["kind"]))
        if current is not None and current.site.village_id not in ctx["villages"].allowed:
            raise RowError([("police_case_no", "该编号的案件不在您负责的范围内,请核对编号。")])
        incident = Incident(entered_by=actor) if current is None else detached(current)
        incident.site = site
        for name in FIELDS:
            if name in values:
                value = values[name]
                if name == "status" and not value:
                    value = current.status if current else Incident.Status.FILED
                setattr(incident, name, value)
        try:
            incident.full_clean(exclude=["site", "entered_by", "annulled_by"], validate_constraints=False)
        except ValidationError as exc:
            raise RowError([(f if f in FIELDS else None, m) for f, ms in exc.message_dict.items() for m in ms]) from None
        label = f"{site.name} · {incident.occurred_on:%Y-%m-%d} · {incident.get_kind_display()}"
        if current is None:
            return Planned(values["_row"], "create", label, incident)
        changed = incident.site_id != current.site_id or any(getattr(incident, f) != getattr(current, f) for f in FIELDS)
        return Planned(values["_row"], "update" if changed else "unchanged", label, incident)

    def save(self, *, actor, planned):
        incident_save(actor=actor, incident=planned.obj)

    def export_rows(self, user, params):
        queryset = IncidentFilter(params, queryset=Incident.objects.visible_to(user), user=user).qs
        if params.get("annulled") != "true":  # as the list: annulled ones only on request
            queryset = queryset.current()
        labels = {f: dict(Incident._meta.get_field(f).choices) for f in ("kind", "fraud_type", "status")}
        fields = ("site__village__parent__name", "site__village__name", "site__name", "kind", "occurred_on",
                  "police_case_no", "amount_lost", "fraud_type", "status", "summary")  # fmt: skip
        for row in queryset.order_by("site__village__code", "occurred_on", "pk").values_list(*fields).iterator(2000):
            row = list(row)
            for index, name in ((3, "kind"), (7, "fraud_type"), (8, "status")):
                row[index] = labels[name].get(row[index], row[index])
            yield row


registry.register(IncidentLedger())
