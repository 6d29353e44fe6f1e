"""Sending notifications: every part of Luoshi that tells someone something calls `notify`
(or `notify_many`, the same for many messages at once).

notify() puts the message in each recipient's inbox and, in the same transaction, creates a
Delivery for each other channel the recipient wants at once (e-mail, SMS) and one per group
robot of the recipients' units. Nothing is sent here: the worker sends due deliveries
(luoshi.notifications.sending.deliveries_send_due) and the daily digest gathers what users in
digest mode have not yet been sent (luoshi.notifications.daily.run_daily)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.lib.bulk import insert_new
from luoshi.notifications import texts
from luoshi.notifications.conf import conf
from luoshi.notifications.models import (
    Channel,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)
from luoshi.org.models import User

if TYPE_CHECKING:
    from luoshi.tasks.models import Task


@dataclass(slots=True)
class NotifyItem:
    """One message for notify_many: the same fields as notify()'s."""

    recipients: Iterable[User]
    kind: str
    title: str
    body: str = ""
    task: Task | None = None
    url: str = ""
    dedupe_key: str = ""


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    task=None,
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Put a notification in each recipient's inbox and return the ones created now.

    With a `dedupe_key`, a recipient who already has a notification with that key gets no
    second one (enforced by a unique constraint, so it holds across workers). The deliveries
    to other channels are created with the inbox rows, in one transaction."""
    item = NotifyItem(recipients, kind, title, body, task, url, dedupe_key)
    with transaction.atomic():
        return _notify([item], every_note=True)


def notify_many(items: Sequence[NotifyItem]) -> int:
    """notify() for many messages at once, in one transaction, with the same rules: one
    inbox row per recipient and key (a row already there is skipped), inactive users
    skipped, and each message's deliveries (deliveries_create) made with its rows. The inbox
    rows are inserted in bulk, for the daily ladder over every open task. Returns how many
    inbox rows were created now."""
    if not items:
        return 0
    with transaction.atomic():
        return len(_notify(items, every_note=False))


NOTE_FIELDS = (
    "recipient_id",
    "kind",
    "title",
    "body",
    "task_id",
    "url",
    "dedupe_key",
    "created_at",
)


def _notify(items: Sequence[NotifyItem], *, every_note: bool) -> list:
    """The one door of notify() and notify_many(): insert the inbox rows, then the
    deliveries. Returns the created notifications (every_note) or one entry per row created
    (its (pk, recipient, item) only: model instances are built for what needs them)."""
    now = clock.now()
    made = _inbox_insert(items, now)
    if not made:
        return []
    # Deliveries exist only for users who want messages at once and for group robots; for
    # the others (readers of the daily digest) the inbox row is all.
    robots = bool(_enabled_endpoints())
    if robots:
        immediate: set[int] = set()
    else:
        prefs = preferences_for({user.pk for _pk, user, _i in made})
        immediate = {uid for uid, p in prefs.items() if p.mode == DeliveryMode.IMMEDIATE}
    notes: list[Notification] = []
    groups: dict[int, list[Notification]] = {}
    for pk, user, index in made:
        wanted = robots or user.pk in immediate
        if not (wanted or every_note):
            continue
        item = items[index]
        note = Notification(
            pk=pk,
            recipient=user,
            kind=item.kind,
            title=item.title[:200],
            body=item.body,
            task=item.task,
            url=item.url,
            dedupe_key=item.dedupe_key,
            created_at=now,
        )
        note._state.adding = False
        notes.append(note)
        if wanted:
            groups.setdefault(index, []).append(note)
    for index, group in groups.items():
        deliveries_create(notes=group, dedupe_key=items[index].dedupe_key)
    if every_note:
        notes.sort(key=lambda n: n.pk)
        return notes
    return made


def _inbox_insert(items: Sequence[NotifyItem], now) -> list[tuple[int, User, int]]:
    """Insert the inbox rows of `items`: (pk, recipient, index of the item) of each row
    created now. Rows with a key go in with INSERT … ON CONFLICT DO NOTHING RETURNING, so
    the statement itself says which it made (the unique constraint decides, across
    workers); rows without one are always new."""
    at = connection.ops.adapt_datetimefield_value(now)
    keyed: list[tuple] = []
    owner: dict[tuple[int, str], tuple[User, int]] = {}
    plain: list[Notification] = []
    plain_owner: list[int] = []
    for index, item in enumerate(items):
        key = item.dedupe_key
        task_id = item.task.pk if item.task is not None else None
        title = item.title[:200]
        seen: set[int] = set()
        for user in item.recipients:
            if user is None or user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            if key:
                if (user.pk, key) in owner:  # the same key twice in one call: the first
                    continue
                owner[(user.pk, key)] = (user, index)
                keyed.append((user.pk, item.kind, title, item.body, task_id, item.url, key, at))
            else:
                plain.append(
                    Notification(
                        recipient=user,
                        kind=item.kind,
                        title=title,
                        body=item.body,
                        task=item.task,
                        url=item.url,
                        created_at=now,
                    )
                )
                plain_owner.append(index)
    made: list[tuple[int, User, int]] = []
    if plain:
        Notification.objects.bulk_create(plain)
        made += [(n.pk, n.recipient, i) for n, i in zip(plain, plain_owner, strict=True)]
    for pk, recipient_id, key in insert_new(
        Notification, NOTE_FIELDS, keyed, ("id", "recipient_id", "dedupe_key")
    ):
        user, index = owner[(recipient_id, key)]
        made.append((pk, user, index))
    return made


# --- preferences ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    email: bool
    sms: bool
    mode: str
    saved: bool = False


def default_preferences() -> Preferences:
    return Preferences(
        email=bool(conf("NOTIFY_DEFAULT_EMAIL")),
        sms=bool(conf("NOTIFY_DEFAULT_SMS")),
        mode=str(conf("NOTIFY_DEFAULT_MODE")),
    )


def preferences_for(user_ids: Iterable[int]) -> dict[int, Preferences]:
    """Every given user's preferences, the defaults for those who saved none (one query, or
    none when this transaction already read them)."""
    ids = set(user_ids)
    cache = _snapshot()
    missing = ids - cache.prefs.keys() if cache is not None else ids
    if missing:
        default = default_preferences()
        found = {
            p.user_id: Preferences(email=p.email, sms=p.sms, mode=p.mode, saved=True)
            for p in NotificationPreference.objects.filter(user_id__in=missing)
        }
        fresh = {uid: found.get(uid, default) for uid in missing}
        if cache is None:
            return fresh
        cache.prefs.update(fresh)
    return {uid: cache.prefs[uid] for uid in ids}


# The daily run notifies thousands of times inside a few transactions: what notify() reads
# besides the inbox (preferences, the group robots) is read once per outermost transaction
# and kept on the connection. Saving a preference or a robot drops it (signals below).


@dataclass
class _Snapshot:
    block: object  # the outermost Atomic it belongs to
    prefs: dict[int, Preferences]
    endpoints: list[WebhookEndpoint] | None = None


def _snapshot() -> _Snapshot | None:
    connection = transaction.get_connection()
    blocks = getattr(connection, "atomic_blocks", None)
    if not connection.in_atomic_block or not blocks:
        return None
    snap = getattr(connection, "_luoshi_notify_snapshot", None)
    if snap is None or snap.block is not blocks[0]:
        snap = _Snapshot(block=blocks[0], prefs={})
        connection._luoshi_notify_snapshot = snap
    return snap


def forget_snapshot(**_kwargs) -> None:
    connection = transaction.get_connection()
    connection._luoshi_notify_snapshot = None


def _enabled_endpoints() -> list[WebhookEndpoint]:
    cache = _snapshot()
    if cache is not None and cache.endpoints is not None:
        return cache.endpoints
    endpoints = list(WebhookEndpoint.objects.filter(enabled=True, mode=DeliveryMode.IMMEDIATE))
    if cache is not None:
        cache.endpoints = endpoints
    return endpoints


def user_channels(user: User, prefs: Preferences) -> list[tuple[str, str]]:
    """(channel, address) for each channel the user wants and has an address for."""
    out = []
    if prefs.email and user.email:
        out.append((Channel.EMAIL.value, user.email))
    if prefs.sms and user.phone:
        out.append((Channel.SMS.value, user.phone))
    return out


def preference_save(*, actor: User, email: bool, sms: bool, mode: str) -> NotificationPreference:
    """The user's own choice of channels and of immediate or daily sending."""
    if mode not in DeliveryMode.values:
        raise ValidationError({"mode": _("请选择发送方式。")})
    with transaction.atomic():
        pref, _created = NotificationPreference.objects.get_or_create(
            user=actor, defaults={"email": email, "sms": sms, "mode": mode}
        )
        pref.email, pref.sms, pref.mode = bool(email), bool(sms), mode
        pref.full_clean()
        pref.save()
        audit_log(
            actor=actor,
            action="notifications.preferences",
            obj=pref,
            data={"email": pref.email, "sms": pref.sms, "mode": pref.mode},
        )
    return pref


