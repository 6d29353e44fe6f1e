"""The daily tick (每日例行): one day's scheduled work, run by the worker every morning and by
hand with `luoshi tick --today D`.

Steps, in this order, each with the clock pinned to `today`:
  1. lights         recompute every task's light and progress (tasks.services.refresh)
  2. supervision    the escalation ladder: 提醒, 催办, 督办单, notice to the leader
  3. rechecks       回头看 that fall due
  4. campaigns      督查通知 due (notice_days_ahead working days before an inspection; never 暗访)
  5. notifications  the daily digest
  6. security       log-in attempts older than 180 days removed (luoshi/security/daily.py)

A step other than lights is the `run_daily(*, today) -> dict[str, int]` of its app's `daily`
module, and runs only where that module exists. Every step is idempotent for one date: a
second run, a run after a crash or a second worker at the same time changes nothing more
(each step claims its work with rows under unique constraints, or, for lights, writes only
rows that still hold what it read). A step that fails does not stop the later ones; the tick
then raises TickFailed once all have run, so the worker retries it (harmlessly).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
import time
from collections.abc import Callable, Iterable

from django.utils.translation import gettext_lazy as _

from luoshi.lib import clock
from luoshi.tasks.services.refresh import lights_refresh_all

logger = logging.getLogger("luoshi.tick")

# (step name, dotted path of the module whose run_daily it calls; None for lights)
STEPS: list[tuple[str, str | None]] = [
    ("lights", None),
    ("supervision", "luoshi.supervision.daily"),
    ("rechecks", "luoshi.rechecks.daily"),
    ("campaigns", "luoshi.campaigns.daily"),
    ("notifications", "luoshi.notifications.daily"),
    ("security", "luoshi.security.daily"),  # log-in attempts past their retention
]

STEP_TITLES = {
    "lights": _("亮灯"),
    "supervision": _("督办升级"),
    "rechecks": _("回头看"),
    "campaigns": _("督查通知"),
    "notifications": _("每日汇总"),
    "security": _("登录记录清理"),
}


def step_title(name: str) -> str:
    return str(STEP_TITLES.get(name, name))


class TickFailed(Exception):
    def __init__(self, summary: dict, failures: dict[str, BaseException]):
        self.summary = summary
        self.failures = failures
        super().__init__(
            "daily tick steps failed: "
            + ", ".join(f"{name} ({exc!r})" for name, exc in failures.items())
        )


def _module_exists(path: str) -> bool:
    try:
        return importlib.util.find_spec(path) is not None
    except ModuleNotFoundError:  # the parent package is missing
        return False


def tick_steps(only: Iterable[str] | None = None) -> list[tuple[str, Callable[..., dict]]]:
    """The steps present in this installation, in order (optionally only those named)."""
    wanted = set(only) if only is not None else None
    steps: list[tuple[str, Callable[..., dict]]] = []
    for name, path in STEPS:
        if wanted is not None and name not in wanted:
            continue
        if path is None:
            steps.append((name, lights_refresh_all))
        elif _module_exists(path):
            steps.append((name, importlib.import_module(path).run_daily))
    return steps


def daily_tick(
    *,
    today: dt.date,
    only: Iterable[str] | None = None,
    timings: dict[str, float] | None = None,
) -> dict[str, int]:
    """Run the scheduled work of `today` and return a merged summary: the lights step's counts
    as they are ({"tasks": n, "changed": m, "green": …, "yellow": …, "red": …, "blue": …,
    "none": …}), then each other step's counts prefixed with its name ("supervision.urged": 3).

    `only` limits the run to the named steps (the worker sends the digest later in the
    morning than the rest); `timings`, when given, receives each step's duration in seconds.
    """
    summary: dict[str, int] = {}
    failures: dict[str, BaseException] = {}
    with clock.pinned_today(today):
        for name, run in tick_steps(only):
            started = time.perf_counter()
            try:
                result = run(today=today) or {}
            except Exception as exc:
                logger.exception("daily tick %s: step %s failed", today, name)
                failures[name] = exc
                continue
            finally:
                elapsed = time.perf_counter() - started
                if timings is not None:
                    timings[name] = elapsed
            logger.info("daily tick %s: %s in %.1f s: %s", today, name, elapsed, result)
            if name == "lights":
                summary.update(result)
            else:
                summary.update({f"{name}.{key}": value for key, value in result.items()})
    if failures:
        raise TickFailed(summary, failures)
    return summary
