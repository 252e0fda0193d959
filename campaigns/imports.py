"""The propaganda ledger (宣传活动台账) for Excel import and export: upsert by village + site + date + channel +
台账编号 (the village's own key), saved a chunk at a time through `campaigns.services.activity_bulk_record`
(exactly `activity_record`'s rules in a fixed number of queries), so scope, the closed-campaign lock, the
channel's reach rules and the evidence flags stay in one place."""
from django.core.exceptions import ValidationError

from sites.imports import Column, Ledger, Planned, RowError, registry
from sites.imports.keyperson_ledger import detached
from sites.imports.villages import VillageLookup
from sites.models import Site
from sites.scope import user_scope

from .channels import FIELD_LABELS, REACH_FIELDS, Channel
from .filters import ActivityFilter
from .models import Activity, Campaign
from .services import LOCKED, activity_bulk_record, activity_record

PEOPLE = ("cadres", "police", "grid_workers", "volunteers")
FIELDS = ("date", "channel", "client_key", "title", *PEOPLE, *REACH_FIELDS, "app_installs", "notes")
COUNTS = (*PEOPLE, *(f for f in REACH_FIELDS if f != "post_links"), "app_installs")
EXPORT_PATHS = {"campaign": "campaign__name", "town": "village__parent__name", "village": "village__name",
                "site": "site__name"}
ZERO_IF_EMPTY = frozenset((*PEOPLE, "app_installs"))
CHANNEL_LABELS = {value: str(label) for value, label in Channel.choices}
NOT_FROM_SHEET = ["id", "campaign", "village", "site", "created_by", "created_at", "updated_at", "is_demo"]


def _label(name):
    return str(Activity._meta.get_field(name).verbose_name)


def _bounds():
    """Each count column's (min, max) from the model's validators, checked per row in plain Python."""
    bounds = {}
    for name in COUNTS:
        limits = {type(v).__name__: v.limit_value for v in Activity._meta.get_field(name).validators}
        bounds[name] = (limits.get("MinValueValidator", float("-inf")), limits.get("MaxValueValidator", float("inf")))
    return bounds


BOUNDS = _bounds()
# What `full_clean` would check beyond the engine's typed columns (a date, a listed channel, whole numbers,
# texts within `max_length`, the required columns filled): the count ranges and the model's `clean()`.
# The template columns must not be more lenient than the model: `tests/campaigns/test_ledger_activities.py`.


def _clean(activity: Activity) -> list[tuple[str | None, str]]:
    """`full_clean(exclude=NOT_FROM_SHEET)` for a row the engine has already typed, without its per-field
    validator machinery (the import's main per-row cost): same messages, fields and order."""
    problems = []
    for name, (low, high) in BOUNDS.items():
        value = getattr(activity, name)
        if value is not None and not low <= value <= high:
            try:
                Activity._meta.get_field(name).run_validators(value)
            except ValidationError as exc:
                problems += [(name, m) for m in exc.messages]
    try:
        activity.clean()
    except ValidationError as exc:
        problems += [(f if f in FIELDS else None, m) for f, ms in exc.message_dict.items() for m in ms]
    return problems