# --- deliveries ---------------------------------------------------------------------------------


def _in_site_language():
    from django.conf import settings

    return translation.override(settings.LANGUAGE_CODE)


def deliveries_create(*, notes: list[Notification], dedupe_key: str = "") -> int:
    """The deliveries of notifications just created (same transaction as they): one per
    channel of each recipient who wants messages at once, and one per group robot of the
    recipients' units, once per notification key. Returns how many rows were added."""
    now = timezone.now()  # the real time: a delivery is due as soon as it is committed
    prefs = preferences_for(n.recipient_id for n in notes)
    rows: list[Delivery] = []
    with _in_site_language():
        for note in notes:
            user = note.recipient
            p = prefs[user.pk]
            if p.mode != DeliveryMode.IMMEDIATE:
                continue
            channels = user_channels(user, p)
            if not channels:
                continue
            subject, body, url = texts.single(note)
            for channel, address in channels:
                rows.append(
                    Delivery(
                        channel=channel,
                        user=user,
                        target=address,
                        notification=note,
                        subject=subject,
                        body=body,
                        url=url,
                        next_attempt_at=now,
                        created_at=now,
                        idempotency_key=f"n{note.pk}:{channel}",
                    )
                )
        rows += _robot_deliveries(notes, dedupe_key, now)
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _robot_deliveries(notes: list[Notification], dedupe_key: str, now) -> list[Delivery]:
    unit_ids = {n.recipient.unit_id for n in notes if n.recipient.unit_id}
    endpoints = [e for e in _enabled_endpoints() if e.unit_id is None or e.unit_id in unit_ids]
    rows = []
    for endpoint in endpoints:
        unit_id = endpoint.unit_id
        mine = [n for n in notes if unit_id is None or n.recipient.unit_id == unit_id]
        if not mine:
            continue
        first = mine[0]
        subject, body, url = texts.robot(first, [n.recipient.display_name for n in mine])
        key = f"k:{dedupe_key}" if dedupe_key else f"n{first.pk}"
        rows.append(
            Delivery(
                channel=endpoint.platform,
                endpoint=endpoint,
                target=endpoint.name[:254],
                notification=first,
                subject=subject,
                body=body,
                url=url,
                next_attempt_at=now,
                created_at=now,
                idempotency_key=f"hook{endpoint.pk}:{key}"[:200],
            )
        )
    return rows


