"""The schedule (Asia/Shanghai): the daily tick from 06:00, the digest from 08:00, the outgoing
deliveries every minute.

The daily jobs are checked every ten minutes rather than fired once at a fixed minute: the
first check at or after the hour claims the day's work in the database, runs it and marks it
done (luoshi/worker/claims.py), so a worker that was down at 06:00 catches up when it comes
back, and a failed run is tried again ten minutes later. Several consumers, each with its
scheduler on, on one or several machines: one claims the day's run, the others find it held or
done and do nothing, so the tick runs once and never interleaved with itself. (Every step of the
tick is idempotent as well, so a run taken over from a dead worker changes nothing twice.)
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from luoshi.lib import clock
from luoshi.tasks.services.tick import TickFailed, daily_tick
from luoshi.worker.claims import scheduled_run_claim, scheduled_run_finish, scheduled_run_renew

logger = logging.getLogger("luoshi.worker")

TICK_AT = dt.time(6, 0)
DIGEST_AT = dt.time(8, 0)
# what runs at TICK_AT: every step but the digest, which waits for the working day to start
MORNING_STEPS = ("lights", "supervision", "rechecks")
DIGEST_STEPS = ("notifications",)


def run_once_a_day(what: str, day: dt.date, steps: tuple[str, ...]) -> dict | None:
    """Run `steps` of the tick for `day` if this worker claims (`what`, `day`), then mark it
    done. Returns the summary, or None when the run was done already, is held by another
    worker, or was taken from this one (its lease passed) before it finished.

    A failing step does not stop the later ones; the run is then marked failed and TickFailed
    raised, so the next check (ten minutes later) claims it again."""
    run = scheduled_run_claim(what=what, day=day, now=timezone.now())
    if run is None:
        return None
    summary: dict = {}
    failures: dict[str, BaseException] = {}
    for step in steps:
        if not scheduled_run_renew(run=run, now=timezone.now()):
            logger.warning("%s for %s: taken over by another worker before %s", what, day, step)
            return None
        try:
            summary.update(daily_tick(today=day, only=(step,)))
        except TickFailed as exc:
            summary.update(exc.summary)
            failures.update(exc.failures)
    error = "; ".join(f"{name}: {exc!r}" for name, exc in failures.items())
    scheduled_run_finish(run=run, now=timezone.now(), summary=summary, error=error)
    if failures:
        raise TickFailed(summary, failures)
    logger.info("%s for %s done: %s", what, day, summary)
    return summary


@db_periodic_task(crontab(minute="*/10"))
def daily_work_when_due() -> dict:
    """Every ten minutes: the day's tick once it is 06:00, the digest once it is 08:00."""
    now = timezone.localtime(clock.now())
    today, results = now.date(), {}
    if now.time() >= TICK_AT:
        results["tick"] = run_once_a_day("tick", today, MORNING_STEPS)
    if now.time() >= DIGEST_AT:
        results["digest"] = run_once_a_day("digest", today, DIGEST_STEPS)
    return results


@db_periodic_task(crontab(minute="*"))
def deliveries_send() -> dict:
    """Every minute: send the deliveries (e-mail, group robots, SMS) that are due."""
    from luoshi.notifications.sending import deliveries_send_due

    return deliveries_send_due()


@db_task(retries=3, retry_delay=60)
def daily_tick_job(day: str) -> dict:
    """One day's whole tick (all steps) for the date `day` (YYYY-MM-DD), in the background."""
    return daily_tick(today=dt.date.fromisoformat(day))


def daily_tick_enqueue(*, today: dt.date) -> None:
    """Queue `daily_tick_job` for `today` once the current transaction commits."""
    transaction.on_commit(lambda: daily_tick_job(today.isoformat()))
