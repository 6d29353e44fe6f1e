"""Working-day arithmetic (工作日历).

Whether a date is a working day is decided, in order, by:
  1. an administrator's override (CalendarDay), which always wins;
  2. the `chinese_calendar` package, for the years it knows (public holidays and 调休);
  3. otherwise Monday to Friday.

`WorkCalendar` loads the overrides once, so that computing lights for many tasks does not
query the database per date.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.db import transaction

from luoshi.audit.services import audit_log
from luoshi.workcal.models import CalendarDay, DayKind


@lru_cache(maxsize=4096)
def _package_is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package does not know yet
        return day.weekday() < 5


def package_holiday_name(day: dt.date) -> str:
    """The holiday's name from the package (English, e.g. "National Day"), or ""."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return (name or "") if is_holiday else ""


class WorkCalendar:
    """A snapshot of the calendar: the overrides are read once, at construction."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        if overrides is None:
            overrides = {
                d: kind == DayKind.WORKDAY
                for d, kind in CalendarDay.objects.values_list("date", "kind")
            }
        self._overrides = overrides

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        return _package_is_workday(day)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days from `start` until `end`.

        Negative when `end` is before `start` (then it counts the days in (end, start]).
        """
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        day = start + dt.timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += dt.timedelta(days=1)
        return sign * count

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date `n` working days after `start` (before it when n < 0). n == 0 gives the
        first working day on or after `start`."""
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        step = dt.timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def previous_working_day_on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day


def work_calendar() -> WorkCalendar:
    return WorkCalendar()


def calendar_day_set(*, actor, day: dt.date, kind: str, note: str = "") -> CalendarDay:
    """Create or change the override for one date."""
    with transaction.atomic():
        entry, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={"kind": kind, "note": note, "updated_by": actor}
        )
        audit_log(
            actor=actor,
            action="workcal.day.set",
            obj=entry,
            data={"date": day.isoformat(), "kind": kind, "note": note},
        )
    return entry


def calendar_day_clear(*, actor, day: dt.date) -> bool:
    """Remove an override so the package decides again. Returns whether one existed."""
    with transaction.atomic():
        deleted, _ = CalendarDay.objects.filter(date=day).delete()
        if deleted:
            audit_log(actor=actor, action="workcal.day.clear", data={"date": day.isoformat()})
    return bool(deleted)
