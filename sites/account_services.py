"""Writes to village users' accounts (cadres and liaisons): create or update a user and grant the role."""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Area, Membership, Site
from .roles import Role
from .services import membership_grant

VILLAGE_ROLES = (Role.CADRE, Role.LIAISON)


def _village_of(*, area: Area | None, site: Site | None) -> Area:
    return site.village if site is not None else area


@transaction.atomic
def village_user_save(*, actor, username: str, full_name: str, role: str, email: str = "",
                      area: Area | None = None, site: Site | None = None):  # fmt: skip
    """Create or update a cadre (on a village) or liaison (on a site) and grant the role.

    Preconditions checked here: the actor holds `sites.add_membership` for the village; an existing
    account may only be touched when all of its memberships lie where the actor may grant them and
    it is not a staff or superuser account. New accounts get no usable password: the town sets one.
    """
    if role not in VILLAGE_ROLES:
        raise ValidationError({"role": "只能导入村干部或创建单位联络员。"})
    village = _village_of(area=area, site=site)
    allowed = Area.objects.where_user_may(actor, "sites.add_membership") if actor is not None else Area.objects.all()
    if not allowed.filter(pk=village.pk).exists():
        raise ValidationError({"area": "您无权为该村/社区授权用户。"})
    User = get_user_model()
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_unusable_password()
    else:
        allowed_ids = set(allowed.values_list("pk", flat=True))
        grants = Membership.objects.filter(user=user).values_list("role", "area_id", "site__village_id")
        foreign = any(
            role not in VILLAGE_ROLES or (area_id or village_id) not in allowed_ids
            for role, area_id, village_id in grants
        )  # staff and inspector accounts, and any role outside the actor's villages, are not the actor's to touch
        if user.is_staff or user.is_superuser or foreign:
            raise ValidationError({"username": "该用户名已被其他辖区的账号使用,请换一个用户名。"})
    user.first_name = full_name
    user.email = email
    user.full_clean(exclude=["password"])
    user.save()
    membership_grant(user=user, role=role, area=None if role == Role.LIAISON else area, site=site)
    return user
