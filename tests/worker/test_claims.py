"""Claims of scheduled work (luoshi/worker/claims.py): one worker per (work, day), a failed or
abandoned run taken over by one worker only, a worker that lost its claim writing nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from luoshi.worker.claims import (
    LEASE,
    scheduled_run_claim,
    scheduled_run_finish,
    scheduled_run_renew,
)
from luoshi.worker.models import ScheduledRun

from .conftest import DAY

NOW = timezone.make_aware(dt.datetime(2026, 6, 15, 6, 0))
Status = ScheduledRun.Status


def claim(now=NOW, owner=None, what="tick", day=DAY):
    return scheduled_run_claim(what=what, day=day, now=now, owner=owner)


@pytest.mark.django_db
def test_the_first_claim_wins_and_a_second_finds_it_held():
    run = claim(owner="a")
    assert (run.owner, run.status, run.attempts) == ("a", Status.RUNNING, 1)
    assert run.lease_until == NOW + LEASE
    assert claim(owner="b", now=NOW + dt.timedelta(minutes=10)) is None
    assert ScheduledRun.objects.get().owner == "a"


@pytest.mark.django_db
def test_each_work_and_day_is_claimed_on_its_own():
    assert claim(owner="a") is not None
    assert claim(owner="b", what="digest") is not None
    assert claim(owner="c", day=DAY + dt.timedelta(days=1)) is not None
    assert ScheduledRun.objects.count() == 3


@pytest.mark.django_db
def test_a_done_run_is_never_claimed_again():
    run = claim(owner="a")
    assert scheduled_run_finish(run=run, now=NOW, summary={"changed": 3})
    for later in (NOW + LEASE * 3, NOW + dt.timedelta(days=2)):
        assert claim(owner="b", now=later) is None
    run.refresh_from_db()
    assert (run.status, run.summary, run.finished_at) == (Status.DONE, {"changed": 3}, NOW)


@pytest.mark.django_db
def test_a_failed_run_is_claimed_again_with_its_attempts_counted():
    run = claim(owner="a")
    assert scheduled_run_finish(run=run, now=NOW, summary={}, error="lights: boom")
    run.refresh_from_db()
    assert (run.status, run.error) == (Status.FAILED, "lights: boom")
    again = claim(owner="b", now=NOW + dt.timedelta(minutes=10))
    assert (again.owner, again.status, again.attempts, again.error) == (
        "b",
        Status.RUNNING,
        2,
        "",
    )
    assert again.finished_at is None


@pytest.mark.django_db
def test_a_held_run_is_taken_over_only_once_its_lease_has_passed():
    run = claim(owner="a")
    assert claim(owner="b", now=NOW + LEASE) is None  # the lease still holds at its last instant
    later = NOW + LEASE + dt.timedelta(seconds=1)
    taken = claim(owner="b", now=later)
    assert (taken.owner, taken.attempts, taken.lease_until) == ("b", 2, later + LEASE)
    # the first worker comes back: its claim is gone, it may neither renew nor finish
    assert not scheduled_run_renew(run=run, now=later)
    assert not scheduled_run_finish(run=run, now=later, summary={"x": 1})
    taken.refresh_from_db()
    assert (taken.owner, taken.status, taken.summary) == ("b", Status.RUNNING, {})


@pytest.mark.django_db
def test_renewing_pushes_the_lease_on():
    run = claim(owner="a")
    step = NOW + LEASE - dt.timedelta(minutes=1)
    assert scheduled_run_renew(run=run, now=step)
    assert claim(owner="b", now=NOW + LEASE + dt.timedelta(minutes=5)) is None
    run.refresh_from_db()
    assert run.lease_until == step + LEASE


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", ["new", "failed", "abandoned"])
def test_of_workers_claiming_at_once_exactly_one_wins(state):
    """Eight threads (each its own database connection) claim the same run at the same
    moment: a new one (insert races insert), a failed one and an abandoned one (conditional
    updates race)."""
    if state != "new":
        run = claim(owner="dead")
        if state == "failed":
            scheduled_run_finish(run=run, now=NOW, summary={}, error="boom")
    at = NOW + LEASE + dt.timedelta(minutes=1)
    barrier = threading.Barrier(8)
    won, errors = [], []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            if claim(owner=f"w{n}", now=at) is not None:
                won.append(n)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(won) == 1
    assert ScheduledRun.objects.get().owner == f"w{won[0]}"