def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """重试: a failed or given-up delivery goes back to the queue with its attempts reset."""
    with transaction.atomic():
        fresh = Delivery.objects.select_for_update(no_key=True).get(pk=delivery.pk)
        if fresh.status not in (DeliveryStatus.FAILED, DeliveryStatus.DEAD):
            raise ValidationError(_("只有发送失败或已放弃的消息可以重试。"))
        before = fresh.status
        fresh.status = DeliveryStatus.PENDING
        fresh.attempts = 0
        fresh.next_attempt_at = timezone.now()
        fresh.claim_token = ""
        fresh.claimed_at = None
        fresh.save(
            update_fields=["status", "attempts", "next_attempt_at", "claim_token", "claimed_at"]
        )
        audit_log(
            actor=actor,
            action="notifications.delivery_retry",
            obj=fresh,
            data={"channel": fresh.channel, "target": fresh.target, "was": before},
        )
    return fresh


# --- group robots -----------------------------------------------------------------------------

ENDPOINT_FIELDS = ("name", "platform", "url", "secret", "unit", "mode", "enabled")


def webhook_endpoint_save(
    *, actor: User, endpoint: WebhookEndpoint | None = None, **fields
) -> WebhookEndpoint:
    """Create or change a group robot. A blank secret on an existing robot keeps the old
    one (the form never shows it)."""
    unknown = set(fields) - set(ENDPOINT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    creating = endpoint is None
    endpoint = endpoint or WebhookEndpoint()
    if not creating and not fields.get("secret"):
        fields.pop("secret", None)
    changed = [f for f in fields if getattr(endpoint, f) != fields[f]]
    for name, value in fields.items():
        setattr(endpoint, name, value)
    if not (endpoint.url or "").lower().startswith(("http://", "https://")):
        raise ValidationError({"url": _("Webhook 地址必须以 http:// 或 https:// 开头。")})
    endpoint.full_clean()
    with transaction.atomic():
        endpoint.save()
        audit_log(
            actor=actor,
            action="notifications.webhook_create" if creating else "notifications.webhook_update",
            obj=endpoint,
            data={
                "changed": changed,
                "platform": endpoint.platform,
                "unit": endpoint.unit_id,
                "enabled": endpoint.enabled,
                "secret": bool(endpoint.secret),
            },
        )
    return endpoint


def webhook_endpoint_test(*, actor: User, endpoint: WebhookEndpoint) -> Delivery:
    """发送测试消息: queue one message to the robot (sent by the worker like any other)."""
    now = timezone.now()
    with _in_site_language():
        subject = _("落实测试消息")
        body = _("这是一条测试消息：群机器人“%(name)s”已接入落实督查督办系统。") % {
            "name": endpoint.name
        }
    with transaction.atomic():
        delivery = Delivery.objects.create(
            channel=endpoint.platform,
            endpoint=endpoint,
            target=endpoint.name[:254],
            subject=subject,
            body=body,
            url=texts.absolute("/"),
            next_attempt_at=now,
            created_at=now,
            idempotency_key=f"hook{endpoint.pk}:test:{now.timestamp()}",
        )
        audit_log(actor=actor, action="notifications.webhook_test", obj=endpoint)
    return delivery


# --- the inbox --------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())
