"""Exactly-once scheduled work across workers and machines: a worker claims one day's run of
a piece of work ("tick", "digest") with a row in the database before doing it.

- The first claim INSERTs the (what, day) row; the unique constraint lets one insert win
  (PostgreSQL makes a concurrent second insert wait for the first and then fail).
- Taking a run over is one conditional UPDATE (healthchecks' sendalerts pattern): only a
  failed run, or a running one whose lease has passed (its worker died or hangs), matches the
  WHERE clause, so of two workers at once only one updates the row.
- The worker renews its lease before each step and writes the outcome under its owner token:
  a worker that lost its claim (it was too slow, another took over) stops at the next step.

Why the database and not Redis SET NX with an expiry: the mark must outlive the queue's store.
A Redis without persistence (this machine's: appendonly no, no save) forgets every key on a
restart, and the day's tick would run again; the database is the one thing every worker on
every machine shares and that keeps the work's results, so the mark is kept with them.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from luoshi.worker.models import ScheduledRun

# Renewed before each step; longer than any one step of the tick at province scale
# (docs/BENCHMARKS.md: the whole tick over 200,000 tasks in under a minute of CPU).
LEASE = dt.timedelta(minutes=20)

Status = ScheduledRun.Status


def claim_owner() -> str:
    """A token naming this process (host and pid, for people reading the table) uniquely."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def scheduled_run_claim(
    *, what: str, day: dt.date, now: dt.datetime, owner: str | None = None
) -> ScheduledRun | None:
    """Claim `what` for `day`: the run row when this worker is to do the work, None when it is
    done or another worker holds it."""
    owner = owner or claim_owner()
    return _insert_new(what, day, now, owner) or _take_over(what, day, now, owner)


def _insert_new(what: str, day: dt.date, now: dt.datetime, owner: str) -> ScheduledRun | None:
    """The first claim of the day: a new row, or None when the row exists (done, held,
    failed or abandoned)."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                what=what,
                day=day,
                status=Status.RUNNING,
                owner=owner,
                started_at=now,
                lease_until=now + LEASE,
            )
    except IntegrityError:
        return None


def _take_over(what: str, day: dt.date, now: dt.datetime, owner: str) -> ScheduledRun | None:
    """A failed run, or one whose lease has passed, taken by one conditional UPDATE."""
    taken = (
        ScheduledRun.objects.filter(what=what, day=day)
        .filter(Q(status=Status.FAILED) | Q(status=Status.RUNNING, lease_until__lt=now))
        .update(
            status=Status.RUNNING,
            owner=owner,
            started_at=now,
            lease_until=now + LEASE,
            finished_at=None,
            error="",
            attempts=F("attempts") + 1,
        )
    )
    if not taken:
        return None
    return ScheduledRun.objects.get(what=what, day=day, owner=owner)


def scheduled_run_renew(*, run: ScheduledRun, now: dt.datetime) -> bool:
    """Extend the lease; False when the run is no longer this worker's (taken over)."""
    return bool(
        ScheduledRun.objects.filter(pk=run.pk, owner=run.owner, status=Status.RUNNING).update(
            lease_until=now + LEASE
        )
    )


def scheduled_run_finish(
    *, run: ScheduledRun, now: dt.datetime, summary: dict, error: str = ""
) -> bool:
    """Mark the run done (no error) or failed (to be claimed again by the next check)."""
    return bool(
        ScheduledRun.objects.filter(pk=run.pk, owner=run.owner, status=Status.RUNNING).update(
            status=Status.FAILED if error else Status.DONE,
            finished_at=now,
            summary=summary,
            error=error,
        )
    )
