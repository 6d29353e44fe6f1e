"""Two workers at once: the ladder's daily run on the same day from two threads does every
rung once (one claim, one history entry, one notification each), and notices issued at the
same time from several threads get consecutive numbers, no gap and no duplicate. On SQLite
and on PostgreSQL alike (real connections, committed transactions)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connections

from luoshi.lib import clock
from luoshi.notifications.models import Notification
from luoshi.supervision import daily
from luoshi.supervision.models import EscalationStep, SupervisionNotice, Urge
from luoshi.supervision.services import notice_save
from luoshi.tasks.models import EventKind, TaskEvent
from tests.supervision.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(targets) -> list[BaseException]:
    """Start every target at once (a barrier), each in its own thread and connection."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def wrap(target):
        def run():
            try:
                start.wait()
                target()
            except BaseException as exc:  # collected and asserted on below
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


def test_two_workers_run_the_ladder_once(monkeypatch):
    world = build_world()
    for n in range(12):  # more tasks in the same places, so that the batches interleave
        world.make_task(f"推进第{n}批项目", dt.date(2026, 10, 9))
    monkeypatch.setattr(daily, "BATCH", 4)
    day = dt.date(2026, 10, 13)  # due 10-09: +3 notice and a daily 催办; due 10-03: daily 催办
    results: list[dict] = []

    def worker():
        with clock.pinned_today(day):
            results.append(daily.run_daily(today=day))

    assert run_together([worker, worker]) == []

    claims = list(EscalationStep.objects.values_list("task_id", "step", "on_date"))
    assert len(claims) == len(set(claims)) == 13 * 2 + 1
    assert sum(r.get("claimed", 0) for r in results) == len(claims)
    assert results[0]["due"] == results[1]["due"] == len(claims)
    urged = TaskEvent.objects.filter(kind=EventKind.URGED)
    assert urged.count() == Urge.objects.count() == 14
    assert Counter(urged.values_list("task_id", flat=True)).most_common(1)[0][1] == 1
    assert SupervisionNotice.objects.count() == 13
    keys = list(Notification.objects.values_list("recipient_id", "dedupe_key"))
    assert len(keys) == len(set(keys)) == 14 * 3 + 13  # 3 people per 催办, sup per draft

    # and a third run afterwards finds nothing left to do
    with clock.pinned_today(day):
        assert daily.run_daily(today=day).get("claimed", 0) == 0


def test_notices_issued_at_once_are_numbered_without_gap_or_duplicate():
    world = build_world()
    tasks = [world.national, world.holiday, world.later]
    today = dt.date(2026, 9, 10)

    def issuer(task):
        def run():
            with clock.pinned_today(today):
                for _ in range(3):
                    notice_save(
                        actor=world.sup,
                        task=task,
                        content="请书面回复。",
                        reply_by=dt.date(2026, 9, 14),
                    )

        return run

    assert run_together([issuer(t) for t in tasks * 2]) == []
    seqs = sorted(SupervisionNotice.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 19))
    assert set(SupervisionNotice.objects.values_list("year", flat=True)) == {2026}
