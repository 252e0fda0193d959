"""Writes of the campaigns app. Views, the admin, the demo and tasks call these; each checks scope and lock."""
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sites.models import Area, Site
from sites.scope import user_scope

from . import enrolment_flow, evidence
from .models import Activity, ActivityPhoto, Campaign, CampaignStatusChange, Enrolment, EnrolmentChange
from .photos import DUPLICATE_BITS, bands, hamming, inspect_upload
from .signals import activities_bulk_saved

LOCKED = "该创建活动已结束,记录已锁定;如需修改,请联系镇综治办重新开启活动。"


def ensure_open(campaign: Campaign) -> None:
    """Closed campaigns lock their records (N2)."""
    if campaign.is_closed:
        raise ValidationError(LOCKED)


def covers(actor, perm: str, *, village_code: str, site_id: int | None = None) -> bool:
    """Does one of the actor's memberships granting `perm` reach this village (or this one site)?"""
    if actor is None:  # system writes (demo, imports) carry no actor
        return True
    scope = user_scope(actor, perm)
    if scope.everything or any(village_code.startswith(p) for p in scope.area_prefixes):
        return True
    return bool(site_id and site_id in scope.site_ids)


def roles_over(actor, perm: str, site: Site) -> set[str]:
    """The actor's roles (holding `perm`) whose part of the tree contains the site."""
    scope = user_scope(actor, perm)
    code = site.village.code
    return {g.role for g in scope.grants if (g.area_prefix and code.startswith(g.area_prefix)) or g.site_id == site.pk}


def require_covers(actor, perm: str, *, village_code: str, site_id: int | None = None, what="该村/社区") -> None:
    if not covers(actor, perm, village_code=village_code, site_id=site_id):
        raise ValidationError(f"您无权为{what}登记或修改记录,请选择您负责的范围。")


# Campaigns ------------------------------------------------------------------------------------------


