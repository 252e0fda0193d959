"""The key-person ledger (涉诈重点人员): upsert by village + the ID number's keyed hash, saved through
`sites.services_keypersons.keyperson_save`. Exports are masked unless the user holds sites.view_full_pii
and gives a reason; every export writes access-log rows (`keyperson_export_log`)."""
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import Q

from wuzha.lib.crypto import keyed_hash

from ..filters_keypersons import KeyPersonFilter
from ..idcard import mask_id
from ..masking import masked
from ..models import KeyPerson
from ..services_keypersons import keyperson_export_log, keyperson_save
from .base import Column, Ledger, Planned, RowError, registry
from .villages import VillageLookup

FIELDS = ("name", "gender", "id_number", "phone", "phone_alt", "household_address", "current_address", "category",
          "risk_level", "status", "police_officer", "notes")  # fmt: skip
CHOICES = ("gender", "category", "risk_level", "status")
NOT_FROM_SHEET = ["id", "village", "cadre", "close_reason", "is_demo", "created_at", "updated_at", "version",
                  "id_number_hash", "phone_hash", "next_followup_on", "annulled_at", "annul_reason"]  # fmt: skip


def detached(current):
    names = [f.attname for f in current._meta.concrete_fields]
    return type(current).from_db(current._state.db, names, [getattr(current, n) for n in names])


class KeyPersonLedger(Ledger):
    key = "keypersons"
    title = "涉诈重点人员"
    import_permission = "sites.add_keyperson"
    export_permission = "sites.export_keyperson"
    masked_model = "sites.keyperson"
    export_needs_reason = True  # the export view asks for a reason (and offers the full export to view_full_pii)
    natural_key = ("village", "id_number")
    columns = (
        Column("town", "镇/街道", help="村/社区重名时用于区分,可不填。", example="东桥镇"),
        Column("village", "所属村/社区", required=True, help="村/社区全称或 12 位区划代码。", example="东桥村",
               aliases=("村/社区",)),  # fmt: skip
        Column("name", "姓名", required=True, max_length=30, example="王五"),
        Column("gender", "性别", kind="choice", choices=tuple(KeyPerson.Gender.choices), help="可不填,按身份证号判断。"),
        Column("id_number", "公民身份号码", kind="id_number", required=True, sensitive=True,
               help="18 位,单元格须为文本格式;按身份证号识别同一人,已有档案会被更新。", example="350521199001011234",
               aliases=("身份证号", "身份证号码")),  # fmt: skip
        Column("phone", "手机号码", kind="phone", sensitive=True, example="13900000000", aliases=("手机号", "电话")),
        Column("phone_alt", "备用手机号", kind="phone", sensitive=True),
        Column("household_address", "户籍地址", required=True, max_length=200, example="东桥村 1 号"),
        Column("current_address", "现住地址", max_length=200),
        Column("category", "人员类别", kind="choice", required=True, choices=tuple(KeyPerson.Category.choices),
               example="涉诈前科"),  # fmt: skip
        Column("risk_level", "风险等级", kind="choice", choices=tuple(KeyPerson.Risk.choices), help="不填为“中”。"),
        Column("status", "管控状态", kind="choice", choices=tuple(KeyPerson.Status.choices),
               help="不填为“在管”;注销请在档案页办理(须填写原因)。"),
        Column("police_officer", "责任民警", max_length=30),
        Column("notes", "情况说明"),
    )
    instructions = (
        "每行一名重点人员。按“所属村/社区 + 公民身份号码”识别:已有的档案会被更新,没有的会新建。",
        "身份证号和电话属于个人信息:检查结果中只显示脱敏后的号码;同一身份证号已在其他村/社区建档的,检查结果会提示。",
        "只能导入您负责的村/社区;任何一行有错,整个文件都不会写入。",
    )

    def prepare(self, rows, actor):
        villages = VillageLookup(rows, actor, self.import_permission)
        hashes = {keyed_hash(r["id_number"]) for r in rows if r.get("id_number")}
        existing, elsewhere = {}, {}
        for person in KeyPerson.objects.current().filter(id_number_hash__in=hashes).select_related("village__parent"):
            existing[(person.village_id, person.id_number_hash)] = person
            elsewhere.setdefault(person.id_number_hash, []).append(person.village)
        return {"villages": villages, "existing": existing, "elsewhere": elsewhere}

    def plan(self, values, ctx, actor):
        village = ctx["villages"].find(values)
        digest = keyed_hash(values["id_number"])
        current = ctx["existing"].get((village.pk, digest))
        person = KeyPerson(village=village) if current is None else detached(current)
        for name in FIELDS:
            if name not in values:
                continue
            value = values[name]
            if name in CHOICES and not value:
                if current is not None or name == "gender":
                    continue  # an empty choice keeps what the file has (gender comes from the ID number)
                value = KeyPerson._meta.get_field(name).default
            setattr(person, name, value)
        try:
            exclude = NOT_FROM_SHEET + ([] if person.gender else ["gender"])  # clean() reads it from the ID number
            person.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise RowError([(f if f in FIELDS else None, m) for f, ms in exc.message_dict.items() for m in ms]) from None
        label = f"{village.name} · {person.name}({mask_id(person.id_number)})"
        others = [v for v in ctx["elsewhere"].get(digest, []) if v.pk != village.pk]
        if others:
            label += ";注意:该身份证号已在" + "、".join(f"{v.parent.name}{v.name}" for v in others) + "建档,请与其核实"
        if current is None:
            return Planned(values["_row"], "create", label, person, extra={"elsewhere": len(others)})
        changed = any(getattr(person, f) != getattr(current, f) for f in FIELDS)
        return Planned(values["_row"], "update" if changed else "unchanged", label, person)

    def save(self, *, actor, planned):
        keyperson_save(actor=actor, person=planned.obj)

    def export_rows(self, user, params, *, reason="", full=False, ip=None):
        """Rows of the files the user sees under the list's filters; logged first (raises if not allowed)."""
        queryset = KeyPerson.objects.visible_to(user).current().select_related("village__parent")
        if params.get("h"):  # the list's exact lookup by keyed hash
            queryset = queryset.filter(Q(id_number_hash=params["h"]) | Q(phone_hash=params["h"]))
        persons = KeyPersonFilter(params, queryset=queryset, user=user, request=SimpleNamespace(user=user))
        persons = persons.qs.order_by("village__code", "name", "pk")
        persons = list(persons)
        keyperson_export_log(actor=user, persons=persons, reason=reason, ip=ip, full=full)
        labels = {f: dict(KeyPerson._meta.get_field(f).choices) for f in CHOICES}

        def rows():
            for p in persons:
                ids = (p.id_number, p.phone, p.phone_alt) if full else (
                    masked(p, "id_number"), masked(p, "phone"), masked(p, "phone_alt"))  # fmt: skip
                yield [p.village.parent.name, p.village.name, p.name, labels["gender"].get(p.gender, ""), *ids,
                       p.household_address, p.current_address, labels["category"].get(p.category, ""),
                       labels["risk_level"].get(p.risk_level, ""), labels["status"].get(p.status, ""),
                       p.police_officer, p.notes]  # fmt: skip

        return rows()


registry.register(KeyPersonLedger())
