"""The village-users ledger (村级用户): cadres on a village, liaisons on a site; upsert by user name."""
import re

from django.contrib.auth import get_user_model
from django.db.models import Q

from ..account_services import village_user_save
from ..models import Membership, Site
from ..roles import Role
from ..scope import user_scope
from .base import Column, Ledger, Planned, RowError, registry
from .villages import VillageLookup

ROLE_CHOICES = ((Role.CADRE.value, Role.CADRE.label), (Role.LIAISON.value, Role.LIAISON.label))
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


class VillageUserLedger(Ledger):
    key = "village_users"
    title = "村级用户"
    import_permission = "sites.add_membership"
    export_permission = "sites.view_membership"
    natural_key = ("username", "role", "village", "site")
    columns = (
        Column("username", "用户名", required=True, max_length=150, help="登录用的名字:字母、数字或 _ . @ + -,至少 3 位。",
               example="cadre_dongqiao2", aliases=("登录名", "账号")),  # fmt: skip
        Column("full_name", "姓名", required=True, max_length=150, example="李四"),
        Column("role", "角色", kind="choice", required=True, choices=ROLE_CHOICES, example=Role.CADRE.label),
        Column("town", "镇/街道", help="村/社区重名时用于区分,可不填。", example="东桥镇"),
        Column("village", "所属村/社区", required=True, help="村/社区全称或 12 位区划代码。", example="东桥村",
               aliases=("村/社区",)),  # fmt: skip
        Column("site", "创建单位", help="联络员必填:该村/社区内创建单位的名称。", aliases=("单位",)),
        Column("email", "邮箱", max_length=254, help="可不填。"),
    )
    instructions = (
        "每行一个用户的一个角色。按“用户名”识别:已有的账号会更新姓名并增加角色,没有的会新建。",
        "新建的账号没有密码,请由镇综治办在后台为其设置初始密码。",
        "只能为您负责的村/社区授权;任何一行有错,整个文件都不会写入。",
    )

    def prepare(self, rows, actor):
        villages = VillageLookup(rows, actor, "sites.add_membership")
        village_ids = [v.pk for v in villages.by_code.values()]
        site_names = {r["site"] for r in rows if r.get("site")}
        sites = {(s.village_id, s.name): s for s in Site.objects.filter(village_id__in=village_ids, name__in=site_names)}
        users = {u.username: u for u in get_user_model().objects.filter(username__in={r["username"] for r in rows})}
        grants = set(
            Membership.objects.filter(user__in=users.values()).values_list("user__username", "role", "area_id", "site_id")
        )  # fmt: skip
        return {"villages": villages, "sites": sites, "users": users, "grants": grants}

    def plan(self, values, ctx, actor):
        problems = []
        if not USERNAME_RE.match(values["username"]):
            problems.append(("username", "用户名只能用字母、数字或 _ . @ + -,3 至 150 位。"))
        try:
            village = ctx["villages"].find(values)
        except RowError as exc:
            raise RowError(problems + exc.problems) from None
        site = None
        if values["role"] == Role.LIAISON:
            site = ctx["sites"].get((village.pk, values.get("site", "")))
            if site is None:
                problems.append(("site", f"联络员须填写“{village.name}”内已有的创建单位名称。"))
        elif values.get("site"):
            problems.append(("site", "村干部不填写创建单位。"))
        if problems:
            raise RowError(problems)
        user = ctx["users"].get(values["username"])
        area = None if site else village
        label = f"{values['username']}({values['full_name']})· {dict(ROLE_CHOICES)[values['role']]} · {site or village}"
        plan = Planned(values["_row"], "create", label, extra={**values, "area": area, "site": site})
        if user is not None:
            granted = (user.username, values["role"], getattr(area, "pk", None), getattr(site, "pk", None)) in ctx["grants"]
            same = user.first_name == values["full_name"] and user.email == values.get("email", "")
            plan.action = "unchanged" if granted and same else "update"
        return plan

    def save(self, *, actor, planned):
        v = planned.extra
        village_user_save(actor=actor, username=v["username"], full_name=v["full_name"], role=v["role"],
                          email=v.get("email", ""), area=v["area"], site=v["site"])  # fmt: skip

    def export_rows(self, user, params):
        scope = user_scope(user, self.export_permission)
        q = scope.q(area_code="area__code") | scope.q(area_code="site__village__code")
        rows = (
            Membership.objects.filter(q, role__in=[r for r, _ in ROLE_CHOICES])
            .order_by("user__username", "role")
            .values_list("user__username", "user__first_name", "role", "area__parent__name", "area__name",
                         "site__village__parent__name", "site__village__name", "site__name", "user__email")  # fmt: skip
        )
        roles = dict(ROLE_CHOICES)
        for name, full, role, town, village, s_town, s_village, site, email in rows.iterator(chunk_size=2000):
            yield [name, full, roles[role], town or s_town, village or s_village, site or "", email]


registry.register(VillageUserLedger())
