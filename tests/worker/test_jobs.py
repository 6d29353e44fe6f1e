"""The worker's schedule (Asia/Shanghai): the day's tick once it is 06:00, the digest once it
is 08:00, each once a day however often the check runs, caught up by a worker that was down at
the hour, tried again after a failure; deliveries every minute; jobs queued on commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from luoshi.tasks.services import tick
from luoshi.worker import claims, jobs
from luoshi.worker.models import ScheduledRun

from .conftest import DAY
from .fakes import CALLS

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(monkeypatch):
    """The tick's steps replaced by stand-ins that record their calls."""
    CALLS.clear()
    monkeypatch.setattr(
        tick,
        "STEPS",
        [
            ("lights", "worker.fakes.first"),
            ("supervision", "worker.fakes.first"),
            ("notifications", "worker.fakes.last"),
        ],
    )
    yield CALLS
    CALLS.clear()


def at(monkeypatch, day: dt.date, hour: int, minute: int = 0) -> None:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    monkeypatch.setattr(jobs.clock, "now", lambda: moment)


def check() -> dict:
    return jobs.daily_work_when_due.call_local()


def test_nothing_runs_before_six(monkeypatch, steps):
    at(monkeypatch, DAY, 5, 50)
    assert check() == {}
    assert steps == []


def test_the_tick_runs_once_from_six_and_the_digest_once_from_eight(monkeypatch, steps):
    at(monkeypatch, DAY, 6, 0)
    result = check()
    assert list(result) == ["tick"]
    assert steps == [("first", DAY), ("first", DAY)]  # lights and ladder, not the digest

    at(monkeypatch, DAY, 7, 50)
    assert check() == {"tick": None}  # done for the day
    assert len(steps) == 2

    at(monkeypatch, DAY, 8, 0)
    assert check()["digest"] == {"notifications.sent": 1, "notifications.skipped": 0}
    assert steps[2:] == [("last", DAY)]
    at(monkeypatch, DAY, 23, 50)
    assert check() == {"tick": None, "digest": None}
    assert len(steps) == 3

    at(monkeypatch, DAY + dt.timedelta(days=1), 6, 10)  # the next day starts afresh
    check()
    assert len(steps) == 5


def test_a_worker_that_was_down_at_six_catches_up(monkeypatch, steps):
    at(monkeypatch, DAY, 14, 30)
    assert set(check()) == {"tick", "digest"}
    assert [name for name, _ in steps] == ["first", "first", "last"]


def test_a_failed_tick_is_not_marked_done_and_runs_again(monkeypatch, steps):
    monkeypatch.setattr(
        tick, "STEPS", [("lights", "worker.fakes.broken"), ("supervision", "worker.fakes.first")]
    )
    at(monkeypatch, DAY, 6, 0)
    with pytest.raises(tick.TickFailed):
        check()
    at(monkeypatch, DAY, 6, 10)
    with pytest.raises(tick.TickFailed):
        check()
    assert [name for name, _ in steps] == ["broken", "first", "broken", "first"]
    monkeypatch.setattr(tick, "STEPS", [("supervision", "worker.fakes.first")])
    at(monkeypatch, DAY, 6, 20)
    assert check()["tick"] == {"supervision.done": 2}


def test_the_marks_are_kept_in_the_database_not_the_queue_store(monkeypatch, steps):
    """The queue's store emptied (a Redis restart without persistence forgets every key): the
    day's tick is still known to be done and does not run again."""
    at(monkeypatch, DAY, 6, 0)
    assert check()["tick"] == {"done": 2, "supervision.done": 2}
    HUEY.storage.flush_all()
    assert check() == {"tick": None}
    assert len(steps) == 2
    run = ScheduledRun.objects.get(what="tick", day=DAY)
    assert run.status == ScheduledRun.Status.DONE
    assert run.summary == {"done": 2, "supervision.done": 2}
    assert run.finished_at is not None


def test_a_run_held_by_another_worker_is_left_to_it(monkeypatch, steps):
    at(monkeypatch, DAY, 6, 0)
    claims.scheduled_run_claim(what="tick", day=DAY, now=timezone.now(), owner="other:1:x")
    assert check() == {"tick": None}
    assert steps == []


def test_a_run_taken_over_midway_stops_at_the_next_step(monkeypatch, steps):
    """This worker was too slow: its lease passed and another took the run over. It stops
    before its next step and leaves the outcome to the new holder."""
    real_renew = claims.scheduled_run_renew
    renewals = []

    def renew_then_lose(*, run, now):
        renewals.append(run.owner)
        if len(renewals) == 2:  # before the second step another worker holds the run
            ScheduledRun.objects.filter(pk=run.pk).update(owner="other:1:x")
        return real_renew(run=run, now=now)

    monkeypatch.setattr(jobs, "scheduled_run_renew", renew_then_lose)
    at(monkeypatch, DAY, 6, 0)
    assert check() == {"tick": None}
    assert steps == [("first", DAY)]  # lights ran, the ladder was left to the new holder
    run = ScheduledRun.objects.get(what="tick", day=DAY)
    assert (run.owner, run.status) == ("other:1:x", ScheduledRun.Status.RUNNING)


def test_deliveries_are_sent_every_minute(monkeypatch):
    sent = []
    monkeypatch.setattr(
        "luoshi.notifications.sending.deliveries_send_due", lambda: sent.append(1) or {"sent": 0}
    )
    assert jobs.deliveries_send.call_local() == {"sent": 0}
    assert sent == [1]


def test_the_schedule_is_registered_with_the_queue():
    periodic = {HUEY._registry.task_to_string(task) for task in HUEY._registry._periodic_tasks}
    assert {"luoshi.worker.jobs.daily_work_when_due", "luoshi.worker.jobs.deliveries_send"} <= (
        periodic
    )


def test_a_queued_tick_runs_only_once_the_transaction_commits(
    steps, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs.daily_tick_enqueue(today=DAY)
    assert steps == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the (immediate) queue runs the job with the date as text
    assert ("last", DAY) in steps
