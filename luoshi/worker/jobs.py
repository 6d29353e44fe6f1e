"""The schedule (Asia/Shanghai): the daily tick from 06:00, the digest from 08:00, the outgoing
deliveries every minute.

The daily jobs are checked every ten minutes rather than fired once at a fixed minute: the
first check at or after the hour runs the day's work and marks it done in the queue's store,
so a worker that was down at 06:00 catches up when it comes back, and a failed run is tried
again ten minutes later. Every step of the tick is idempotent, so a run that is repeated (two
schedulers, a crash between the work and the mark) changes nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from luoshi.lib import clock
from luoshi.tasks.services.tick import daily_tick

logger = logging.getLogger("luoshi.worker")

TICK_AT = dt.time(6, 0)
DIGEST_AT = dt.time(8, 0)
# what runs at TICK_AT: every step but the digest, which waits for the working day to start
MORNING_STEPS = ("lights", "supervision", "rechecks")
DIGEST_STEPS = ("notifications",)


def _done_key(what: str, day: dt.date) -> str:
    return f"luoshi.done.{what}.{day.isoformat()}"


def run_once_a_day(what: str, day: dt.date, steps: tuple[str, ...]) -> dict | None:
    """Run `steps` of the tick for `day` unless they are marked done; then mark them. Returns
    the summary, or None when they were done already.

    No lock is taken: two schedulers (several consumers on one Redis queue, each with its
    scheduler on) may both start the day's work, which is safe, since every step claims its
    work row by row; the second finds nothing left. Run the scheduler in one consumer only
    (`run_huey --no-periodic` on the others) to spare the duplicate reading."""
    if HUEY.get(_done_key(what, day), peek=True):
        return None
    summary = daily_tick(today=day, only=steps)
    HUEY.put(_done_key(what, day), timezone.now().isoformat())
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
