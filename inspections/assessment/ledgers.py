"""One entry, many ledgers (基层减负): the standard ledgers a town is asked for, from the records already
entered, as one xlsx (write-only, streamed rows, formula-safe). Key persons are masked (name, ID, phone),
need `sites.export_keyperson`, and every exported file writes an access-log row first, like every other
export of key persons (`sites.services_keypersons.keyperson_export_log`)."""
from __future__ import annotations

import io

from django.db.models import Count, Q, Sum
from openpyxl import Workbook

from campaigns.models import Activity
from sites.models import KeyPerson, Sweep
from sites.services_keypersons import keyperson_export_log
from sites.masking import mask_name
from sites.models import Rectification as ClueRectification
from wuzha.lib.excel_export import escape_formula

from ..models import Inspection, Rectification

LEDGERS = ("宣传活动台账", "重点人员管控台账", "扫楼台账", "明察暗访情况表", "整改台账")




def _ws(wb, title, headers):
    ws = wb.create_sheet(title)
    ws.append(headers)
    return ws


def _row(ws, values):
    ws.append([escape_formula(v) if isinstance(v, str) else ("" if v is None else v) for v in values])


def _d(day):
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def build_ledgers(run, user, ip: str | None = None) -> bytes:
    """The five ledgers for the run's scope and period, limited to what `user` may see. The key persons
    exported are logged (one AccessLog row each, reason naming the run) before the file is built."""
    prefix, campaign = run.scope.prefix, run.campaign
    start, end = campaign.starts_on, min(run.as_of, campaign.ends_on)
    wb = Workbook(write_only=True)
    ws = _ws(wb, LEDGERS[0], ["村(社区)", "创建单位", "日期", "宣传渠道", "主题/地点", "村干部", "民警", "网格员", "志愿者",
                               "覆盖人数", "走访户数", "APP安装数"])  # fmt: skip
    channels = dict(Activity.Channel.choices)
    acts = (Activity.objects.visible_to(user).filter(campaign=campaign, village__code__startswith=prefix,
                                                     date__gte=start, date__lte=end)
            .order_by("village__code", "date", "pk")
            .values_list("village__name", "site__name", "date", "channel", "title", "cadres", "police", "grid_workers",
                         "volunteers", "people_reached", "households_visited", "app_installs"))  # fmt: skip
    for v, s, day, ch, title, *rest in acts.iterator(chunk_size=2000):
        _row(ws, [v, s or "", _d(day), channels.get(ch, ch), title, *rest])
    ws = _ws(wb, LEDGERS[1], ["村(社区)", "姓名", "性别", "身份证号", "手机号", "人员类别", "风险等级", "管控状态", "责任民警",
                               "下次跟进"])  # fmt: skip
    people = []
    if user.has_perm("sites.export_keyperson"):
        people = list(KeyPerson.objects.visible_to(user).current().filter(village__code__startswith=prefix)
                      .select_related("village").order_by("village__code", "pk"))  # fmt: skip
        if people:
            keyperson_export_log(actor=user, persons=people, ip=ip,
                                 reason=f"一键生成台账(考核计算第{run.pk}次,{run.scope.name})")  # fmt: skip
    else:
        _row(ws, ["您没有导出重点人员名单的权限,本表不列人员。"])
    for p in people:
        _row(ws, [p.village.name, mask_name(p.name), p.get_gender_display(), p.masked_id, p.masked_phone,
                  p.get_category_display(), p.get_risk_level_display(), p.get_status_display(), mask_name(p.police_officer),
                  _d(p.next_followup_on)])  # fmt: skip
    ws = _ws(wb, LEDGERS[2], ["村(社区)", "日期", "参加人员", "覆盖场所数", "走访户数", "已走访", "无人在家", "拒绝入户", "空置",
                               "见到人数", "APP安装"])  # fmt: skip
    sweeps = (Sweep.objects.visible_to(user).filter(village__code__startswith=prefix, done_on__gte=start, done_on__lte=end)
              .annotate(n_premises=Count("premises", distinct=True))
              .order_by("village__code", "done_on", "pk").values_list("pk", "village__name", "done_on", "team", "n_premises"))
    visit_rows = {}
    from sites.models import UnitVisit

    for sid, status, n, seen, app in (
        UnitVisit.objects.filter(sweep__in=[s[0] for s in sweeps]).values_list("sweep_id", "status")
        .annotate(n=Count("pk"), seen=Sum("residents_seen"), app=Sum("app_installed")).order_by()
    ):  # fmt: skip
        row = visit_rows.setdefault(sid, {"n": 0, "seen": 0, "app": 0})
        row[status], row["n"], row["seen"], row["app"] = n, row["n"] + n, row["seen"] + (seen or 0), row["app"] + (app or 0)
    for sid, v, day, team, n_premises in sweeps:
        r = visit_rows.get(sid, {"n": 0, "seen": 0, "app": 0})
        _row(ws, [v, _d(day), team, n_premises, r["n"], r.get("visited", 0), r.get("nobody", 0), r.get("refused", 0),
                  r.get("vacant", 0), r["seen"], r["app"]])  # fmt: skip
    ws = _ws(wb, LEDGERS[3], ["村(社区)", "被检查单位", "检查方式", "检查计划", "状态", "得分", "一票否决", "公布日期"])
    inspections = (Inspection.objects.visible_to(user).filter(plan__campaign=campaign, site__village__code__startswith=prefix)
                   .filter(Q(status=Inspection.Status.PUBLISHED) | Q(plan__published_at__isnull=False))
                   .select_related("site__village", "plan").order_by("site__village__code", "pk"))  # fmt: skip
    for i in inspections.iterator(chunk_size=1000):
        _row(ws, [i.site.village.name, i.site.name, i.plan.get_kind_display(), i.plan.name, i.get_status_display(),
                  float(i.score) if i.score is not None else "", "是" if i.vetoed else "否",
                  _d(i.published_at.date() if i.published_at else None)])  # fmt: skip
    ws = _ws(wb, LEDGERS[4], ["来源", "村(社区)", "对象", "问题/措施", "期限", "状态", "办结/验收"])
    for r in (Rectification.objects.visible_to(user).filter(site__village__code__startswith=prefix)
              .select_related("site__village").order_by("site__village__code", "pk").iterator(chunk_size=1000)):  # fmt: skip
        _row(ws, ["明察暗访", r.site.village.name, r.site.name, getattr(r, "finding", ""), _d(r.deadline),
                  r.get_status_display(), _d(getattr(r, "verified_at", None) and r.verified_at.date())])  # fmt: skip
    for r in (ClueRectification.objects.visible_to(user).filter(village__code__startswith=prefix)
              .select_related("village").order_by("village__code", "pk").iterator(chunk_size=1000)):  # fmt: skip
        _row(ws, [r.get_source_display(), r.village.name, r.target, r.actions, _d(r.due_on),
                  "已办结" if r.closed_on else "办理中", _d(r.closed_on)])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
