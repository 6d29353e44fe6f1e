"""工作日历: the 2026 Chinese calendar as WorkCalendar sees it.

Order of authority: an administrator's override (CalendarDay) > the chinese_calendar package
(public holidays and 调休) > Monday to Friday for a year the package does not know.

The 2026 dates below are the State Council's schedule (国办发明电〔2025〕7号) as shipped in
chinese_calendar; `test_the_package_agrees` keeps this file honest about that.
"""

import datetime as dt

import chinese_calendar
import pytest

from luoshi.audit.models import AuditEvent
from luoshi.org.models import Role, User
from luoshi.workcal.models import CalendarDay, DayKind
from luoshi.workcal.services import (
    WorkCalendar,
    calendar_day_clear,
    calendar_day_set,
    package_holiday_name,
)

D = dt.date

# Public holidays (放假) of 2026, weekends inside the holiday included.
HOLIDAYS = {
    "元旦": (D(2026, 1, 1), D(2026, 1, 3)),
    "春节": (D(2026, 2, 15), D(2026, 2, 23)),
    "清明节": (D(2026, 4, 4), D(2026, 4, 6)),
    "劳动节": (D(2026, 5, 1), D(2026, 5, 5)),
    "端午节": (D(2026, 6, 19), D(2026, 6, 21)),
    "中秋节": (D(2026, 9, 25), D(2026, 9, 27)),
    "国庆节": (D(2026, 10, 1), D(2026, 10, 7)),
}
PACKAGE_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Tomb-sweeping Day",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-autumn Festival",
    "国庆节": "National Day",
}
# Weekends worked in exchange (调休上班).
MAKEUP_DAYS = [
    D(2026, 1, 4),  # Sunday, for 元旦
    D(2026, 2, 14),  # Saturday, for 春节
    D(2026, 2, 28),  # Saturday, for 春节
    D(2026, 5, 9),  # Saturday, for 劳动节
    D(2026, 9, 20),  # Sunday, for 国庆节
    D(2026, 10, 10),  # Saturday, for 国庆节
]
# A year chinese_calendar has no data for (checked below, so the premise cannot rot).
UNKNOWN_YEAR = 2099


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def holiday_days() -> list[tuple[str, dt.date]]:
    return [(name, day) for name, span in HOLIDAYS.items() for day in _days(*span)]


@pytest.fixture
def cal() -> WorkCalendar:
    """The package's calendar with no overrides (no database needed)."""
    return WorkCalendar(overrides={})


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_user("sysadmin", password="pw-Secret-2026", role=Role.SYSADMIN)


# --- the 2026 schedule -------------------------------------------------------------------------


def test_the_package_agrees():
    """The schedule above is the package's: every rest weekday and worked weekend of 2026."""
    rest_weekdays, worked_weekends = set(), set()
    for day in _days(D(2026, 1, 1), D(2026, 12, 31)):
        working = chinese_calendar.is_workday(day)
        if day.weekday() < 5 and not working:
            rest_weekdays.add(day)
        if day.weekday() >= 5 and working:
            worked_weekends.add(day)
    assert worked_weekends == set(MAKEUP_DAYS)
    assert rest_weekdays == {day for _, day in holiday_days() if day.weekday() < 5}


@pytest.mark.parametrize(("name", "day"), holiday_days(), ids=str)
def test_public_holidays_are_not_working_days(cal, name, day):
    assert not cal.is_working_day(day)
    assert package_holiday_name(day) == PACKAGE_NAMES[name]


@pytest.mark.parametrize("day", MAKEUP_DAYS, ids=str)
def test_makeup_weekends_are_working_days(cal, day):
    assert day.weekday() >= 5
    assert cal.is_working_day(day)
    assert package_holiday_name(day) == ""  # a working day has no holiday name


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 10), True),  # an ordinary Tuesday
        (D(2026, 3, 14), False),  # an ordinary Saturday
        (D(2026, 3, 15), False),  # an ordinary Sunday
        (D(2026, 2, 13), True),  # the Friday before 春节
        (D(2026, 2, 24), True),  # the first day back after 春节
        (D(2026, 10, 8), True),  # the first day back after 国庆节, a Thursday
        (D(2026, 10, 11), False),  # the Sunday after the 调休 Saturday
        (D(2026, 12, 31), True),
    ],
    ids=str,
)
def test_ordinary_days(cal, day, working):
    assert cal.is_working_day(day) is working


