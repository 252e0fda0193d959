"""Reminders (提醒): the one way every app tells a user that something is due.

Producers (the daily beat tasks of each app) compute what is due today and hand it to `reminders_sync`,
which upserts by user + key (re-running a job adds nothing), resolves what is no longer due (the work got
done) and mails new reminders where configured. Users read and clear their own through the services below.

Who receives what is decided here, from memberships, and only for roles that may act on it:
`village_recipients` (the village's cadres and, for a site, its liaisons) and the key person's cadre.
"""
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Membership, Reminder
from .roles import Role
from .scope import role_permissions

BELL_LIMIT = 99  # the bell shows 99+ beyond this
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One reminder a producer wants a user to have."""

    user_id: int
    key: str
    title: str
    url: str = ""
    due_on: date | None = None


def unread_count(user) -> int:
    """The bell: one indexed COUNT, capped; nothing for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Reminder.objects.filter(user=user).unread()[: BELL_LIMIT + 1].count()


def village_recipients(pairs: Iterable[tuple[int, int | None]], perm: str) -> dict[tuple[int, int | None], list[int]]:
    """Active users to tell about (village id, site id or None): cadres of the village, liaisons of the site.

    Only memberships whose role holds `perm` (the right to do the work) count. Two queries whatever the size.
    """
    pairs = set(pairs)
    if not pairs:
        return {}
    roles = [role for role, perms in role_permissions().items() if perm in perms]
    villages = {v for v, _ in pairs}
    sites = {s for _, s in pairs if s}
    q = Q(role=Role.CADRE, area_id__in=villages) if Role.CADRE in roles else Q(pk__in=[])
    if Role.LIAISON in roles and sites:
        q |= Q(role=Role.LIAISON, site_id__in=sites)
    rows = Membership.objects.filter(q, user__is_active=True).values_list("role", "area_id", "site_id", "user_id")
    cadres, liaisons = defaultdict(set), defaultdict(set)
    for role, area_id, site_id, user_id in rows:
        (cadres[area_id] if role == Role.CADRE else liaisons[site_id]).add(user_id)
    return {(v, s): sorted(cadres[v] | (liaisons[s] if s else set())) for v, s in pairs}


def reminders_sync(kind: str, wanted: Iterable[Due], *, mail: bool = True) -> dict:
    """Make `kind`'s reminders exactly the wanted ones; idempotent.

    New (user, key) pairs are created; a pair that was resolved and is due again comes back unread; a pair
    the user cleared stays cleared; live reminders of this kind no longer wanted are resolved.
    Returns counts (created, reopened, resolved, mailed).
    """
    wanted = {(d.user_id, d.key): d for d in wanted}
    now = timezone.now()
    with transaction.atomic():
        rows = Reminder.objects.filter(kind=kind).values_list("pk", "user_id", "key", "resolved_at")
        existing = {(u, k): (pk, resolved) for pk, u, k, resolved in rows.filter(resolved_at__isnull=True)}
        keys = sorted({k for _, k in wanted})
        for i in range(0, len(keys), 500):  # resolved rows that are due again (chunked: bounded parameters)
            chunk = rows.filter(resolved_at__isnull=False, key__in=keys[i : i + 500])
            existing.update({(u, k): (pk, resolved) for pk, u, k, resolved in chunk})
        new = [
            Reminder(user_id=u, kind=kind, key=k, title=d.title[:200], url=d.url, due_on=d.due_on)
            for (u, k), d in wanted.items() if (u, k) not in existing
        ]  # fmt: skip
        Reminder.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        back = [pk for pair, (pk, resolved) in existing.items() if pair in wanted and resolved]
        reopened = Reminder.objects.filter(pk__in=back).update(resolved_at=None, read_at=None) if back else 0
        stale = [pk for pair, (pk, resolved) in existing.items() if pair not in wanted and not resolved]
        resolved = Reminder.objects.filter(pk__in=stale).update(resolved_at=now) if stale else 0
    mailed = reminders_mail_pending() if mail else 0
    return {"created": len(new), "reopened": reopened, "resolved": resolved, "mailed": mailed}


