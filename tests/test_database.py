"""The database set-up: SQLite in WAL with immediate transactions, and writers from several
threads at once neither fail with 'database is locked' nor fork the audit hash chain (on
SQLite and on PostgreSQL alike)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_log, audit_verify
from luoshi.workcal.models import CalendarDay, DayKind

WRITERS = 6
EVENTS_EACH = 25


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
@pytest.mark.django_db
def test_sqlite_runs_in_wal_with_a_busy_timeout_and_foreign_keys():
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _run_writers(target) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def worker(n: int) -> None:
        try:
            start.wait()
            target(n)
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_audit_writers_neither_lock_out_nor_fork_the_chain():
    def write(n: int) -> None:
        for i in range(EVENTS_EACH):
            audit_log(actor=None, action="test.concurrent", data={"writer": n, "i": i})

    errors = _run_writers(write)

    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == WRITERS * EVENTS_EACH
    assert audit_verify() == []
    # every event has its own predecessor: no two events share one
    prevs = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == len(set(prevs))


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_then_write_transactions_all_commit():
    """The pattern that fails on SQLite with deferred transactions: read, then write, in one
    transaction, from several connections at once."""
    from django.db import transaction

    def write(n: int) -> None:
        for i in range(EVENTS_EACH):
            with transaction.atomic():
                CalendarDay.objects.filter(note="x").count()
                CalendarDay.objects.create(
                    date=f"20{30 + n}-01-{i + 1:02d}", kind=DayKind.WORKDAY, note=f"w{n}"
                )

    errors = _run_writers(write)

    assert errors == []
    assert CalendarDay.objects.count() == WRITERS * EVENTS_EACH


@pytest.mark.django_db(transaction=True)
def test_concurrent_task_creation_under_one_source_draws_distinct_codes():
    from luoshi.org.models import Role, User
    from luoshi.tasks.models import Task
    from luoshi.tasks.services.editing import task_create
    from luoshi.tasks.services.sources import source_create

    office = User.objects.create_user("office", password="x-Secret-1", role=Role.SUPERVISOR)
    source = source_create(actor=office, kind="work_report", title="政府工作报告")

    def write(n: int) -> None:
        for i in range(5):
            task_create(actor=office, source=source, title=f"任务 {n}-{i}", ongoing=True)

    errors = _run_writers(write)

    assert errors == []
    codes = list(Task.objects.values_list("code", flat=True))
    assert len(codes) == WRITERS * 5 == len(set(codes))
