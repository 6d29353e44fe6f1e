"""Two writers on PostgreSQL, each auditing its change: the chain's advisory lock must not
deadlock with a foreign-key check that Django defers to commit.

A inserts a row pointing at unit R (its key check waits for commit), B locks R for update,
A audits (takes the chain lock), B audits (waits for it). Were A's key check left to commit,
it would wait for B while B waits for A: PostgreSQL's "deadlock detected", seen as a 500 when
two application processes assigned tasks at once (tests/scaleout). The chain lock runs the
pending checks first, so A waits for B before it holds the chain, and both commit."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_log
from luoshi.org.models import Role, Unit, User

_POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="advisory locks and deferred checks: PostgreSQL"
)


def _run_both(writer_a, writer_b, errors: list[BaseException]) -> None:
    """Both writers in their own threads (own connections); neither fails, both audit."""
    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"test.a", "test.b"}


@_POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_deferred_key_check_does_not_deadlock_with_the_chain_lock():
    unit = Unit.objects.create(name="市发展改革委", short_name="发改委")
    b_holds_row = threading.Event()
    a_audited = threading.Event()
    errors: list[BaseException] = []

    def writer_a():
        try:
            with transaction.atomic():
                User.objects.create_user("a1", role=Role.LIAISON, unit=unit)
                b_holds_row.wait(10)
                audit_log(actor=None, action="test.a")
                a_audited.set()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
            a_audited.set()
        finally:
            connections.close_all()

    def writer_b():
        try:
            with transaction.atomic():
                Unit.objects.select_for_update().get(pk=unit.pk)
                b_holds_row.set()
                # A is now blocked on this row (fixed) or holds the chain lock (the bug);
                # either way B goes on to audit after a moment
                a_audited.wait(2)
                audit_log(actor=None, action="test.b")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    _run_both(writer_a, writer_b, errors)
    assert User.objects.filter(username="a1", unit=unit).exists()


@_POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_key_check_after_the_chain_lock_does_not_wait_on_a_row_lock():
    """A audits first (holds the chain), then inserts a row pointing at unit R; B locks R as
    Luoshi's services do (FOR NO KEY UPDATE) and audits. A's check at commit takes a KEY SHARE
    lock, which B's lock allows: A commits, then B. (With FOR UPDATE it was a deadlock: seen
    when one supervisor numbered tasks in a source while another assigned one.)"""
    unit = Unit.objects.create(name="市交通运输局", short_name="交通局")
    a_holds_chain = threading.Event()
    b_holds_row = threading.Event()
    errors: list[BaseException] = []

    def writer_a():
        try:
            with transaction.atomic():
                audit_log(actor=None, action="test.a")
                a_holds_chain.set()
                b_holds_row.wait(10)
                User.objects.create_user("a2", role=Role.LIAISON, unit=unit)
        except BaseException as exc:
            errors.append(exc)
        finally:
            a_holds_chain.set()
            connections.close_all()

    def writer_b():
        try:
            a_holds_chain.wait(10)
            with transaction.atomic():
                Unit.objects.select_for_update(no_key=True).get(pk=unit.pk)
                b_holds_row.set()
                audit_log(actor=None, action="test.b")
        except BaseException as exc:
            errors.append(exc)
        finally:
            b_holds_row.set()
            connections.close_all()

    _run_both(writer_a, writer_b, errors)


def test_every_row_lock_leaves_key_checks_alone():
    """The rule the test above relies on, kept in the code: no plain select_for_update()."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "luoshi"
    plain = []
    for path in root.rglob("*.py"):
        text = path.read_text()
        for match in re.finditer(r"select_for_update\(([^)]*\)?[^)]*)\)", text):
            if "no_key=True" not in match.group(1):
                plain.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert plain == []
