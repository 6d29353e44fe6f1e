"""Outgoing webhooks (推送订阅): a signed JSON POST to each subscriber for each task event.

Enqueue: task_event_record (luoshi/tasks/services/history.py) calls `webhooks_enqueue`
after the event's transaction commits; it writes one WebhookDelivery per active subscription
that wants the event's kind (unique per subscription and event, so a repeat is a no-op).

Send: `webhook_deliveries_send_due` (the worker's `send_webhooks` job, and the command
`luoshi send-webhooks`) claims due rows with a conditional UPDATE, POSTs each with a strict
timeout outside any transaction, and records sent, or failed with the next attempt after
the notifications' back-off (1, 5, 25 … minutes), dead after NOTIFY_MAX_ATTEMPTS.

Signature: header `X-Luoshi-Signature: t=<unix seconds>,v1=<hex>` where v1 is
HMAC-SHA256(secret, "<t>.<body>"), as Stripe signs; the receiver recomputes it and rejects a
`t` older than a few minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.api.models import OutgoingWebhook, WebhookDelivery, WebhookDeliveryStatus
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.org.models import User
from luoshi.tasks.models import EventKind, TaskEvent

SIGNATURE_HEADER = "X-Luoshi-Signature"
TIMEOUT_SECONDS = 5


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, now: int, tolerance: int = 300) -> bool:
    """The receiver's check (for integrators and the tests)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


def payload(event: TaskEvent) -> dict[str, Any]:
    task = event.task
    return {
        "event": event.kind,
        "event_id": event.pk,
        "task": {
            "id": task.pk,
            "code": task.code,
            "title": task.title,
            "state": task.state,
            "light": task.light,
            "progress": task.progress,
            "due": task.due.isoformat() if task.due else None,
            "lead_unit": task.lead_unit.name if task.lead_unit_id else None,
        },
        "unit": event.unit.name if event.unit_id else None,
        "at": event.at.isoformat(),
    }


# --- subscriptions (the system administrator's page) -----------------------------------------


@transaction.atomic
def webhook_save(
    *,
    actor: User,
    webhook: OutgoingWebhook | None,
    name: str,
    url: str,
    secret: str = "",
    events: list[str] | None = None,
    active: bool = True,
) -> OutgoingWebhook:
    policy.require(actor, "api.webhooks")
    events = list(events or [])
    unknown = [e for e in events if e not in EventKind.values]
    if unknown:
        raise ValidationError({"events": [_("未知的事件：%(e)s。") % {"e": "、".join(unknown)}]})
    if not url.startswith(("http://", "https://")):
        raise ValidationError({"url": [_("推送地址须以 http:// 或 https:// 开头。")]})
    created = webhook is None
    if webhook is None:
        webhook = OutgoingWebhook(created_at=clock.now(), secret=secret or secrets.token_hex(24))
    elif secret:
        webhook.secret = secret
    webhook.name, webhook.url, webhook.events, webhook.active = name.strip(), url, events, active
    webhook.full_clean()
    webhook.save()
    audit_log(
        actor=actor,
        action="api.webhook.create" if created else "api.webhook.update",
        obj=webhook,
        # the secret is never written to the log
        data={"name": webhook.name, "url": url, "events": events, "active": active},
    )
    return webhook


# --- enqueue ---------------------------------------------------------------------------------


def on_task_event(event: TaskEvent) -> None:
    """Called by task_event_record: enqueue once the event's transaction has committed."""
    transaction.on_commit(lambda: webhooks_enqueue(event.pk))


def webhooks_enqueue(event_id: int) -> int:
    hooks = [h for h in OutgoingWebhook.objects.filter(active=True)]
    if not hooks:
        return 0
    event = TaskEvent.objects.select_related("task__lead_unit", "unit").filter(pk=event_id).first()
    if event is None:
        return 0
    wanted = [h for h in hooks if h.wants(event.kind)]
    if not wanted:
        return 0
    body = payload(event)
    now = clock.now()
    rows = [
        WebhookDelivery(webhook=h, event=event, payload=body, created_at=now, next_attempt_at=now)
        for h in wanted
    ]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- send ------------------------------------------------------------------------------------


def _post(url: str, secret: str, body: bytes) -> str:
    """POST; '' when the receiver answered 2xx, else the error."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Luoshi-Webhook/1",
        SIGNATURE_HEADER: sign(secret, body, int(clock.now().timestamp())),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            if 200 <= response.status < 300:
                return ""
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return str(getattr(exc, "reason", exc))[:500]


def webhook_deliveries_send_due(*, limit: int = 100) -> dict[str, int]:
    from luoshi.notifications.conf import conf
    from luoshi.notifications.sending import backoff

    now = clock.now()
    max_attempts = int(conf("NOTIFY_MAX_ATTEMPTS"))
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        .select_related("webhook")
        .order_by("id")[:limit]
    )
    sent = failed = 0
    for row in due:
        # claim: a row another worker took first no longer matches
        claimed = WebhookDelivery.objects.filter(
            pk=row.pk, status=WebhookDeliveryStatus.PENDING, attempts=row.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=None)
        if not claimed:
            continue
        body = json.dumps(row.payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        error = _post(row.webhook.url, row.webhook.secret, body) if row.webhook.active else ""
        attempts = row.attempts + 1
        if not error:
            WebhookDelivery.objects.filter(pk=row.pk).update(
                status=WebhookDeliveryStatus.SENT, sent_at=clock.now(), last_error=""
            )
            sent += 1
            continue
        failed += 1
        if attempts >= max_attempts:
            WebhookDelivery.objects.filter(pk=row.pk).update(
                status=WebhookDeliveryStatus.FAILED, last_error=error
            )
        else:
            WebhookDelivery.objects.filter(pk=row.pk).update(
                last_error=error, next_attempt_at=clock.now() + backoff(attempts)
            )
    return {"sent": sent, "failed": failed}