@transaction.atomic
def campaign_save(*, actor, campaign: Campaign) -> Campaign:
    """Create or update a campaign; its scope must lie inside the actor's part of the tree (town staff set
    up their town's campaign, county staff the county's). A closed campaign is locked.
    """
    if campaign.pk:
        before = Campaign.objects.select_for_update().select_related("scope").get(pk=campaign.pk)
        ensure_open(before)
        if actor is not None and not Campaign.objects.editable_by(actor).filter(pk=campaign.pk).exists():
            raise PermissionDenied
    perm = "campaigns.change_campaign" if campaign.pk else "campaigns.add_campaign"
    if campaign.scope_id and not covers(actor, perm, village_code=campaign.scope.code):
        raise ValidationError({"scope": "活动范围须在您负责的辖区之内。"})
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_set_status(*, actor, campaign: Campaign, status: str, reason: str = "") -> Campaign:
    """Open, close or reopen a campaign. Reopening a closed campaign needs town staff and a reason."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if actor is not None and not Campaign.objects.editable_by(actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    if status == campaign.status:
        raise ValidationError("活动已处于该状态。")
    if campaign.is_closed and not reason.strip():
        raise ValidationError({"reason": "重新开启已结束的活动须说明理由。"})
    CampaignStatusChange.objects.create(
        campaign=campaign, from_status=campaign.status, to_status=status, reason=reason.strip(), changed_by=actor
    )
    campaign.status = status
    campaign.save(update_fields=["status"])
    return campaign


# Enrolment ------------------------------------------------------------------------------------------


@transaction.atomic
def enrolment_apply(*, actor, campaign: Campaign, site: Site, applied_on: date | None = None, is_demo=False):
    """A site applies to join a campaign (申报)."""
    ensure_open(campaign)
    require_covers(actor, "campaigns.add_enrolment", village_code=site.village.code, site_id=site.pk, what="该单位")
    if campaign.site_kinds and site.kind not in campaign.site_kinds:
        raise ValidationError({"site": f"本活动不包括{site.get_kind_display()}类创建单位。"})
    if not site.village.code.startswith(campaign.scope.prefix):
        raise ValidationError({"site": "该单位不在本活动范围内。"})
    enrolment = Enrolment(campaign=campaign, site=site, applied_on=applied_on or timezone.localdate(), is_demo=is_demo)
    enrolment.full_clean()
    enrolment.save()
    EnrolmentChange.objects.create(enrolment=enrolment, to_status=enrolment.status, reason="申报创建", changed_by=actor)
    return enrolment


def enrolment_targets(*, actor, enrolment: Enrolment) -> list[str]:
    if enrolment.campaign.is_closed:
        return []
    roles = roles_over(actor, "campaigns.change_enrolment", enrolment.site)
    return enrolment_flow.allowed_targets(enrolment.status, roles, superuser=actor.is_superuser)


@transaction.atomic
def enrolment_move(*, actor, enrolment: Enrolment, to_status: str, reason: str = "") -> Enrolment:
    """Move an enrolment along the table of campaigns/enrolment_flow.py; each change kept with who/when/why."""
    enrolment = Enrolment.objects.select_for_update().select_related("campaign", "site__village").get(pk=enrolment.pk)
    ensure_open(enrolment.campaign)
    if to_status not in enrolment_targets(actor=actor, enrolment=enrolment):
        raise ValidationError(
            f"不能把“{enrolment.get_status_display()}”改为“{Enrolment.Status(to_status).label}”,或您无权进行此操作。"
        )
    if to_status in (Enrolment.Status.FAILED, Enrolment.Status.BUILDING) and not reason.strip():
        raise ValidationError({"reason": "请说明理由。"})
    EnrolmentChange.objects.create(
        enrolment=enrolment, from_status=enrolment.status, to_status=to_status, reason=reason.strip(), changed_by=actor
    )
    enrolment.status = to_status
    enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


# Activities and photos ------------------------------------------------------------------------------


@transaction.atomic
def activity_record(*, actor, activity: Activity, photos=()) -> Activity:
    """Create or update an activity (with new photos). The village must be in the actor's scope; the
    campaign must be open. Evidence flags are set here and never block the entry.
    """
    perm = "campaigns.change_activity" if activity.pk else "campaigns.add_activity"
    if activity.pk:
        before = Activity.objects.select_for_update().select_related("campaign", "village").get(pk=activity.pk)
        ensure_open(before.campaign)
        require_covers(actor, perm, village_code=before.village.code, site_id=before.site_id)
    if activity.site_id and not activity.village_id:
        activity.village_id = activity.site.village_id
    if not activity.campaign_id:
        raise ValidationError({"campaign": "请选择创建活动。"})
    ensure_open(activity.campaign)
    if not activity.village_id:
        raise ValidationError({"village": "请选择村/社区。"})
    require_covers(actor, perm, village_code=activity.village.code, site_id=activity.site_id)
    if not activity.village.code.startswith(activity.campaign.scope.prefix):
        raise ValidationError({"village": "该村/社区不在本活动范围内。"})
    activity.full_clean()
    now = timezone.now()
    if not activity.pk:
        activity.created_by = actor
        activity.flag_late_entry = evidence.is_late_entry(activity.date, timezone.localdate())
        if actor is not None:
            recent = Activity.objects.filter(created_by=actor, created_at__gte=now - evidence.BURST_WINDOW)
            activity.flag_burst = evidence.is_burst(list(recent.values_list("created_at", flat=True)[:100]), now)
    activity.save()
    for upload in photos:
        photo_attach(activity=activity, upload=upload)
    return activity

# Fields a bulk write (imports) sets on an activity: everything `activity_record` saves but photos' flags.
BULK_FIELDS = (
    "campaign", "village", "site", "date", "channel", "title", "cadres", "police", "grid_workers", "volunteers",
    "copies", "screenings", "people_reached", "households_visited", "posts", "post_links", "views",
    "teachers_reached", "students_reached", "parents_reached", "app_installs", "notes", "client_key", "updated_at",
)  # fmt: skip
FK_FIELDS = ["campaign", "village", "site", "created_by"]


def _covers(scope, village_code: str, site_id) -> bool:
    return scope.everything or any(village_code.startswith(p) for p in scope.area_prefixes) or bool(
        site_id and site_id in scope.site_ids)  # fmt: skip


@transaction.atomic
def activity_bulk_record(*, actor, activities: list[Activity], cleaned: bool = False) -> None:
    """Create or update many activities at once (imports): exactly `activity_record`'s rules (scope of the
    old and new village, closed-campaign lock, campaign scope, `full_clean` incl. the channel's reach rules,
    evidence flags, history) in a fixed number of queries per call, whatever the number of activities.
    The first refused activity raises `ValidationError` with `.activity` set; the caller's transaction
    rolls everything back. `cleaned=True` says the caller already ran `full_clean()` on these very instances
    with their campaign, village and site set (the ledger's plan step does), so it is not run twice."""
    old_pks = [a.pk for a in activities if a.pk]
    before = {pk: (campaign_id, code, site_id) for pk, campaign_id, code, site_id in Activity.objects
              .select_for_update(of=("self",)).filter(pk__in=old_pks)
              .values_list("pk", "campaign_id", "village__code", "site_id")} if old_pks else {}  # fmt: skip
    site_ids = {a.site_id for a in activities if a.site_id}
    sites = {s.pk: s for s in Site.objects.filter(pk__in=site_ids)} if site_ids else {}
    for a in activities:
        if a.site_id and not a.village_id and a.site_id in sites:
            a.village_id = sites[a.site_id].village_id
    campaign_ids = {a.campaign_id for a in activities} | {b[0] for b in before.values()}
    campaigns = {c.pk: c for c in Campaign.objects.select_related("scope").filter(pk__in=campaign_ids - {None})}
    village_ids = {a.village_id for a in activities if a.village_id}
    villages = {v.pk: v for v in Area.objects.filter(pk__in=village_ids)} if village_ids else {}
    scopes = {perm: user_scope(actor, perm) for perm in ("campaigns.add_activity", "campaigns.change_activity")
              if actor is not None}  # fmt: skip
    recent = []
    now = timezone.now()
    if actor is not None and any(not a.pk for a in activities):
        recent = list(Activity.objects.filter(created_by=actor, created_at__gte=now - evidence.BURST_WINDOW)
                      .values_list("created_at", flat=True)[:100])  # fmt: skip
    today = timezone.localdate()
    for a in activities:
        try:
            _bulk_check(actor, a, before, sites, campaigns, villages, scopes, cleaned)
        except ValidationError as exc:
            exc.activity = a
            raise
        a.updated_at = now
        if not a.pk:
            a.created_by, a.created_at = actor, now
            a.flag_late_entry = evidence.is_late_entry(a.date, today)
            if actor is not None:  # as if saved one after another: each new one counts for the next
                a.flag_burst = evidence.is_burst(recent, now)
                recent.append(now)
                del recent[: -evidence.BURST_COUNT]  # all inside the window: the last few decide (not quadratic)
    new = [a for a in activities if not a.pk]
    old = [a for a in activities if a.pk]
    if new:
        Activity.objects.bulk_create(new)  # the backend's own batch size (PostgreSQL: one UNNEST insert)
        _history_copy([a.pk for a in new], "+", actor, now)
    if old:
        Activity.objects.bulk_update(old, list(BULK_FIELDS), batch_size=1000)
        _history_copy([a.pk for a in old], "~", actor, now)
    codes = {villages[a.village_id].code for a in activities if a.village_id in villages}
    codes |= {code for _, code, _ in before.values()}  # a moved activity's old village changed too
    activities_bulk_saved.send(sender=Activity, village_codes=codes)  # bulk writes send no post_save


def _history_copy(pks: list[int], history_type: str, actor, when) -> None:
    """The history rows `bulk_create_with_history` would write (same columns, user, date, type, no change
    reason), copied inside the database with one INSERT … SELECT instead of building a model per row."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = Activity.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in historical.tracked_fields)
    user = actor if actor is not None else historical.get_default_history_user(None)
    insert = (f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, history_date, history_change_reason, "
              f"history_type, history_user_id) SELECT {columns}, %s, NULL, %s, %s FROM {quote(Activity._meta.db_table)} ")  # fmt: skip
    params = [connection.ops.adapt_datetimefield_value(when), history_type, getattr(user, "pk", None)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(insert + "WHERE id = ANY(%s)", [*params, pks])
            return
        for start in range(0, len(pks), 500):
            batch = pks[start : start + 500]
            cursor.execute(insert + f"WHERE id IN ({', '.join(['%s'] * len(batch))})", [*params, *batch])


def _bulk_check(actor, a: Activity, before, sites, campaigns, villages, scopes, cleaned=False) -> None:
    """One activity against `activity_record`'s rules, with every related row already loaded."""
    perm = "campaigns.change_activity" if a.pk else "campaigns.add_activity"
    if a.pk:
        if a.pk not in before:
            raise ValidationError("该活动记录不存在或已被删除。")
        campaign_id, code, site_id = before[a.pk]
        ensure_open(campaigns[campaign_id])
        if actor is not None and not _covers(scopes[perm], code, site_id):
            raise ValidationError("您无权为该村/社区登记或修改记录,请选择您负责的范围。")
    if a.site_id:
        if a.site_id not in sites:
            raise ValidationError({"site": "所选创建单位不存在。"})
        a.site = sites[a.site_id]
    if not a.campaign_id:
        raise ValidationError({"campaign": "请选择创建活动。"})
    if a.campaign_id not in campaigns:
        raise ValidationError({"campaign": "所选创建活动不存在。"})
    a.campaign = campaigns[a.campaign_id]
    ensure_open(a.campaign)
    if not a.village_id:
        raise ValidationError({"village": "请选择村/社区。"})
    if a.village_id not in villages:
        raise ValidationError({"village": "所选村/社区不存在。"})
    a.village = villages[a.village_id]
    if actor is not None and not _covers(scopes[perm], a.village.code, a.site_id):
        raise ValidationError("您无权为该村/社区登记或修改记录,请选择您负责的范围。")
    if not a.village.code.startswith(a.campaign.scope.prefix):
        raise ValidationError({"village": "该村/社区不在本活动范围内。"})
    # full_clean without the per-row FK lookups (checked above against the loaded rows); no unique rules.
    if not cleaned:
        a.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)


