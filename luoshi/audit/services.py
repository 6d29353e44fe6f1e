"""The audit log: every business change calls `audit_log` inside its own transaction.

Rows are hash-chained with SHA-256. Writers serialise on the chain's tail, so the chain never
forks: on SQLite the IMMEDIATE transaction already holds the database's write lock; on
PostgreSQL a transaction-scoped advisory lock does it. (A row lock on the last event is not
enough there: a waiting `SELECT … ORDER BY id DESC LIMIT 1 FOR UPDATE` wakes up holding the row
it first found, not the one inserted meanwhile, and two events would share a predecessor.)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from luoshi.audit.models import AuditEvent
from luoshi.lib.request_context import client_ip

# Arbitrary constant naming the audit chain's advisory lock on PostgreSQL.
CHAIN_LOCK_KEY = 0x4C55_4F53  # "LUOS"

SENSITIVE_KEYS = {"password", "token", "secret", "phone", "id_number"}


def _mask(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in SENSITIVE_KEYS else v) for k, v in data.items()}


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _chain_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "data": event.data,
    }


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one audit event. `action` is namespaced, e.g. "task.assign"."""
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").only("hash").first()
        prev_hash = last.hash if last else ""
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=str(actor) if actor is not None else "system",
            ip=client_ip(),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            data=json.loads(json.dumps(_mask(data or {}), default=str)),
            prev_hash=prev_hash,
        )
        event.hash = _digest(prev_hash, _chain_fields(event))
        event.save()
        return event


def audit_verify() -> list[int]:
    """Return the ids of events whose hash does not match the chain (empty: intact)."""
    broken: list[int] = []
    prev = ""
    for event in AuditEvent.objects.order_by("id").iterator():
        if event.prev_hash != prev or event.hash != _digest(prev, _chain_fields(event)):
            broken.append(event.id)
        prev = event.hash
    return broken
