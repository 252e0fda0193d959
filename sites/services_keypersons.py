"""Writes to key-person files, persons abroad and the access log. Views, the admin and the seed call these.

Preconditions common to all: the actor's roles grant the write in the person's village (else a
ValidationError naming the village field); system writes (the demo seed) pass actor=None.
"""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wuzha.lib.crypto import keyed_hash

from .idcard import mask_id, mask_phone
from .models import AbroadCase, AccessLog, Area, KeyPerson, Measure, PersuasionAttempt, Relative

CONFLICT = "保存失败:该档案已被他人修改(您打开后有新的保存)。请刷新页面,核对最新内容后重新填写。"


def _check_village(*, actor, village_id, perm: str) -> None:
    if actor is None:
        return
    if not Area.objects.where_user_may(actor, perm).filter(pk=village_id).exists():
        raise ValidationError({"village": "您无权在该村/社区登记或修改重点人员档案。"})


def _check_person(*, actor, person: KeyPerson) -> None:
    _check_village(actor=actor, village_id=person.village_id, perm="sites.change_keyperson")
    if person.annulled_at:
        raise ValidationError("该档案已作废,不能再修改。")


@transaction.atomic
def keyperson_save(*, actor, person: KeyPerson, expected_version: int | None = None) -> KeyPerson:
    """Create or update a file. For an update, `expected_version` is the version the editor loaded;
    if someone saved in between, the save is refused (optimistic concurrency), never overwritten."""
    if person.pk:
        before = KeyPerson.objects.select_for_update().get(pk=person.pk)
        _check_person(actor=actor, person=before)
        if expected_version is not None and before.version != expected_version:
            raise ValidationError(CONFLICT, code="conflict")
        person.version = before.version + 1
    else:
        person.version = 1
    perm = "sites.change_keyperson" if person.pk else "sites.add_keyperson"
    _check_village(actor=actor, village_id=person.village_id, perm=perm)
    person.id_number = (person.id_number or "").strip().upper()
    person.refresh_hashes()
    twin = KeyPerson.objects.current().filter(village_id=person.village_id, id_number_hash=person.id_number_hash)
    if twin.exclude(pk=person.pk).exists():
        raise ValidationError({"id_number": "本村/社区已有此公民身份号码的档案,请勿重复建档。"})
    person.full_clean()
    person.save()
    return person


@dataclass(frozen=True)
class Duplicate:
    town: str
    village: str
    status: str


def keyperson_duplicates(*, person: KeyPerson) -> list[Duplicate]:
    """Files with the same ID number in OTHER villages, found by the keyed hash (nothing is decrypted).
    Only where they are is revealed, so the two villages can coordinate."""
    rows = (
        KeyPerson.objects.current()
        .filter(id_number_hash=keyed_hash(person.id_number))
        .exclude(village_id=person.village_id)
        .select_related("village__parent")
    )
    return [Duplicate(r.village.parent.name, r.village.name, r.get_status_display()) for r in rows]


@transaction.atomic
def keyperson_close(*, actor, person: KeyPerson, reason: str) -> KeyPerson:
    """Close a file (注销), e.g. the person died or moved away for good; the file stays readable."""
    _check_person(actor=actor, person=person)
    if not reason.strip():
        raise ValidationError({"reason": "请填写注销原因。"})
    person.status, person.close_reason = KeyPerson.Status.CLOSED, reason.strip()
    person.version += 1
    person.save(update_fields=["status", "close_reason", "version", "updated_at"])
    return person


@transaction.atomic
def keyperson_annul(*, actor, person: KeyPerson, reason: str) -> KeyPerson:
    """Annul a file entered in error (作废): it leaves the lists but is kept with its reason."""
    _check_person(actor=actor, person=person)
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因。"})
    person.annulled_at, person.annul_reason = timezone.now(), reason.strip()
    person.version += 1
    person.save(update_fields=["annulled_at", "annul_reason", "version", "updated_at"])
    return person


@transaction.atomic
def relative_save(*, actor, relative: Relative) -> Relative:
    _check_person(actor=actor, person=relative.person)
    relative.full_clean()
    relative.save()
    return relative


@transaction.atomic
def measure_record(*, actor, measure: Measure) -> Measure:
    """Log a measure; the file's next follow-up date becomes that of its latest measure."""
    person = KeyPerson.objects.select_for_update().get(pk=measure.person_id)
    _check_person(actor=actor, person=person)
    measure.full_clean()
    measure.save()
    latest = Measure.objects.filter(person=person).order_by("-done_on", "-pk").first()
    person.next_followup_on = latest.next_due_on
    person.save(update_fields=["next_followup_on", "updated_at"])
    return measure


