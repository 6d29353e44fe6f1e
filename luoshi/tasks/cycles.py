"""Report cycles (反馈周期): the windows in which a unit owes a progress report.

Each cycle cuts time into windows [start, end]; a window's deadline is its end, moved forward
to the next working day when the end is not one (遇节假日顺延). A window is *missed* once its
deadline has passed with no report dated on or after the window's start: a late report
catches the unit up. A window counts only if the task was assigned at least
FIRST_REPORT_GRACE_DAYS before its deadline, so a unit always has a week for its first report.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from luoshi.workcal.services import WorkCalendar

FIRST_REPORT_GRACE_DAYS = 7


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    deadline: dt.date


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def window_containing(cycle: str, day: dt.date, report_day: int | None = None) -> tuple:
    """(start, end) of the window of `cycle` that contains `day`."""
    if cycle == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if cycle == "semimonthly":
        if day.day <= 15:
            return day.replace(day=1), day.replace(day=15)
        return day.replace(day=16), _month_end(day.year, day.month)
    if cycle == "monthly":
        return day.replace(day=1), _month_end(day.year, day.month)
    if cycle == "quarterly":
        first_month = (day.month - 1) // 3 * 3 + 1
        end_month = first_month + 2
        return dt.date(day.year, first_month, 1), _month_end(day.year, end_month)
    if cycle == "monthly_day":
        n = report_day or 5
        # window (N of previous month, N of this month]
        if day.day <= n:
            py, pm = _add_months(day.year, day.month, -1)
            return dt.date(py, pm, n) + dt.timedelta(days=1), day.replace(day=n)
        ny, nm = _add_months(day.year, day.month, 1)
        return day.replace(day=n) + dt.timedelta(days=1), dt.date(ny, nm, n)
    raise ValueError(cycle)


def past_windows(
    cycle: str,
    today: dt.date,
    cal: WorkCalendar,
    *,
    report_day: int | None = None,
    count: int = 2,
) -> list[Window]:
    """The `count` most recent windows whose deadline is before `today`, newest first."""
    if cycle in ("", "none"):
        return []
    key = ("past_windows", cycle, today, report_day, count)
    found = cal.memo.get(key)
    if found is None:  # the same for every task of this cycle: computed once per calendar
        found = cal.memo[key] = _past_windows(cycle, today, cal, report_day, count)
    return list(found)


def _past_windows(
    cycle: str, today: dt.date, cal: WorkCalendar, report_day: int | None, count: int
) -> list[Window]:
    found: list[Window] = []
    probe = today
    for _ in range(count + 3):
        start, end = window_containing(cycle, probe, report_day)
        deadline = cal.add_working_days(end, 0)
        if deadline < today:
            found.append(Window(start, end, deadline))
            if len(found) == count:
                break
        probe = start - dt.timedelta(days=1)
    return found


def missed_windows(
    cycle: str,
    today: dt.date,
    cal: WorkCalendar,
    *,
    assigned_on: dt.date | None,
    last_report_on: dt.date | None,
    report_day: int | None = None,
) -> int:
    """How many of the two most recent past windows, consecutively from the newest, were
    missed: 0, 1 or 2."""
    if assigned_on is None:
        return 0
    missed = 0
    for window in past_windows(cycle, today, cal, report_day=report_day):
        if (window.deadline - assigned_on).days < FIRST_REPORT_GRACE_DAYS:
            break
        if last_report_on is not None and last_report_on >= window.start:
            break
        missed += 1
    return missed
