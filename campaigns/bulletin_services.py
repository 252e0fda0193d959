"""Writes of fraud-method bulletins (N3.4, N3.5): publish with targeting, acknowledge, remind."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sites.models import Area, Membership, Site
from sites.roles import Role
from wuzha.lib.uploads import check_document

from .bulletins import SiteFacts, TargetRule, target_site_ids
from .models import Bulletin, BulletinImage, BulletinReceipt
from .photos import inspect_upload
from .services import require_covers

def check_attachment(upload) -> None:
    """The attachment goes through the document path (checked by content; wuzha/lib/uploads.py)."""
    if upload is not None:
        check_document(upload, "附件")


def site_facts(area: Area) -> list[SiteFacts]:
    rows = Site.objects.filter(village__code__startswith=area.prefix).values_list(
        "pk", "kind", "village__code", "new_hires_this_year", "is_active"
    )
    return [SiteFacts(*row) for row in rows]


def bulletin_rule(bulletin: Bulletin) -> TargetRule:
    return TargetRule(bulletin.area.prefix, frozenset(bulletin.site_kinds or ()), bulletin.min_new_hires)


@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin, images=(), is_demo=False) -> Bulletin:
    """Publish a bulletin in the actor's area and create one receipt per targeted site (and village)."""
    require_covers(actor, "campaigns.add_bulletin", village_code=bulletin.area.code, what="该范围")
    if bulletin.area.level not in (Area.Level.COUNTY, Area.Level.TOWN):
        raise ValidationError({"area": "请选择县或镇(街道)作为发布范围。"})
    check_attachment(bulletin.attachment.file if bulletin.attachment and not bulletin.pk else None)
    checked = [(upload, inspect_upload(upload)) for upload in images]
    bulletin.created_by = bulletin.created_by or actor
    bulletin.is_demo = is_demo or bulletin.is_demo
    bulletin.full_clean()
    bulletin.save()
    for upload, info in checked:
        img = BulletinImage(bulletin=bulletin)
        img.image.save(f"image.{info.extension}", ContentFile(info.content), save=False)
        img.thumbnail.save("thumb.jpg", ContentFile(info.thumbnail), save=False)
        img.save()
    ids = target_site_ids(bulletin_rule(bulletin), site_facts(bulletin.area))
    villages = dict(Site.objects.filter(pk__in=ids).values_list("pk", "village_id"))
    receipts = [BulletinReceipt(bulletin=bulletin, site_id=pk, village_id=villages[pk]) for pk in ids]
    if bulletin.to_village_cadres:
        area_ids = Area.objects.filter(level=Area.Level.VILLAGE, code__startswith=bulletin.area.prefix)
        receipts += [BulletinReceipt(bulletin=bulletin, village_id=pk) for pk in area_ids.values_list("pk", flat=True)]
    BulletinReceipt.objects.bulk_create(receipts, ignore_conflicts=True)
    return bulletin


@transaction.atomic
def receipt_acknowledge(*, actor, receipt: BulletinReceipt, channel: str, people_reached: int | None,
                        evidence=None, note: str = "") -> BulletinReceipt:  # fmt: skip
    """Confirm how a bulletin was passed on; a second confirmation corrects the first."""
    receipt = BulletinReceipt.objects.select_for_update(of=("self",)).select_related("village").order_by().get(pk=receipt.pk)
    require_covers(actor, "campaigns.change_bulletinreceipt", village_code=receipt.village.code,
                   site_id=receipt.site_id, what="该单位")  # fmt: skip
    if not channel:
        raise ValidationError({"channel": "请选择传达方式。"})
    receipt.channel, receipt.people_reached, receipt.note = channel, people_reached, note
    if evidence:
        info = inspect_upload(evidence)
        receipt.evidence.save(f"evidence.{info.extension}", ContentFile(info.content), save=False)
    receipt.acknowledged_at = receipt.acknowledged_at or timezone.now()
    receipt.acknowledged_by = actor
    receipt.full_clean()
    receipt.save()
    return receipt


def receipt_recipients(receipt: BulletinReceipt) -> list:
    """Users who should acknowledge: the site's liaisons, and the village's cadres."""
    q = Q(role=Role.CADRE, area_id=receipt.village_id)
    if receipt.site_id:
        q |= Q(role=Role.LIAISON, site_id=receipt.site_id)
    ids = Membership.objects.filter(q).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def overdue_receipts(today: dt.date):
    """Unacknowledged receipts past their bulletin's due date (the due days are per bulletin)."""
    pending = BulletinReceipt.objects.pending().select_related("bulletin", "site", "village")
    return [r for r in pending if r.overdue_on(today)]


def bulletin_remind_overdue(*, today: dt.date | None = None) -> int:
    """Flag overdue receipts and mail their recipients once. Idempotent: a flagged receipt is skipped."""
    today = today or timezone.localdate()
    sent = 0
    for receipt in overdue_receipts(today):
        with transaction.atomic():
            locked = (BulletinReceipt.objects.select_for_update(of=("self",)).order_by()
                      .filter(pk=receipt.pk, reminded_at__isnull=True, acknowledged_at__isnull=True).first())  # fmt: skip
            if locked is None:
                continue
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at"])
            emails = [u.email for u in receipt_recipients(receipt) if u.email]
            if emails:
                send_mail(
                    f"【催办】请确认预警通报“{receipt.bulletin.title}”的传达情况",
                    f"{receipt.addressee}:预警通报“{receipt.bulletin.title}”已超过确认期限"
                    f"({receipt.bulletin.due_on:%Y年%m月%d日}),请登录无诈创建平台,在首页确认传达方式和人数。",
                    None, emails,
                )  # fmt: skip
            sent += 1
    return sent
