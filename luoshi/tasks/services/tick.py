"""The daily tick (每日例行): one day's scheduled work, run once a day by `luoshi tick`.

For now it recomputes every task's light and progress as of `today`; the escalation ladder
(提醒、催办、督办单) will add its steps here, each idempotent per task and day.
"""

from __future__ import annotations

import datetime as dt

from luoshi.lib import clock
from luoshi.tasks.services.refresh import lights_refresh_all


def daily_tick(*, today: dt.date) -> dict[str, int]:
    """Run the scheduled work of `today` with the clock pinned to it, and return a summary:
    {"tasks": n, "changed": m, "green": …, "yellow": …, "red": …, "blue": …, "none": …}."""
    with clock.pinned_today(today):
        summary = lights_refresh_all(today=today)
    return summary