def test_2026_has_248_working_days(cal):
    # 261 weekdays − 19 weekdays of holiday + 6 worked weekends
    assert cal.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


# --- arithmetic --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 3, 10), D(2026, 3, 10), 0),
        (D(2026, 3, 9), D(2026, 3, 16), 5),  # Monday to Monday: an ordinary week
        (D(2026, 3, 13), D(2026, 3, 16), 1),  # Friday to Monday: the weekend does not count
        # 春节: from Friday 13 Feb, only the 调休 Saturday 14th and Tuesday 24th are working days
        (D(2026, 2, 13), D(2026, 2, 24), 2),
        (D(2026, 2, 24), D(2026, 2, 13), -2),  # backwards: negative
        (D(2026, 2, 14), D(2026, 2, 23), 0),  # the whole holiday
        # 国庆节: Wednesday 30 Sep to Friday 9 Oct is nine calendar days, two working days
        (D(2026, 9, 30), D(2026, 10, 9), 2),
        # 中秋 and 国庆 together, with both 调休 days (20 Sep, 10 Oct) counted
        (D(2026, 9, 18), D(2026, 10, 12), 12),
        (D(2026, 10, 9), D(2026, 10, 12), 2),  # the 调休 Saturday counts
        (D(2025, 12, 31), D(2026, 1, 5), 2),  # 元旦: Sunday 4 Jan (调休) and Monday 5 Jan
    ],
)
def test_working_days_between(cal, start, end, expected):
    assert cal.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # the 调休 Saturday
        (D(2026, 2, 13), 2, D(2026, 2, 24)),  # over the whole 春节 holiday
        (D(2026, 2, 24), -2, D(2026, 2, 13)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # over 国庆节
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # lands on the 调休 Saturday
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # over 中秋节 (Fri 25 – Sun 27)
        # n == 0: the first working day on or after the date (顺延)
        (D(2026, 10, 1), 0, D(2026, 10, 8)),
        (D(2026, 10, 10), 0, D(2026, 10, 10)),
        (D(2026, 3, 14), 0, D(2026, 3, 16)),
        (D(2026, 3, 10), 0, D(2026, 3, 10)),
    ],
)
def test_add_working_days(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


@pytest.mark.parametrize("n", [1, 3, 10, 30])
def test_add_and_count_agree_on_every_day_of_2026(cal, n):
    """Adding n working days and counting them back are inverses, from any start date."""
    for day in _days(D(2026, 1, 1), D(2026, 12, 31)):
        later = cal.add_working_days(day, n)
        assert cal.is_working_day(later), day
        assert cal.working_days_between(day, later) == n, day
        assert cal.working_days_between(day, later - dt.timedelta(days=1)) == n - 1, day


def test_previous_working_day(cal):
    assert cal.previous_working_day_on_or_before(D(2026, 10, 7)) == D(2026, 9, 30)
    assert cal.previous_working_day_on_or_before(D(2026, 2, 23)) == D(2026, 2, 14)
    assert cal.previous_working_day_on_or_before(D(2026, 10, 10)) == D(2026, 10, 10)


# --- a year the package does not know ----------------------------------------------------------


def test_unknown_year_falls_back_to_monday_to_friday(cal):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(UNKNOWN_YEAR, 1, 1))
    new_year = D(UNKNOWN_YEAR, 1, 1)  # a Thursday: 元旦 in fact, but nobody has said so yet
    assert new_year.weekday() == 3
    assert cal.is_working_day(new_year)
    assert package_holiday_name(new_year) == ""
    assert not cal.is_working_day(D(UNKNOWN_YEAR, 1, 3))  # Saturday
    assert cal.working_days_between(D(UNKNOWN_YEAR, 1, 1), D(UNKNOWN_YEAR, 1, 31)) == 21
    assert cal.add_working_days(D(UNKNOWN_YEAR, 1, 2), 1) == D(UNKNOWN_YEAR, 1, 5)


