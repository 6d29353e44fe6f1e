"""Cache upkeep only (no business rules): a saved preference or group robot drops what
notify() remembered of them in the current transaction (services._Snapshot)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from luoshi.notifications.models import NotificationPreference, WebhookEndpoint
from luoshi.notifications.services import forget_snapshot


def connect() -> None:
    for model in (NotificationPreference, WebhookEndpoint):
        post_save.connect(forget_snapshot, sender=model, dispatch_uid=f"notify-forget-{model}")
        post_delete.connect(forget_snapshot, sender=model, dispatch_uid=f"notify-del-{model}")