@transaction.atomic
def abroad_case_save(*, actor, case: AbroadCase) -> AbroadCase:
    _check_person(actor=actor, person=case.person)
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def attempt_record(*, actor, attempt: PersuasionAttempt) -> PersuasionAttempt:
    """Record a persuasion attempt; the case moves to the attempt's stage. A return closes the loop:
    the return date is the attempt's date and the person's status becomes 已劝返."""
    case = AbroadCase.objects.select_for_update().select_related("person").get(pk=attempt.case_id)
    _check_person(actor=actor, person=case.person)
    attempt.full_clean()
    attempt.save()
    case.stage = attempt.stage_after
    if case.stage == AbroadCase.Stage.RETURNED:
        case.returned_on = case.returned_on or attempt.done_on
        case.person.status = KeyPerson.Status.RETURNED
        case.person.version += 1
        case.person.save(update_fields=["status", "version", "updated_at"])
    case.full_clean()
    case.save()
    return attempt


@dataclass(frozen=True)
class FullPii:
    id_number: str
    phone: str
    phone_alt: str
    relatives: list[tuple[str, str, str]]


def _log(*, actor, person, action, reason, ip) -> None:
    AccessLog.objects.create(
        user=actor, person=person, action=action, reason=reason, ip=ip or None, village_code=person.village.code
    )


@transaction.atomic
def pii_full_view(*, actor, person: KeyPerson, reason: str, ip: str | None) -> FullPii:
    """The one way to read a full ID number or phone: needs the dedicated permission, a person inside
    the actor's scope and a typed reason, and always writes an access-log row first."""
    if not actor.has_perm("sites.view_full_pii"):
        raise PermissionDenied("您没有查看完整个人信息的权限。")
    if not KeyPerson.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请填写查看理由(至少 4 个字),该理由将记入访问日志。"})
    _log(actor=actor, person=person, action=AccessLog.Action.FULL_VIEW, reason=reason.strip(), ip=ip)
    return FullPii(
        id_number=person.id_number,
        phone=person.phone,
        phone_alt=person.phone_alt,
        relatives=[(r.relation, r.name, r.phone) for r in person.relatives.all()],
    )


EXPORT_HEADER = ["姓名", "性别", "公民身份号码(脱敏)", "手机号码(脱敏)", "村/社区", "人员类别", "风险等级", "管控状态",
                 "责任干部", "责任民警", "下次跟进日期"]  # fmt: skip


@transaction.atomic
def keyperson_export_log(*, actor, persons: list[KeyPerson], reason: str, ip: str | None, full: bool = False) -> None:
    """Every export of key persons (the masked CSV, the Excel ledger) logs one row per exported file first.
    A full (unmasked) export also needs sites.view_full_pii; its log rows say so in the reason."""
    if not actor.has_perm("sites.export_keyperson"):
        raise PermissionDenied("您没有导出重点人员名单的权限。")
    if full and not actor.has_perm("sites.view_full_pii"):
        raise PermissionDenied("您没有查看完整个人信息的权限,只能导出脱敏名单。")
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请填写导出用途(至少 4 个字),该理由将记入访问日志。"})
    reason = ("【完整导出】" if full else "") + reason.strip()
    AccessLog.objects.bulk_create(
        AccessLog(user=actor, person=p, action=AccessLog.Action.EXPORT, reason=reason[:200], ip=ip or None,
                  village_code=p.village.code)  # fmt: skip
        for p in persons
    )


@transaction.atomic
def keyperson_export(*, actor, persons, reason: str, ip: str | None) -> list[list[str]]:
    """Masked rows of the given (already scoped) files; one access-log row per exported file."""
    persons = list(persons)
    keyperson_export_log(actor=actor, persons=persons, reason=reason, ip=ip)
    return [
        [p.name, p.get_gender_display(), mask_id(p.id_number), mask_phone(p.phone), p.village.name,
         p.get_category_display(), p.get_risk_level_display(), p.get_status_display(),
         p.cadre.get_full_name() if p.cadre else "", p.police_officer,
         f"{p.next_followup_on:%Y年%-m月%-d日}" if p.next_followup_on else ""]  # fmt: skip
        for p in persons
    ]
