"""The audit log: every business change calls `audit_log` inside its own transaction.

Rows are hash-chained (luoshi/audit/chain.py: SM3, SHA-256 where OpenSSL lacks SM3) and
numbered 1, 2, 3, … (`seq`). Writers serialise on the chain's tail, so the chain never
forks: on SQLite the IMMEDIATE transaction already holds the database's write lock; on
PostgreSQL a transaction-scoped advisory lock does it. (A row lock on the last event is not
enough there: a waiting `SELECT … ORDER BY id DESC LIMIT 1 FOR UPDATE` wakes up holding the row
it first found, not the one inserted meanwhile, and two events would share a predecessor.)
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from luoshi.audit import chain
from luoshi.audit.models import AuditEvent
from luoshi.lib.request_context import client_ip

# Arbitrary constant naming the audit chain's advisory lock on PostgreSQL.
CHAIN_LOCK_KEY = 0x4C55_4F53  # "LUOS"

SENSITIVE_KEYS = {"password", "token", "secret", "phone", "id_number", "contact"}


def _mask(data: Any) -> Any:
    """Sensitive values masked at any depth ({"changes": {"phone": [old, new]}} too)."""
    if isinstance(data, dict):
        return {k: ("***" if k in SENSITIVE_KEYS else _mask(v)) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_mask(v) for v in data]
    return data


def _lock_chain() -> None:
    """Take the chain's tail until commit. On PostgreSQL the transaction's pending foreign-key
    checks (deferred to commit by Django) are run first: checked at commit, after this lock,
    a check waiting on a row another writer holds while that writer waits for this lock was
    a deadlock (seen with two application processes assigning tasks at once).

    The checks of rows inserted after this lock still run at commit. They take KEY SHARE
    locks, which FOR NO KEY UPDATE does not block: so every row lock in Luoshi is taken with
    `select_for_update(no_key=True)` (a writer locking a source to number its tasks must not
    hold up another writer's check that its new row points at that source)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks what is pending, now
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's usual mode
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def chain_fields(event: AuditEvent) -> dict[str, Any]:
    """The event as the dict chain.row_hash reads."""
    return {name: getattr(event, name) for name in chain.ROW_FIELDS if name != "id"}


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    result: str = "success",
) -> AuditEvent:
    """Record one audit event. `action` is namespaced, e.g. "task.assign". A refused or
    failed attempt passes result="failure" (kept in data["result"]; the auditor filters on
    it)."""
    if result != "success":
        data = {**(data or {}), "result": result}
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").only("hash", "seq").first()
        event = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=str(actor) if actor is not None else "system",
            ip=client_ip(),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            data=json.loads(json.dumps(_mask(data or {}), default=str)),
            prev_hash=last.hash if last else "",
            algorithm=chain.default_algorithm(),
            payload_version=2,
        )
        event.hash = chain.row_hash(chain_fields(event))
        event.save()
        return event


def audit_verify() -> list[int]:
    """Return the ids of events that break the chain (empty: intact). For the full report
    (what broke, the count, the last hash) use chain.verify_database()."""
    result = chain.verify_database()
    return sorted({b.id for b in result.breaks if b.id is not None})


def audit_verify_and_alert() -> dict[str, int]:
    """Walk the chain; on a break, record `audit.verify_failed` and put a notice in every
    active audit administrator's inbox (one a day: the notice's key is the date)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from luoshi.lib import clock
    from luoshi.notifications.models import NotificationKind
    from luoshi.notifications.services import notify
    from luoshi.org.models import Role, User

    result = chain.verify_database()
    if result.ok:
        return {"rows": result.count, "breaks": 0}
    first = result.breaks[0]
    audit_log(
        actor=None,
        action="audit.verify_failed",
        data={
            "breaks": result.break_count,
            "first": first.as_text(),
            "count": result.count,
            "last_hash": result.last_hash,
        },
    )
    auditors = User.objects.filter(role=Role.AUDITOR, is_active=True)
    notify(
        recipients=auditors,
        kind=NotificationKind.REMINDER,
        title=_("审计日志完整性校验未通过：发现 %(n)s 处断点") % {"n": result.break_count},
        body=_("第一处：%(first)s。请运行 luoshi audit verify 查看全部断点。")
        % {"first": first.as_text()},
        url=reverse("audit:log") + "?verify=1",
        dedupe_key=f"audit.verify_failed.{clock.today().isoformat()}",
    )
    return {"rows": result.count, "breaks": result.break_count}
