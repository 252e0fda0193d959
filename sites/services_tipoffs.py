"""Writes of public tip-offs (N5.3): anonymous submission, then assign, follow up, link and close by the
town staff of the tip's village; the audited full view of the reporter's contact."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wuzha.lib.photos import inspect_upload

from .idcard import validate_mobile
from .models import AccessLog, Area, Incident, Premises, Sweep, TipNote, TipOff, TipPhoto
from .scope import user_scope

MAX_PHOTOS = 4


@transaction.atomic
def tipoff_submit(*, kind: str, what: str, village: Area, site=None, address: str = "", happened_on=None,
                  contact_name: str = "", contact_phone: str = "", photos=(), is_demo=False) -> TipOff:  # fmt: skip
    """A resident's report; no account. Contact is optional (anonymous tips are welcome)."""
    if village is None or village.level != Area.Level.VILLAGE:
        raise ValidationError({"village": "请选择所在村(社区)。"})
    if site is not None and site.village_id != village.pk:
        raise ValidationError({"site": "所选小区/单位不在该村(社区)。"})
    if happened_on and happened_on > timezone.localdate():
        raise ValidationError({"happened_on": "发现日期不能晚于今天。"})
    contact_phone = "".join((contact_phone or "").split())
    validate_mobile(contact_phone)
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(f"最多上传 {MAX_PHOTOS} 张照片。")
    checked = [(p, inspect_upload(p)) for p in photos]
    tip = TipOff(kind=kind, what=what.strip(), village=village, site=site, address=address.strip(),
                 happened_on=happened_on, contact_name=contact_name.strip(), contact_phone=contact_phone,
                 is_demo=is_demo)  # fmt: skip
    tip.full_clean()
    tip.save()
    for upload, info in checked:
        photo = TipPhoto(tip=tip)
        photo.image.save(f"photo.{info.extension}", ContentFile(info.content), save=False)
        photo.thumbnail.save("thumb.jpg", ContentFile(info.thumbnail), save=False)
        photo.save()
    return tip


def _editable(actor, tip: TipOff) -> TipOff:
    locked = TipOff.objects.editable_by(actor).select_for_update().filter(pk=tip.pk).select_related("village").first()
    if locked is None:
        raise PermissionDenied
    return locked


def _staff_covering(user, village_code: str) -> bool:
    scope = user_scope(user, "sites.change_tipoff")
    return scope.everything or any(village_code.startswith(p) for p in scope.area_prefixes)


@transaction.atomic
def tipoff_assign(*, actor, tip: TipOff, assignee) -> TipOff:
    tip = _editable(actor, tip)
    if tip.status == TipOff.Status.CLOSED:
        raise ValidationError("线索已办结,不能再指派。")
    if not _staff_covering(assignee, tip.village.code):
        raise ValidationError({"assignee": "承办人须是该镇(街道)综治办的工作人员。"})
    tip.assignee, tip.status = assignee, TipOff.Status.ASSIGNED
    tip.save(update_fields=["assignee", "status"])
    TipNote.objects.create(tip=tip, author=actor, text=f"指派给 {assignee.get_full_name() or assignee.username}。")
    return tip


@transaction.atomic
def tipoff_note(*, actor, tip: TipOff, text: str) -> TipNote:
    tip = _editable(actor, tip)
    if not text.strip():
        raise ValidationError({"text": "请填写跟进情况。"})
    return TipNote.objects.create(tip=tip, author=actor, text=text.strip())


@transaction.atomic
def tipoff_link(*, actor, tip: TipOff, premises=None, sweep=None, incident=None) -> TipOff:
    """Link the tip to premises, a sweep or an incident the actor can see (same scope rules)."""
    tip = _editable(actor, tip)
    for model, obj in ((Premises, premises), (Sweep, sweep), (Incident, incident)):
        if obj is not None and not model.objects.visible_to(actor).filter(pk=obj.pk).exists():
            raise ValidationError(f"所选{model._meta.verbose_name}不在您的范围内。")
    tip.premises, tip.sweep, tip.incident = premises, sweep, incident
    tip.save(update_fields=["premises", "sweep", "incident"])
    return tip


@transaction.atomic
def tipoff_close(*, actor, tip: TipOff, outcome: str, note: str) -> TipOff:
    tip = _editable(actor, tip)
    if outcome not in TipOff.Outcome.values:
        raise ValidationError({"outcome": "请选择办理结果。"})
    if len(note.strip()) < 4:
        raise ValidationError({"note": "请写明核查处置情况(至少 4 个字)。"})
    tip.status, tip.outcome, tip.closed_at = TipOff.Status.CLOSED, outcome, timezone.now()
    tip.save(update_fields=["status", "outcome", "closed_at"])
    TipNote.objects.create(tip=tip, author=actor, text=f"办结:{tip.get_outcome_display()}。{note.strip()}")
    return tip


@transaction.atomic
def tipoff_contact_full_view(*, actor, tip: TipOff, reason: str, ip: str | None) -> tuple[str, str]:
    """The reporter's full name and phone: the dedicated permission, the tip in scope, a reason; always logged."""
    if not actor.has_perm("sites.view_full_pii"):
        raise PermissionDenied("您没有查看完整个人信息的权限。")
    tip = TipOff.objects.visible_to(actor).select_related("village").filter(pk=tip.pk).first()
    if tip is None:
        raise PermissionDenied
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请填写查看理由(至少 4 个字),该理由将记入访问日志。"})
    AccessLog.objects.create(user=actor, tipoff=tip, action=AccessLog.Action.FULL_VIEW, reason=reason.strip(),
                             ip=ip or None, village_code=tip.village.code)  # fmt: skip
    return tip.contact_name, tip.contact_phone
