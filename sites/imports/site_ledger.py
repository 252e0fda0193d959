"""The creation-site ledger (创建单位台账): upsert by village + name, saved through `sites.services.site_save`."""
from django.core.exceptions import ValidationError

from ..filters import SiteFilter
from ..models import Site
from ..services import site_bulk_save, site_save
from .base import Column, Ledger, Planned, RowError, registry
from .villages import VillageLookup

# Model fields filled from the sheet, in column order (the village is resolved separately).
SITE_FIELDS = (
    "name", "kind", "address", "contact_name", "contact_phone", "households", "residents", "residents_16_60", "school_level",
    "teachers", "students", "employees", "new_hires_this_year", "latitude", "longitude",
)  # fmt: skip


# Fields the sheet never sets: validating them per row only costs time (the village is resolved in bulk).
NOT_FROM_SHEET = ["id", "village", "is_active", "is_demo", "created_at", "updated_at"]


class SiteLedger(Ledger):
    key = "sites"
    title = "创建单位"
    import_permission = "sites.add_site"
    export_permission = "sites.view_site"
    natural_key = ("town", "village", "name")
    columns = (
        Column("town", "镇/街道", help="村/社区重名时用于区分,可不填。", example="东桥镇", aliases=("乡镇", "镇街")),
        Column("village", "所属村/社区", required=True, help="填写村/社区全称或 12 位区划代码。", example="东桥村",
               aliases=("村/社区", "村居", "村(社区)")),  # fmt: skip
        Column("name", "名称", required=True, max_length=100, help="同一村/社区内名称唯一;已有的单位按名称更新。",
               example="东桥幸福小区", aliases=("单位名称", "创建单位")),  # fmt: skip
        Column("kind", "类型", kind="choice", required=True, choices=tuple(Site.Kind.choices), example="小区"),
        Column("address", "地址", max_length=200, example="东桥村幸福路 1 号"),
        Column("contact_name", "联系人", max_length=30, example="张三"),
        Column("contact_phone", "联系电话", kind="phone", help="11 位手机号或带区号的固定电话。", example="13800000000",
               aliases=("手机号", "电话")),  # fmt: skip
        Column("households", "户数", kind="int", help="村居、小区填写。", example=320),
        Column("residents", "常住人口", kind="int", help="村居、小区填写。", example=960),
        Column("residents_16_60", "16–60岁常住人口", kind="int", example=620,
               help="村居、小区填写;创建活动按16–60岁常住人口计算APP安装率时必填。",
               aliases=("16-60岁常住人口", "16至60周岁人口", "16至60岁常住人口")),  # fmt: skip
        Column("school_level", "学段", kind="choice", choices=tuple(Site.SchoolLevel.choices), help="校园必填。"),
        Column("teachers", "教职工数", kind="int", help="校园填写。"),
        Column("students", "在校学生数", kind="int", help="校园填写。"),
        Column("employees", "员工数", kind="int", help="企业填写。"),
        Column("new_hires_this_year", "本年新招员工数", kind="int", help="企业填写。"),
        Column("latitude", "纬度", kind="decimal", help="可不填,如 24.987654。"),
        Column("longitude", "经度", kind="decimal", help="可不填,如 118.812345。"),
    )
    instructions = (
        "每行一个创建单位。按“所属村/社区 + 名称”识别:已有的单位会被更新,没有的会新增。",
        "只能导入您负责的村/社区;任何一行有错,整个文件都不会写入,请按检查结果改正后重新上传。",
        "与类型无关的规模字段会被忽略(如企业的户数)。",
    )

    def prepare(self, rows, actor):
        villages = VillageLookup(rows, actor, "sites.add_site")
        village_ids = [v.pk for v in villages.by_code.values()]
        names = {r["name"] for r in rows}
        existing = {
            (s.village_id, s.name): s for s in Site.objects.filter(village_id__in=village_ids, name__in=names)
        }
        editable = set(
            Site.objects.editable_by(actor).filter(pk__in=[s.pk for s in existing.values()]).values_list("pk", flat=True)
        ) if actor is not None else {s.pk for s in existing.values()}  # fmt: skip
        return {"villages": villages, "existing": existing, "editable": editable}

    def plan(self, values, ctx, actor):
        village = ctx["villages"].find(values)
        current = ctx["existing"].get((village.pk, values["name"]))
        if current is not None and current.pk not in ctx["editable"]:
            raise RowError([("name", "您无权修改该创建单位。")])
        if current is None:
            site = Site(village=village)
        else:  # a detached copy, so `current` keeps the stored values to compare with
            names = [f.attname for f in Site._meta.concrete_fields]
            site = Site.from_db(current._state.db, names, [getattr(current, n) for n in names])
        site.village = village
        for name in SITE_FIELDS:
            value = values.get(name)
            if name in values:
                setattr(site, name, "" if value is None and name in ("school_level",) else value)
        try:
            site.full_clean(exclude=NOT_FROM_SHEET, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems = []
            for fname, messages in exc.message_dict.items():
                column = fname if fname in SITE_FIELDS else None
                problems += [(column, m) for m in messages]
            raise RowError(problems) from None
        label = f"{village.name} · {site.name}"
        if current is None:
            return Planned(values["_row"], "create", label, site)
        changed = any(getattr(site, f) != getattr(current, f) for f in SITE_FIELDS)
        return Planned(values["_row"], "update" if changed else "unchanged", label, site)

    def save(self, *, actor, planned):
        site_save(actor=actor, site=planned.obj)

    def save_batch(self, *, actor, planned):
        """The engine's fast path: one chunk of rows in a handful of queries, same rules as `site_save`."""
        site_bulk_save(actor=actor, sites=[p.obj for p in planned], cleaned=True)  # plan() ran full_clean

    def export_rows(self, user, params):
        queryset = Site.objects.visible_to(user).select_related(None)
        queryset = SiteFilter(params, queryset=queryset, user=user).qs.order_by("village__code", "name")
        kinds, levels = dict(Site.Kind.choices), dict(Site.SchoolLevel.choices)
        fields = ("village__parent__name", "village__name", *SITE_FIELDS)
        kind_at, level_at = fields.index("kind"), fields.index("school_level")
        for row in queryset.values_list(*fields).iterator(chunk_size=2000):
            row = list(row)
            row[kind_at] = kinds.get(row[kind_at], row[kind_at])
            row[level_at] = levels.get(row[level_at], row[level_at])
            yield row


registry.register(SiteLedger())
