"""每日汇总: once a day, one message per channel to each user in digest mode (and to each
group robot in digest mode) listing the notifications they have not been sent yet — a
liaison with 30 due tasks gets one message, not 30.

Idempotent: the digest of (user or robot, channel, day) has a unique key, and the
notifications it lists are recorded on it (Delivery.covered) in the same transaction, so a
second run, a restart or a second worker adds nothing and the next day's digest does not
repeat them. Called from the daily tick after the supervision ladder, so that the day's
reminders and 催办 are in it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from luoshi.notifications import texts
from luoshi.notifications.models import (
    Channel,
    Delivery,
    DeliveryKind,
    DeliveryMode,
    Notification,
    WebhookEndpoint,
)
from luoshi.notifications.services import _in_site_language, preferences_for, user_channels
from luoshi.org.models import User

# A digest gathers what is not yet sent from the last few days, not only from the day
# itself: what arrived after yesterday's run (a 催办 by hand in the afternoon) is in today's,
# and a day the worker was down is caught up the next day. Nothing is listed twice: what a
# digest lists is recorded on it.
WINDOW_DAYS = 3


def _window(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(today - dt.timedelta(days=WINDOW_DAYS), dt.time.min)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


def _not_yet_sent(channel: str):
    """Notifications with no delivery of their own on `channel` and in no digest on it."""
    single = Delivery.objects.filter(notification=OuterRef("pk"), channel=channel)
    digested = Delivery.covered.through.objects.filter(
        notification_id=OuterRef("pk"), delivery__channel=channel, delivery__user__isnull=False
    )
    return ~Exists(single) & ~Exists(digested)


def _save(rows: list[tuple[Delivery, list[Notification]]]) -> int:
    """Insert the digests and what they cover in one transaction; if another run got there
    first (a key exists), insert nothing."""
    if not rows:
        return 0
    through = Delivery.covered.through
    try:
        with transaction.atomic():
            created = Delivery.objects.bulk_create([d for d, _notes in rows])
            links = [
                through(delivery_id=d.pk, notification_id=n.pk)
                for d, (_same, notes) in zip(created, rows, strict=True)
                for n in notes
            ]
            through.objects.bulk_create(links)
    except IntegrityError:
        return 0
    return len(rows)


def _user_digests(today: dt.date, now: dt.datetime) -> tuple[int, int]:
    start, end = _window(today)
    window = Notification.objects.filter(
        created_at__gte=start, created_at__lt=end, read_at__isnull=True
    )
    recipients = set(window.values_list("recipient_id", flat=True).distinct())
    prefs = preferences_for(recipients)
    digest_users = {uid for uid, p in prefs.items() if p.mode == DeliveryMode.DIGEST}
    if not digest_users:
        return 0, 0
    users = {u.pk: u for u in User.objects.filter(pk__in=digest_users, is_active=True)}
    wanted: dict[str, set[int]] = defaultdict(set)
    for uid, user in users.items():
        for channel, _address in user_channels(user, prefs[uid]):
            wanted[channel].add(uid)
    made = covered = 0
    for channel in (Channel.EMAIL, Channel.SMS):
        uids = wanted.get(channel.value)
        if not uids:
            continue
        keys = {uid: f"digest:u{uid}:{channel.value}:{today.isoformat()}" for uid in uids}
        done = set(
            Delivery.objects.filter(idempotency_key__in=keys.values()).values_list(
                "idempotency_key", flat=True
            )
        )
        notes = (
            window.filter(recipient_id__in=[u for u in uids if keys[u] not in done])
            .filter(_not_yet_sent(channel.value))
            .select_related("task")
            .order_by("created_at", "id")
        )
        per_user: dict[int, list[Notification]] = defaultdict(list)
        for note in notes:
            per_user[note.recipient_id].append(note)
        rows = []
        with _in_site_language():
            for uid, mine in per_user.items():
                user = users[uid]
                subject, body, url = texts.digest(mine, day=today, greeting=user.display_name)
                address = user.email if channel == Channel.EMAIL else user.phone
                rows.append(
                    (
                        Delivery(
                            channel=channel.value,
                            kind=DeliveryKind.DIGEST,
                            user=user,
                            target=address,
                            digest_date=today,
                            subject=subject,
                            body=body,
                            url=url,
                            next_attempt_at=now,
                            created_at=now,
                            idempotency_key=keys[uid],
                        ),
                        mine,
                    )
                )
        saved = _save(rows)
        made += saved
        covered += sum(len(m) for _d, m in rows) if saved else 0
    return made, covered


def _robot_digests(today: dt.date, now: dt.datetime) -> int:
    """A group robot in digest mode: one post a day listing its unit's new notifications,
    each notification key once (not once per person)."""
    start, end = _window(today)
    made = 0
    for endpoint in WebhookEndpoint.objects.filter(enabled=True, mode=DeliveryMode.DIGEST):
        key = f"digest:hook{endpoint.pk}:{today.isoformat()}"
        if Delivery.objects.filter(idempotency_key=key).exists():
            continue
        digested = Delivery.covered.through.objects.filter(
            notification_id=OuterRef("pk"), delivery__endpoint=endpoint
        )
        notes = Notification.objects.filter(created_at__gte=start, created_at__lt=end).filter(
            ~Exists(digested)
        )
        if endpoint.unit_id is not None:
            notes = notes.filter(recipient__unit_id=endpoint.unit_id)
        # Posted one by one before the robot was switched to a daily digest: not again.
        posted = Delivery.objects.filter(
            endpoint=endpoint, kind=DeliveryKind.SINGLE, created_at__gte=start
        ).values_list("notification_id", "notification__dedupe_key")
        posted_ids = {pk for pk, _key in posted}
        posted_keys = {key for _pk, key in posted if key}
        notes = [
            n
            for n in notes.select_related("task").order_by("created_at", "id")
            if n.pk not in posted_ids and n.dedupe_key not in posted_keys
        ]
        if not notes:
            continue
        shown, seen = [], set()
        for note in notes:
            same = note.dedupe_key or f"n{note.pk}"
            if same not in seen:
                seen.add(same)
                shown.append(note)
        with _in_site_language():
            greeting = endpoint.unit.display_name if endpoint.unit_id else ""
            subject, body, url = texts.digest(shown, day=today, greeting=greeting)
        delivery = Delivery(
            channel=endpoint.platform,
            kind=DeliveryKind.DIGEST,
            endpoint=endpoint,
            target=endpoint.name[:254],
            digest_date=today,
            subject=subject,
            body=body,
            url=url,
            next_attempt_at=now,
            created_at=now,
            idempotency_key=key,
        )
        made += _save([(delivery, notes)])
    return made


def run_daily(*, today: dt.date) -> dict[str, int]:
    """The day's digests. Returns {"digests": …, "digest_notifications": …,
    "robot_digests": …}."""
    now = timezone.now()  # the real time: the digests are due as soon as they are made
    made, covered = _user_digests(today, now)
    robots = _robot_digests(today, now)
    return {"digests": made, "digest_notifications": covered, "robot_digests": robots}