class ActivityLedger(Ledger):
    key = "activities"
    title = "宣传活动"
    import_permission = "campaigns.add_activity"
    export_permission = "campaigns.view_activity"
    natural_key = ("town", "village", "site", "date", "channel", "client_key")
    columns = (
        Column("campaign", "创建活动", help="可不填:按村/社区和开展日期自动对应正在进行的创建活动;有多个时须填写活动名称。"),
        Column("town", "镇/街道", help="村/社区重名时用于区分,可不填。", example="东桥镇"),
        Column("village", "所属村/社区", required=True, help="村/社区全称或 12 位区划代码。", example="东桥村",
               aliases=("村/社区",)),  # fmt: skip
        Column("site", "创建单位", help="不填表示以整个村/社区为单位开展;填写则须是该村/社区内的单位名称。",
               example="东桥幸福小区"),  # fmt: skip
        Column("date", "开展日期", kind="date", required=True, example="2021-11-20", aliases=("日期",)),
        Column("channel", "宣传渠道", kind="choice", required=True, choices=tuple(Channel.choices), example="宣传栏/展板",
               aliases=("形式", "渠道")),  # fmt: skip
        Column("client_key", "台账编号", max_length=40, example="DQ-2021-001",
               help="您自己台账里的编号:同一天同一渠道有多条时用它区分;重新上传时按它更新,不会重复。"),  # fmt: skip
        Column("title", "主题/地点", max_length=100, example="幸福路宣传栏更新"),
        *(Column(f, _label(f), kind="int", example=1 if f == "cadres" else "") for f in PEOPLE),
        *(Column(f, FIELD_LABELS[f], kind="int", example=2 if f == "copies" else "") for f in REACH_FIELDS
          if f != "post_links"),  # fmt: skip
        Column("post_links", "链接", help="新媒体渠道必填,多个链接用空格分隔。", aliases=(FIELD_LABELS["post_links"],)),
        Column("app_installs", _label("app_installs"), kind="int"),
        Column("notes", "备注"),
    )
    instructions = (
        "每行一次宣传活动。按“村/社区 + 创建单位 + 开展日期 + 宣传渠道 + 台账编号”识别:已有的会被更新,没有的会新增。",
        "各渠道须填写的数量见系统“宣传活动”登记页(如宣传栏填数量,入户走访填走访户数,新媒体填发布条数和链接)。",
        "已结束的创建活动不能再导入记录;只能导入您负责的范围;任何一行有错,整个文件都不会写入。照片请在系统中补传。",
    )

    def prepare(self, rows, actor):
        villages = VillageLookup(rows, actor, self.import_permission)
        village_ids = [v.pk for v in villages.by_code.values()]
        sites = {(s.village_id, s.name): s for s in
                 Site.objects.filter(village_id__in=village_ids, name__in={r["site"] for r in rows if r.get("site")})}  # fmt: skip
        existing = {
            (a.village_id, a.site_id, a.date, a.channel, a.client_key): a
            for a in Activity.objects.filter(village_id__in=village_ids, date__in={r["date"] for r in rows},
                                             client_key__in={r.get("client_key", "") for r in rows})
        }
        campaigns = list(Campaign.objects.select_related("scope"))  # a handful per county
        # Liaisons hold their one site, not its village: they may import that site's activities only.
        own_sites = set(user_scope(actor, self.import_permission).site_ids) if actor is not None else set()
        area_allowed = set(villages.allowed)
        villages.allowed |= {s.village_id for s in sites.values() if s.pk in own_sites}
        return {"villages": villages, "sites": sites, "existing": existing, "campaigns": campaigns,
                "own_sites": own_sites, "area_allowed": area_allowed}  # fmt: skip

    def find_campaign(self, values, village, campaigns, cache=None) -> Campaign:
        """The campaign a row belongs to; `cache` keeps the answer per (village, name, date) for a chunk."""
        name, day = values.get("campaign", ""), values["date"]
        key = (village.pk, name, day)
        found = cache.get(key) if cache is not None else None
        if found is None:
            found = self._campaign_or_problem(name, day, village, campaigns)
            if cache is not None:
                cache[key] = found
        if isinstance(found, RowError):
            raise RowError(found.problems)
        if found.is_closed:
            raise RowError([("campaign", f"第 {values['_row']} 行:“{found.name}”{LOCKED}")])
        return found

    @staticmethod
    def _campaign_or_problem(name, day, village, campaigns):
        inside = [c for c in campaigns if village.code.startswith(c.scope.prefix)]
        if name:
            found = [c for c in inside if c.name == name]
            if not found:
                return RowError([("campaign", f"“{village.name}”不在名为“{name}”的创建活动范围内,请核对活动名称。")])
        else:
            found = [c for c in inside if c.contains(day) and c.status != Campaign.Status.DRAFT] or [
                c for c in inside if c.contains(day)]  # fmt: skip
            if not found:
                return RowError([("date", f"{day:%Y年%-m月%-d日}没有覆盖“{village.name}”的创建活动,请核对日期。")])
            if len(found) > 1:
                return RowError([("campaign", "该日期有多个创建活动,请填写“创建活动”名称:" + "、".join(c.name for c in found))])
        return found[0]

    def plan(self, values, ctx, actor):
        village = ctx["villages"].find(values)
        site = None
        if values.get("site"):
            site = ctx["sites"].get((village.pk, values["site"]))
            if site is None:
                raise RowError([("site", f"“{village.name}”内没有名为“{values['site']}”的创建单位。")])
        if village.pk not in ctx["area_allowed"] and getattr(site, "pk", None) not in ctx["own_sites"]:
            raise RowError([("site", "您只能导入您负责的创建单位的活动,请在“创建单位”列填写其名称。")])
        campaign = None  # an unreadable date (already reported): the row's other cells are still checked
        if values["date"] is not None:
            campaign = self.find_campaign(values, village, ctx["campaigns"], ctx.setdefault("campaign_for", {}))
        key = (village.pk, getattr(site, "pk", None), values["date"], values["channel"], values.get("client_key", ""))
        current = ctx["existing"].get(key)
        fields = {}
        for name in FIELDS:
            if name in values:
                value = values[name]
                if name in ZERO_IF_EMPTY:
                    value = value or 0
                elif name == "post_links":
                    value = "\n".join(value.split())
                fields[name] = value
        if current is None:
            activity = Activity(campaign=campaign, village=village, site=site, **fields)
        else:
            activity = detached(current)
            activity.campaign, activity.village, activity.site = campaign, village, site
            for name, value in fields.items():
                setattr(activity, name, value)
        problems = _clean(activity)
        if problems:
            raise RowError(problems)
        def label():
            channel = CHANNEL_LABELS.get(activity.channel, activity.channel)
            return f"{site or village} · {activity.date:%Y-%m-%d} · {channel}"

        if current is None:
            return Planned(values["_row"], "create", label, activity)
        changed = current.campaign_id != campaign.pk or any(getattr(activity, f) != getattr(current, f) for f in FIELDS)
        return Planned(values["_row"], "update" if changed else "unchanged", label, activity)

    def save(self, *, actor, planned):
        try:
            activity_record(actor=actor, activity=planned.obj)
        except ValidationError as exc:
            exc.row = planned.row  # the engine names the row in its "nothing written" message
            raise

    def save_batch(self, *, actor, planned):
        """The engine's fast path: a chunk of rows in a fixed number of queries, same rules as `save`."""
        try:
            activity_bulk_record(actor=actor, activities=[p.obj for p in planned], cleaned=True)  # plan() ran it
        except ValidationError as exc:
            rows = {id(p.obj): p.row for p in planned}
            exc.row = rows.get(id(getattr(exc, "activity", None)))
            raise

    def export_rows(self, user, params):
        queryset = ActivityFilter(params, queryset=Activity.objects.visible_to(user), user=user).qs
        channels = dict(Channel.choices)
        names = [EXPORT_PATHS.get(c.field, c.field) for c in self.columns]
        at = {c.field: i for i, c in enumerate(self.columns)}
        order = {"date": ("date", "pk"), "-created_at": ("-created_at", "-pk")}.get(params.get("sort"), ("-date", "-pk"))
        for row in queryset.order_by(*order).values_list(*names).iterator(chunk_size=2000):
            row = list(row)
            row[at["channel"]] = channels.get(row[at["channel"]], row[at["channel"]])
            row[at["site"]] = row[at["site"]] or ""
            row[at["post_links"]] = " ".join((row[at["post_links"]] or "").split())
            yield row


registry.register(ActivityLedger())
