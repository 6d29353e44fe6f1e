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


@lru_cache(maxsize=256)
def _package_year(year: int) -> bytes:
    """The package's verdict for every day of `year`: byte i is 1 when Jan 1 + i works."""
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days if year < dt.MAXYEAR else 365
    return bytes(_package_is_workday(first + dt.timedelta(days=i)) for i in range(days))


def package_holiday_name(day: dt.date) -> str:
    """The holiday's name from the package (English, e.g. "National Day"), or ""."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return (name or "") if is_holiday else ""


class WorkCalendar:
    """A snapshot of the calendar: the overrides are read once, at construction.

    Each year that is asked about is turned once into a table of running counts of working
    days (a prefix sum), so that counting the working days between two dates costs two
    look-ups whatever the distance: the daily tick asks this for every open task.
    """

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        if overrides is None:
            overrides = {
                d: kind == DayKind.WORKDAY
                for d, kind in CalendarDay.objects.values_list("date", "kind")
            }
        self._overrides = overrides
        # year -> (ordinal of 1 January, running[i] = working days in [1 Jan, 1 Jan + i])
        self._years: dict[int, tuple[int, list[int]]] = {}
        # year -> working days before 1 January, counted from the first year built (a base
        # that cancels out in every difference)
        self._bases: dict[int, int] = {}
        # day -> its rank: working days up to and including it, from the same base
        self._ranks: dict[dt.date, int] = {}
        # results of pure functions of this snapshot, e.g. a report cycle's windows as of a day
        self.memo: dict = {}

    def _year(self, year: int) -> tuple[int, list[int]]:
        table = self._years.get(year)
        if table is None:
            first = dt.date(year, 1, 1)
            flags = bytearray(_package_year(year))
            for day, works in self._overrides.items():
                if day.year == year:
                    flags[(day - first).days] = works
            running, count = [], 0
            for flag in flags:
                count += flag
                running.append(count)
            table = self._years[year] = (first.toordinal(), running)
        return table

    def _base(self, year: int) -> int:
        bases = self._bases
        if year in bases:
            return bases[year]
        if not bases:
            bases[year] = 0
            return 0
        low, high = min(bases), max(bases)
        while year > high:  # the years between are needed for any count across them
            bases[high + 1] = bases[high] + self._year(high)[1][-1]
            high += 1
        while year < low:
            bases[low - 1] = bases[low] - self._year(low - 1)[1][-1]
            low -= 1
        return bases[year]

    def _rank(self, day: dt.date) -> int:
        rank = self._ranks.get(day)
        if rank is None:
            first, running = self._year(day.year)
            rank = self._ranks[day] = self._base(day.year) + running[day.toordinal() - first]
        return rank

    def is_working_day(self, day: dt.date) -> bool:
        first, running = self._year(day.year)
        i = day.toordinal() - first
        return running[i] != (running[i - 1] if i else 0)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days from `start` until `end`.

        Negative when `end` is before `start` (then it counts the days in (end, start]).
        """
        ranks = self._ranks
        a = ranks.get(start)
        if a is None:
            a = self._rank(start)
        b = ranks.get(end)
        if b is None:
            b = self._rank(end)
        return b - a

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
