"""Concurrent failed attempts: twenty at once on one account let through exactly the policy's
five password checks; the rest are blocked (several processes share the same table). Runs on
SQLite and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from luoshi.org.models import Role
from luoshi.security.models import AttemptKind, LoginAttempt
from luoshi.security.services import lockout
from tests.security.world import make_user

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_failures_check_only_five_passwords():
    make_user("target", Role.LIAISON)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    checked: list[int] = []

    def attack(n: int) -> None:
        try:
            barrier.wait()
            attempt, lock = lockout.attempt_begin(username="target", ip=f"10.0.0.{n}")
            if lock is None:
                checked.append(n)  # here the password would be checked, and be wrong
                lockout.attempt_failed(attempt)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attack, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(checked) == 5
    kinds = LoginAttempt.objects.filter(username="target")
    assert kinds.filter(kind=AttemptKind.FAILURE).count() == 5
    assert kinds.filter(kind=AttemptKind.BLOCKED).count() == THREADS - 5
    assert lockout.lock_status(username="target", ip="10.0.0.99") is not None
