"""Which enrolment status changes exist and which roles may make them: the one table (pure)."""
from sites.roles import Role

APPLIED, BUILDING, AWAITING, NAMED, FAILED = "applied", "building", "awaiting", "named", "failed"

# (from, to) -> roles allowed to make the change. Nothing else moves an enrolment.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (APPLIED, BUILDING): frozenset({Role.STAFF}),  # the town accepts the application
    (BUILDING, AWAITING): frozenset({Role.STAFF, Role.CADRE, Role.LIAISON}),  # the site asks for acceptance
    (AWAITING, BUILDING): frozenset({Role.STAFF}),  # sent back for more work
    (AWAITING, NAMED): frozenset({Role.STAFF}),  # 命名
    (AWAITING, FAILED): frozenset({Role.STAFF}),
    (FAILED, BUILDING): frozenset({Role.STAFF}),  # another try within the campaign
}


def allowed_targets(current: str, roles: set[str], *, superuser: bool = False) -> list[str]:
    return [to for (frm, to), who in TRANSITIONS.items() if frm == current and (superuser or who & roles)]


def may_move(current: str, target: str, roles: set[str], *, superuser: bool = False) -> bool:
    return target in allowed_targets(current, roles, superuser=superuser)