def reminders_mail_pending(limit: int = 2000) -> int:
    """One digest per user of their live, unread, not yet mailed reminders, when mail is on and they have an address.

    The rows stay locked while the mails go out and only those mailed are marked, so a re-run or a second worker
    never mails twice, and a failed address is tried again at the next run. Returns the number of mails sent.
    """
    if not settings.WUZHA_REMINDER_EMAIL:
        return 0
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    sent, done = 0, []
    with transaction.atomic():
        rows = list(
            Reminder.objects.select_for_update(of=("self",)).unread()
            .filter(emailed_at__isnull=True, user__in=users).order_by("user_id", "due_on", "pk")[:limit]
        )  # fmt: skip
        by_user = defaultdict(list)
        for r in rows:
            by_user[r.user_id].append(r)
        emails = dict(get_user_model().objects.filter(pk__in=by_user).values_list("pk", "email")) if rows else {}
        base = settings.WUZHA_SITE_URL.rstrip("/")
        for user_id, items in by_user.items():
            lines = [f"· {r.title}" + (f"(期限 {r.due_on.year}年{r.due_on.month}月{r.due_on.day}日)" if r.due_on else "")
                     for r in items]  # fmt: skip
            try:
                send_mail(
                    f"【无诈创建】您有 {len(items)} 条新提醒",
                    "您好:\n\n" + "\n".join(lines) + f"\n\n请登录无诈创建平台查看和办理:{base}/sites/reminders/\n",
                    None, [emails[user_id]],
                )  # fmt: skip
            except Exception:  # one bad address or a mail-server hiccup must not stop the others
                log.warning("提醒邮件发送失败(用户 %s),下次任务重试", user_id, exc_info=True)
                continue
            done += [r.pk for r in items]
            sent += 1
        if done:
            Reminder.objects.filter(pk__in=done).update(emailed_at=timezone.now())
    return sent


def reminder_read(*, actor, reminder: Reminder) -> Reminder:
    """Mark one of the actor's reminders read (opening it does this)."""
    if reminder.user_id != actor.pk:
        raise Reminder.DoesNotExist
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        Reminder.objects.filter(pk=reminder.pk).update(read_at=reminder.read_at)
    return reminder


def reminder_clear(*, actor, reminder: Reminder) -> None:
    """Clear one of the actor's reminders: it leaves the list and the bell (a re-run does not bring it back)."""
    if reminder.user_id != actor.pk:
        raise Reminder.DoesNotExist
    now = timezone.now()
    Reminder.objects.filter(pk=reminder.pk).update(cleared_at=now, read_at=reminder.read_at or now)


def reminders_read_all(*, actor) -> int:
    return Reminder.objects.visible_to(actor).unread().update(read_at=timezone.now())


def reminders_clear_read(*, actor) -> int:
    """Clear every reminder the actor has already read."""
    return Reminder.objects.visible_to(actor).live().filter(read_at__isnull=False).update(cleared_at=timezone.now())


def keyperson_reminders(today: date, lead_days: int = 3) -> dict:
    """N4.2 / N4.3: follow-ups due within `lead_days` or overdue go to the responsible cadre (else the village's
    cadres); open cases abroad without an attempt for 30 days likewise. Bounded queries whatever the size."""
    from datetime import timedelta

    from django.db.models import Max
    from django.urls import reverse

    from .models import AbroadCase, KeyPerson

    horizon = today + timedelta(days=lead_days)
    persons = list(
        KeyPerson.objects.current().exclude(status=KeyPerson.Status.CLOSED)
        .filter(next_followup_on__lte=horizon).values("pk", "name", "village_id", "cadre_id", "next_followup_on")
    )  # fmt: skip
    cases = list(
        AbroadCase.objects.open().filter(person__annulled_at__isnull=True).annotate(last=Max("attempts__done_on"))
        .filter(Q(last__isnull=True) | Q(last__lte=today - timedelta(days=30)))
        .values("pk", "person_id", "person__name", "person__village_id", "person__cadre_id", "last", "since")
    )  # fmt: skip
    cadre_ids = _responsible(
        [(p["village_id"], p["cadre_id"]) for p in persons] + [(c["person__village_id"], c["person__cadre_id"]) for c in cases]
    )
    due = []
    for p in persons:
        when = p["next_followup_on"]
        late = "已逾期" if when < today else "即将到期"
        for user_id in cadre_ids[(p["village_id"], p["cadre_id"])]:
            due.append(Due(user_id, f"kp:{p['pk']}:{when.isoformat()}", f"重点人员“{p['name']}”跟进{late}",
                           reverse("sites:measure_create", args=[p["pk"]]), when))  # fmt: skip
    out = {"keyperson": reminders_sync(Reminder.Kind.KEYPERSON, due, mail=False)}
    due = []
    for c in cases:
        month = f"{today.year}-{today.month:02d}"
        for user_id in cadre_ids[(c["person__village_id"], c["person__cadre_id"])]:
            due.append(Due(user_id, f"abroad:{c['pk']}:{month}", f"滞留境外人员“{c['person__name']}”已超过 30 天未联系",
                           reverse("sites:attempt_create", args=[c["pk"]]), today))  # fmt: skip
    out["abroad"] = reminders_sync(Reminder.Kind.ABROAD, due)
    return out


def _responsible(pairs) -> dict:
    """(village id, cadre id or None) → who follows up: the named cadre if still a cadre there, else the village's cadres."""
    pairs = set(pairs)
    by_village = village_recipients({(v, None) for v, _ in pairs}, "sites.change_keyperson")
    return {
        (v, c): [c] if c and c in by_village[(v, None)] else by_village[(v, None)]
        for v, c in pairs
    }  # fmt: skip