def photo_attach(*, activity: Activity, upload) -> ActivityPhoto:
    """Check and store one evidence photo; flag a reused photo or one taken far from the activity date."""
    info = inspect_upload(upload)
    b = bands(info.dhash)
    photo = ActivityPhoto(
        activity=activity, width=info.width, height=info.height, size=info.size, dhash=info.dhash,
        band0=b[0], band1=b[1], band2=b[2], band3=b[3], taken_at=info.taken_at and timezone.make_aware(info.taken_at),
        latitude=info.latitude, longitude=info.longitude,
    )  # fmt: skip
    candidates = (
        ActivityPhoto.objects.filter(Q(band0=b[0]) | Q(band1=b[1]) | Q(band2=b[2]) | Q(band3=b[3]))
        .exclude(activity=activity)
        .only("pk", "dhash")[:50]
    )
    photo.duplicate_of = next((c for c in candidates if hamming(c.dhash, info.dhash) <= DUPLICATE_BITS), None)
    photo.image.save(f"photo.{info.extension}", ContentFile(info.content), save=False)  # re-encoded, EXIF kept
    photo.thumbnail.save("thumb.jpg", ContentFile(info.thumbnail), save=False)
    photo.save()
    changed = []
    if photo.duplicate_of_id and not activity.flag_duplicate_photo:
        activity.flag_duplicate_photo = True
        changed.append("flag_duplicate_photo")
    taken = photo.taken_at and timezone.localtime(photo.taken_at).date()
    if evidence.is_exif_mismatch(taken, activity.date) and not activity.flag_exif_mismatch:
        activity.flag_exif_mismatch = True
        changed.append("flag_exif_mismatch")
    if changed:
        activity.save(update_fields=changed)
    return photo