def test_counting_runs_from_a_known_year_into_an_unknown_one(cal):
    """The last days of the package's data meet the weekday fallback without a gap."""
    last_known = max(y for y in range(2026, UNKNOWN_YEAR) if _known(y))
    start = D(last_known, 12, 31)
    days = cal.working_days_between(start, D(last_known + 1, 1, 31))
    expected = sum(
        1 for d in _days(D(last_known + 1, 1, 1), D(last_known + 1, 1, 31)) if d.weekday() < 5
    )
    assert days == expected


def _known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(D(year, 6, 1))
    except NotImplementedError:
        return False
    return True


# --- an administrator's overrides --------------------------------------------------------------


@pytest.mark.django_db
def test_override_makes_a_holiday_a_working_day_and_back(admin):
    day = D(2026, 10, 5)  # Monday of 国庆节
    assert not WorkCalendar().is_working_day(day)
    calendar_day_set(actor=admin, day=day, kind=DayKind.WORKDAY, note="应急值守")
    cal = WorkCalendar()
    assert cal.is_working_day(day)
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 3
    assert cal.add_working_days(D(2026, 9, 30), 1) == day

    assert calendar_day_clear(actor=admin, day=day) is True
    cal = WorkCalendar()
    assert not cal.is_working_day(day)
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "data"))
    assert actions[-2:] == [
        ("workcal.day.set", {"date": "2026-10-05", "kind": "workday", "note": "应急值守"}),
        ("workcal.day.clear", {"date": "2026-10-05"}),
    ]


@pytest.mark.django_db
def test_override_makes_a_working_day_a_holiday(admin):
    """A 调休 Saturday cancelled, and an ordinary Thursday declared a rest day."""
    calendar_day_set(actor=admin, day=D(2026, 10, 10), kind=DayKind.HOLIDAY)
    calendar_day_set(actor=admin, day=D(2026, 10, 8), kind=DayKind.HOLIDAY, note="补休")
    cal = WorkCalendar()
    assert not cal.is_working_day(D(2026, 10, 10))
    assert not cal.is_working_day(D(2026, 10, 8))
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 9)
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 2


@pytest.mark.django_db
def test_setting_an_override_again_changes_it_in_place(admin):
    day = D(2026, 3, 20)
    calendar_day_set(actor=admin, day=day, kind=DayKind.HOLIDAY, note="防汛")
    calendar_day_set(actor=admin, day=day, kind=DayKind.WORKDAY, note="改回")
    assert CalendarDay.objects.count() == 1
    assert WorkCalendar().is_working_day(day)
    assert CalendarDay.objects.get().note == "改回"


@pytest.mark.django_db
def test_clearing_a_day_without_override_changes_nothing(admin):
    before = AuditEvent.objects.count()
    assert calendar_day_clear(actor=admin, day=D(2026, 10, 5)) is False
    assert AuditEvent.objects.count() == before
    assert not WorkCalendar().is_working_day(D(2026, 10, 5))


@pytest.mark.django_db
def test_overrides_fill_in_a_year_the_package_does_not_know(admin):
    """Next year's schedule is announced late; the administrator enters it by hand."""
    new_year = D(UNKNOWN_YEAR, 1, 1)
    calendar_day_set(actor=admin, day=new_year, kind=DayKind.HOLIDAY, note="元旦")
    calendar_day_set(actor=admin, day=D(UNKNOWN_YEAR, 1, 3), kind=DayKind.WORKDAY, note="调休")
    cal = WorkCalendar()
    assert not cal.is_working_day(new_year)
    assert cal.is_working_day(D(UNKNOWN_YEAR, 1, 3))
    assert cal.add_working_days(D(UNKNOWN_YEAR, 1, 1), 0) == D(UNKNOWN_YEAR, 1, 2)


@pytest.mark.django_db
def test_a_calendar_is_a_snapshot_of_the_overrides(admin):
    """WorkCalendar reads the overrides once: a batch of lights sees one consistent calendar."""
    cal = WorkCalendar()
    calendar_day_set(actor=admin, day=D(2026, 3, 10), kind=DayKind.HOLIDAY)
    assert cal.is_working_day(D(2026, 3, 10))
    assert not WorkCalendar().is_working_day(D(2026, 3, 10))
