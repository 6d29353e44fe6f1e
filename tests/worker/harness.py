"""A worker process for the fault tests (run with PYTHONPATH=tests:.):

    python -m worker.harness consume 2026-06-15   queue the day's tick, then run huey's consumer
    python -m worker.harness tick 2026-06-15      run the day's tick directly, then exit

Environment: LUOSHI_TEST_DB_NAME and LUOSHI_TEST_QUEUE (see consumer_settings);
LUOSHI_TEST_SLOW, seconds that every clock.now() waits, with batches of 5 rows, so that a tick
is slow enough to be killed in the middle of a step; LUOSHI_TEST_DONE, a file the consumer
writes "ok" (or the error) to when a job has finished.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path


def _slow_down(seconds: float) -> None:
    from luoshi.lib import clock
    from luoshi.tasks.services import refresh

    real_now = clock.now

    def slow_now():
        time.sleep(seconds)
        return real_now()

    clock.now = slow_now
    refresh.BATCH = 5
    try:
        from luoshi.supervision import daily as ladder
    except ImportError:
        return
    if hasattr(ladder, "BATCH"):
        ladder.BATCH = 5


def main(mode: str, day: str) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "worker.consumer_settings"
    import django

    django.setup()
    slow = float(os.environ.get("LUOSHI_TEST_SLOW") or 0)
    if slow:
        _slow_down(slow)

    import datetime as dt

    if mode == "tick":
        from luoshi.tasks.services.tick import daily_tick

        print(daily_tick(today=dt.date.fromisoformat(day)), flush=True)
        return 0

    from huey import signals
    from huey.contrib.djhuey import HUEY

    from luoshi.worker.jobs import daily_tick_job

    done = Path(os.environ["LUOSHI_TEST_DONE"])

    @HUEY.signal(signals.SIGNAL_COMPLETE)
    def _complete(signal, task):
        done.write_text("ok")

    @HUEY.signal(signals.SIGNAL_ERROR)
    def _error(signal, task, exc=None):
        done.write_text("error: " + "".join(traceback.format_exception(exc)))

    daily_tick_job(day)  # queued in the file; the consumer below takes it
    HUEY.create_consumer(workers=1, periodic=False, worker_type="thread").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
