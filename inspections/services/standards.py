"""Standards: save, replace the item list, copy as a new version. A frozen version never changes.

The freeze itself counts every submitted result; what a user is *told* about it counts only the results they may
know of: a sealed plan's inspections exist for its insiders alone (a cadre must not learn from a 已冻结 badge that
a 暗访 result was just submitted in their village).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ..models import Inspection, Standard, StandardItem
from ..models.plan import insider_q, sealed_q
from .common import require_area_perm

FROZEN_MESSAGE = "该版本已有提交的检查结果,已冻结;请“另存为新版本”后再修改。"
# For someone outside the seal the reason stays unsaid: the same refusal a busy version gets, no results named.
LOCKED_MESSAGE = "该版本暂不能修改;请“另存为新版本”后再修改。"


def submitted_known_to(user):
    """Submitted results as `user` may know of them: a sealed plan's count only for its insiders."""
    known = ~sealed_q("plan__") | insider_q(user, area_code="site__village__code", plan="plan__")
    if getattr(user, "is_authenticated", False):
        known |= Q(inspector=user)
    return Inspection.objects.filter(submitted_at__isnull=False).filter(known)


def standard_frozen_for(user, standard: Standard) -> bool:
    """The freeze as shown to `user` (badge, edit buttons): sealed plans' results count for insiders only."""
    return submitted_known_to(user).filter(standard=standard).exists()


def _refuse_if_frozen(actor, standard: Standard) -> None:
    if standard.is_frozen:
        known = actor is None or standard_frozen_for(actor, standard)  # None: the system itself (tasks, the demo)
        raise ValidationError(FROZEN_MESSAGE if known else LOCKED_MESSAGE)


def _check(actor, standard: Standard, perm: str) -> None:
    require_area_perm(actor, perm, standard.campaign.scope)


@transaction.atomic
def standard_save(*, actor, standard: Standard) -> Standard:
    """Create or update a standard's header (name, kind, gates). Frozen versions refuse changes."""
    _check(actor, standard, "inspections.change_standard" if standard.pk else "inspections.add_standard")
    if standard.pk:
        _refuse_if_frozen(actor, Standard.objects.get(pk=standard.pk))
    if not standard.pk:
        latest = Standard.objects.current_for(standard.campaign, standard.site_kind)
        standard.version = (latest.version + 1) if latest else 1
    standard.full_clean()
    standard.save()
    return standard


@transaction.atomic
def standard_set_items(*, actor, standard: Standard, items: list[StandardItem]) -> list[StandardItem]:
    """Replace the whole item list of a standard (all or nothing)."""
    _check(actor, standard, "inspections.change_standard")
    _refuse_if_frozen(actor, standard)
    errors = []
    for n, item in enumerate(items, start=1):
        item.standard = standard
        item.order = n
        try:
            item.full_clean(exclude=["standard"])
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                label = StandardItem._meta.get_field(field).verbose_name if field != "__all__" else "本行"
                errors += [f"第{n}项「{label}」:{m}" for m in msgs]
    if errors:
        raise ValidationError(errors)
    standard.items.all().delete()
    return StandardItem.objects.bulk_create(items)


@transaction.atomic
def standard_copy_as_new_version(*, actor, standard: Standard) -> Standard:
    _check(actor, standard, "inspections.add_standard")
    items = list(standard.items.all())
    new = Standard(
        campaign=standard.campaign, site_kind=standard.site_kind, name=standard.name,
        gates=standard.gates, note=standard.note, is_demo=standard.is_demo,
    )  # fmt: skip
    new = standard_save(actor=actor, standard=new)
    for item in items:
        item.pk = None
        item.standard = new
    StandardItem.objects.bulk_create(items)
    return new
