"""Report histories (进展反馈): for each unit on a task, one window of its report cycle after
another from the day it was assigned to the day it closed (or yesterday). In a window that has
ended, about 85 % of units reported on time, 8 % late (after the window's deadline) and 7 %
not at all; 3 % of the units on an open task never reported. The window running today is
reported in proportion to how much of it has passed. Tasks reported 不定期 (none) get a report
about every 45 days.

`--reports R` sets the total: the natural count of these windows is estimated first, then each
filed window gets extra reports (units often report more than they must) or, when R is below
the natural count, fewer windows are filed (the missing share rises, and the command says so).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from luoshi.generator import names
from luoshi.generator.tasks import CYCLE_DAYS, TaskRow
from luoshi.tasks.cycles import window_containing
from luoshi.tasks.models import TaskState

ON_TIME, LATE = 0.85, 0.93  # cumulative odds for a window that has ended
NEVER = 0.03
# submission times: 09:00–17:50 in Shanghai, as naive UTC
_TIMES = tuple(dt.time(h, m) for h in range(1, 10) for m in range(0, 60, 10))

REPORT_FIELDS = (
    "task_id", "unit_id", "author_id", "submitted_at", "report_date", "progress_text",
    "problems", "next_steps", "percent",
)  # fmt: skip


def reporting_end(task: TaskRow, today: dt.date) -> dt.date | None:
    """The last day the task's units report on, or None if they never report (not signed)."""
    if task.state == TaskState.ASSIGNED:
        return None
    end = today - dt.timedelta(days=1)
    if task.closed_on is not None:
        end = min(end, task.closed_on)
    if task.state in (TaskState.SUSPENDED, TaskState.CANCELLED):
        end = task.assigned_on + (end - task.assigned_on) * 2 // 3
    return end if end > task.assigned_on else None


def natural_count(tasks: list[TaskRow], today: dt.date) -> float:
    """About how many reports the standard proportions give for these tasks."""
    total = 0.0
    for task in tasks:
        end = reporting_end(task, today)
        if end is not None:
            windows = (end - task.assigned_on).days / CYCLE_DAYS[task.cycle] + 0.5
            total += windows * (1 + len(task.co_units))
    return total * LATE * (1 - NEVER)


def _windows(task: TaskRow, end: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    if task.cycle == "none":
        start = task.assigned_on
        while start <= end:
            yield start, start + dt.timedelta(days=44)
            start += dt.timedelta(days=45)
        return
    probe = task.assigned_on
    while probe <= end:
        start, stop = window_containing(task.cycle, probe, task.report_day)
        yield max(start, task.assigned_on), stop
        probe = stop + dt.timedelta(days=1)


class ReportPlanner:
    """Yields report rows task by task and sets each task's and assignment's last report."""

    def __init__(self, rng: random.Random, today: dt.date, factor: float, liaison: dict):
        self.rng, self.today, self.liaison = rng, today, liaison
        self.file_odds = min(1.0, factor)  # below 1: fewer windows filed
        self.extra = max(0.0, factor - 1.0)  # above 1: extra reports per filed window
        # (task id, unit id) → (last report date, percent) for TaskUnit rows
        self.last: dict[tuple[int, int], tuple[dt.date, int]] = {}

    def rows(self, tasks: list[TaskRow]) -> Iterator[tuple]:
        for task in tasks:
            end = reporting_end(task, self.today)
            if end is None:
                continue
            for unit in (task.lead_unit, *task.co_units):
                yield from self._unit_rows(task, unit, end)
            lead = self.last.get((task.id, task.lead_unit))
            if lead is not None:
                task.last_report_on, task.progress = lead
            if task.state == TaskState.CLOSED:
                task.progress = 100

    def _unit_rows(self, task: TaskRow, unit: int, end: dt.date) -> Iterator[tuple]:
        rng = self.rng
        if task.state != TaskState.CLOSED and rng.random() < NEVER:
            return
        author = self.liaison[unit]
        span = max(30, ((task.due or task.assigned_on + dt.timedelta(365)) - task.assigned_on).days)
        speed = rng.uniform(0.6, 1.25)
        last = None
        for start, stop in _windows(task, end):
            if stop <= end:  # the window has ended: on time, late or missing
                odds = rng.random()
                if odds < ON_TIME:
                    day = start + dt.timedelta(days=int(rng.random() * ((stop - start).days + 1)))
                elif odds < LATE:
                    day = stop + dt.timedelta(days=1 + int(rng.random() * 10))
                    if day > end:
                        continue
                else:
                    continue
            else:  # the window running on the last day: reported as far as it has gone
                if rng.random() > 0.9 * ((end - start).days + 1) / ((stop - start).days + 1):
                    continue
                day = start + dt.timedelta(days=int(rng.random() * ((end - start).days + 1)))
            if self.file_odds < 1.0 and rng.random() > self.file_odds:
                continue
            count = 1 + int(self.extra) + (rng.random() < self.extra % 1)
            for k in range(count):
                on = day if k == 0 else min(end, day + dt.timedelta(days=int(rng.random() * 7)))
                percent = min(95, int(100 * speed * (on - task.assigned_on).days / span))
                if task.state == TaskState.CLOSED and on >= end:
                    percent = 100
                pick = rng.random()
                yield (
                    task.id,
                    unit,
                    author,
                    dt.datetime.combine(on, _TIMES[int(pick * len(_TIMES))]),
                    on,
                    names.PROGRESS[int(pick * 6007) % len(names.PROGRESS)],
                    names.PROBLEMS[int(pick * 7919) % len(names.PROBLEMS)],
                    names.NEXT_STEPS[int(pick * 5003) % len(names.NEXT_STEPS)],
                    percent,
                )
                if last is None or on >= last[0]:
                    last = (on, percent)
        if last is not None:
            self.last[(task.id, unit)] = last
