"""A year of the work calendar laid out as 12 month grids, for the calendar page."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.utils.translation import gettext_lazy

from luoshi.workcal.models import CalendarDay
from luoshi.workcal.services import WorkCalendar, package_holiday_name

# The package names holidays in English; it also knows their Chinese names. The usual ones
# are marked here so that the page shows them in the reader's language.
HOLIDAY_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday} | {
    "New Year's Day": gettext_lazy("元旦"),
    "Spring Festival": gettext_lazy("春节"),
    "Tomb-sweeping Day": gettext_lazy("清明"),
    "Labour Day": gettext_lazy("劳动节"),
    "Dragon Boat Festival": gettext_lazy("端午"),
    "National Day": gettext_lazy("国庆节"),
    "Mid-autumn Festival": gettext_lazy("中秋"),
}


@dataclass
class Day:
    date: dt.date
    in_month: bool
    working: bool = False
    holiday: str = ""  # the public holiday's name, from the package
    makeup: bool = False  # 调休: a weekend that is a working day
    override: CalendarDay | None = None
    today: bool = False

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def css(self) -> str:
        if not self.in_month:
            return "out"
        parts = ["work" if self.working else "rest"]
        if self.holiday:
            parts.append("holiday")
        if self.makeup:
            parts.append("makeup")
        if self.override is not None:
            parts.append("override")
        if self.today:
            parts.append("today")
        return " ".join(parts)


@dataclass
class Month:
    number: int
    weeks: list[list[Day]]
    working_days: int

    @property
    def first(self) -> dt.date:
        """The month's first day, for naming the month in the reader's language."""
        return next(day.date for day in self.weeks[0] if day.in_month)


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def year_grid(year: int, *, today: dt.date) -> list[Month]:
    overrides = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    cal = WorkCalendar()
    months = []
    for number in range(1, 13):
        weeks = []
        count = 0
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, number):
            row = []
            for date in week:
                if date.month != number:
                    row.append(Day(date=date, in_month=False))
                    continue
                working = cal.is_working_day(date)
                count += working
                name = package_holiday_name(date)
                row.append(
                    Day(
                        date=date,
                        in_month=True,
                        working=working,
                        holiday=str(HOLIDAY_NAMES.get(name, name)) if name else "",
                        makeup=working and date.weekday() >= 5,
                        override=overrides.get(date),
                        today=date == today,
                    )
                )
            weeks.append(row)
        months.append(Month(number=number, weeks=weeks, working_days=count))
    return months
