"""Lockout after repeated failed log-ins, per account (the username typed, whether or not the
account exists) and per client address. Attempts are rows in the database so every
application process counts the same ones.

An attempt is recorded before the password is checked (`attempt_begin`), under a lock
(SQLite: the IMMEDIATE transaction's write lock; PostgreSQL: an advisory lock per username
and per address), so that N attempts made at the same instant let at most the policy's
number of password checks through."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.security.models import AttemptKind, LoginAttempt, SecurityPolicy
from luoshi.security.services.policy import security_policy

LOCK_NAMESPACE = 0x4C4B  # "LK": the advisory locks of the attempt counters
SCAN_LIMIT = 500  # failures looked at per check (more only under a flood, already locked)


@dataclass(frozen=True)
class Lock:
    """Why log-in is refused now, and until when."""

    scope: str  # "account" or "address"
    until: dt.datetime


def _advisory_lock(key: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [LOCK_NAMESPACE, zlib.crc32(key.encode()) - 2**31],
            )


def _reset_at(**where) -> dt.datetime | None:
    kinds = [AttemptKind.UNLOCK] if "ip" in where else [AttemptKind.UNLOCK, AttemptKind.SUCCESS]
    return LoginAttempt.objects.filter(kind__in=kinds, **where).aggregate(m=Max("at"))["m"]


def _lock_for(policy: SecurityPolicy, now: dt.datetime, scope: str, limit: int, **where):
    """Locked while the latest of `limit` failures made within one window (and after the last
    reset) is less than the lockout duration old."""
    window = dt.timedelta(minutes=policy.failure_window_minutes)
    duration = dt.timedelta(minutes=policy.lockout_minutes)
    since = now - window - duration
    reset = _reset_at(**where)
    if reset is not None and reset > since:
        since = reset
    failures = LoginAttempt.objects.filter(kind=AttemptKind.FAILURE, at__gt=since, **where)
    times = list(failures.order_by("-at").values_list("at", flat=True)[:SCAN_LIMIT])
    for i in range(len(times) - limit + 1):
        if times[i] + duration <= now:
            break
        if times[i] - times[i + limit - 1] <= window:
            return Lock(scope=scope, until=times[i] + duration)
    return None


def lock_status(*, username: str, ip: str) -> Lock | None:
    """The lock in force for this username or this address, if any."""
    policy = security_policy()
    now = clock.now()
    lock = _lock_for(policy, now, "account", policy.account_max_failures, username=username)
    if lock is None and ip:
        lock = _lock_for(policy, now, "address", policy.address_max_failures, ip=ip)
    return lock


def attempt_begin(*, username: str, ip: str) -> tuple[LoginAttempt, Lock | None]:
    """Record an attempt before checking the password. When a lock is already in force the
    attempt is recorded as blocked (it does not extend the lock) and the lock is returned."""
    with transaction.atomic():
        _advisory_lock(f"user:{username}")
        if ip:
            _advisory_lock(f"ip:{ip}")
        lock = lock_status(username=username, ip=ip)
        kind = AttemptKind.BLOCKED if lock else AttemptKind.FAILURE
        attempt = LoginAttempt.objects.create(username=username, ip=ip, at=clock.now(), kind=kind)
    return attempt, lock


def attempt_succeeded(attempt: LoginAttempt) -> None:
    LoginAttempt.objects.filter(pk=attempt.pk).update(kind=AttemptKind.SUCCESS)


def attempt_password_ok(attempt: LoginAttempt) -> None:
    """The password was right and the second step follows: neither a failure nor a reset."""
    LoginAttempt.objects.filter(pk=attempt.pk).update(kind=AttemptKind.PASSWORD_OK)


def attempt_failed(attempt: LoginAttempt, *, user=None, step: str = "password") -> Lock | None:
    """The attempt stays a failure; when it is the one that locks, audit the lockout."""
    lock = lock_status(username=attempt.username, ip=attempt.ip)
    if lock is not None:
        audit_log(
            actor=None,
            action="security.lockout",
            obj=user,
            data={
                "username": attempt.username,
                "scope": lock.scope,
                "until": lock.until.isoformat(),
                "step": step,
            },
        )
    return lock


def locked_accounts() -> list[dict]:
    """Usernames and addresses locked now, for the 安全管理员's page."""
    policy = security_policy()
    now = clock.now()
    since = now - dt.timedelta(minutes=policy.lockout_minutes)
    recent = LoginAttempt.objects.filter(kind=AttemptKind.FAILURE, at__gt=since)
    rows = []
    for username in recent.values_list("username", flat=True).distinct():
        lock = _lock_for(policy, now, "account", policy.account_max_failures, username=username)
        if lock:
            rows.append({"scope": "account", "key": username, "until": lock.until})
    for ip in recent.exclude(ip="").values_list("ip", flat=True).distinct():
        lock = _lock_for(policy, now, "address", policy.address_max_failures, ip=ip)
        if lock:
            rows.append({"scope": "address", "key": ip, "until": lock.until})
    return rows


@transaction.atomic
def lock_release(*, actor, scope: str, key: str) -> None:
    """The 安全管理员 unlocks an account (username) or an address; audited."""
    where = {"username": key, "ip": ""} if scope == "account" else {"username": "", "ip": key}
    LoginAttempt.objects.create(kind=AttemptKind.UNLOCK, at=clock.now(), **where)
    audit_log(actor=actor, action="security.unlock", data={"scope": scope, "key": key})
