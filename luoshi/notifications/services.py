"""Sending notifications: every part of Luoshi that tells someone something calls `notify`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from luoshi.lib import clock
from luoshi.notifications.models import Notification
from luoshi.org.models import User


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
    second one (enforced by a unique constraint, so it holds across workers)."""
    created: list[Notification] = []
    now = clock.now()
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        fields = dict(kind=kind, title=title[:200], body=body, task=task, url=url, created_at=now)
        if not dedupe_key:
            created.append(Notification.objects.create(recipient=user, **fields))
            continue
        try:
            with transaction.atomic():
                note, was_created = Notification.objects.get_or_create(
                    recipient=user, dedupe_key=dedupe_key, defaults=fields
                )
        except IntegrityError:  # another worker created it between our read and write
            continue
        if was_created:
            created.append(note)
    return created


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())
