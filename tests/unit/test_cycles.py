"""反馈周期: report windows, their deadlines (遇节假日顺延), the first-report grace and catching up.

The rule (luoshi/tasks/cycles.py): each cycle cuts time into windows [start, end]; the
deadline is the end, or the next working day when the end is not one. A window is missed
once its deadline is past with no report dated on or after its start; only windows whose
deadline is at least seven days after assignment count.
"""

import datetime as dt

import pytest

from luoshi.tasks.cycles import (
    FIRST_REPORT_GRACE_DAYS,
    Window,
    missed_windows,
    past_windows,
    window_containing,
)
from luoshi.workcal.services import WorkCalendar

D = dt.date


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(overrides={})


# --- windows -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cycle", "report_day", "day", "start", "end"),
    [
        ("weekly", None, D(2026, 3, 10), D(2026, 3, 9), D(2026, 3, 15)),
        ("weekly", None, D(2026, 3, 15), D(2026, 3, 9), D(2026, 3, 15)),  # Sunday ends it
        ("weekly", None, D(2026, 3, 16), D(2026, 3, 16), D(2026, 3, 22)),  # Monday starts one
        ("weekly", None, D(2026, 1, 1), D(2025, 12, 29), D(2026, 1, 4)),  # across the year
        ("semimonthly", None, D(2026, 3, 15), D(2026, 3, 1), D(2026, 3, 15)),
        ("semimonthly", None, D(2026, 3, 16), D(2026, 3, 16), D(2026, 3, 31)),
        ("semimonthly", None, D(2026, 2, 20), D(2026, 2, 16), D(2026, 2, 28)),
        ("semimonthly", None, D(2028, 2, 20), D(2028, 2, 16), D(2028, 2, 29)),  # leap year
        ("monthly", None, D(2026, 2, 10), D(2026, 2, 1), D(2026, 2, 28)),
        ("monthly", None, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        ("quarterly", None, D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)),
        ("quarterly", None, D(2026, 5, 5), D(2026, 4, 1), D(2026, 6, 30)),
        ("quarterly", None, D(2026, 9, 30), D(2026, 7, 1), D(2026, 9, 30)),
        ("quarterly", None, D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31)),
        # 每月N日前: the window runs from the day after N of one month to N of the next
        ("monthly_day", 10, D(2026, 3, 10), D(2026, 2, 11), D(2026, 3, 10)),
        ("monthly_day", 10, D(2026, 3, 11), D(2026, 3, 11), D(2026, 4, 10)),
        ("monthly_day", 5, D(2026, 1, 3), D(2025, 12, 6), D(2026, 1, 5)),
        ("monthly_day", 5, D(2026, 12, 20), D(2026, 12, 6), D(2027, 1, 5)),
        ("monthly_day", 28, D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 28)),  # Feb has 28 days
        ("monthly_day", None, D(2026, 3, 5), D(2026, 2, 6), D(2026, 3, 5)),  # N defaults to 5
    ],
)
def test_window_containing(cycle, report_day, day, start, end):
    assert window_containing(cycle, day, report_day) == (start, end)
    assert start <= day <= end


@pytest.mark.parametrize("cycle", ["weekly", "semimonthly", "monthly", "quarterly", "monthly_day"])
def test_windows_tile_the_year_without_gaps_or_overlaps(cycle):
    day = D(2026, 1, 1)
    _, end = window_containing(cycle, day, 10)
    while end < D(2027, 1, 1):
        following = end + dt.timedelta(days=1)
        start, end = window_containing(cycle, following, 10)
        assert start == following and end >= start


def test_an_unknown_cycle_is_an_error():
    with pytest.raises(ValueError):
        window_containing("daily", D(2026, 3, 10))


# --- deadlines: 遇节假日顺延 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cycle", "report_day", "today", "newest"),
    [
        # January ends on a Saturday: its report is due Monday 2 February
        ("monthly", None, D(2026, 2, 3), Window(D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 2))),
        # …so on 2 February itself January is not yet past; December is the newest past one
        ("monthly", None, D(2026, 2, 2), Window(D(2025, 12, 1), D(2025, 12, 31), D(2025, 12, 31))),
        # February ends on Saturday 28th, a 调休 working day: no postponement
        ("monthly", None, D(2026, 3, 1), Window(D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 28))),
        # May ends on a Sunday
        ("monthly", None, D(2026, 6, 2), Window(D(2026, 5, 1), D(2026, 5, 31), D(2026, 6, 1))),
        # 每月1日前 in October: 1 October is 国庆节, the report is due Thursday 8 October
        ("monthly_day", 1, D(2026, 10, 9), Window(D(2026, 9, 2), D(2026, 10, 1), D(2026, 10, 8))),
        ("monthly_day", 1, D(2026, 10, 8), Window(D(2026, 8, 2), D(2026, 9, 1), D(2026, 9, 1))),
        ("monthly_day", 5, D(2026, 10, 9), Window(D(2026, 9, 6), D(2026, 10, 5), D(2026, 10, 8))),
        # 每月10日前 in October: Saturday 10 October is a 调休 working day
        (
            "monthly_day",
            10,
            D(2026, 10, 11),
            Window(D(2026, 9, 11), D(2026, 10, 10), D(2026, 10, 10)),
        ),
        # the week of 国庆节 ends on Sunday 4 October: due Thursday 8 October
        ("weekly", None, D(2026, 10, 9), Window(D(2026, 9, 28), D(2026, 10, 4), D(2026, 10, 8))),
        # the week before ends on Sunday 27 September, 中秋节: due Monday 28th
        ("weekly", None, D(2026, 10, 8), Window(D(2026, 9, 21), D(2026, 9, 27), D(2026, 9, 28))),
        # the week ending Sunday 4 January (调休) is due that very Sunday
        ("weekly", None, D(2026, 1, 5), Window(D(2025, 12, 29), D(2026, 1, 4), D(2026, 1, 4))),
        # the first half of February ends on 15th, inside 春节: due Tuesday 24 February
        (
            "semimonthly",
            None,
            D(2026, 2, 25),
            Window(D(2026, 2, 1), D(2026, 2, 15), D(2026, 2, 24)),
        ),
        ("quarterly", None, D(2026, 7, 1), Window(D(2026, 4, 1), D(2026, 6, 30), D(2026, 6, 30))),
    ],
)
def test_deadline_moves_to_the_next_working_day(cal, cycle, report_day, today, newest):
    assert past_windows(cycle, today, cal, report_day=report_day)[0] == newest


def test_past_windows_are_the_two_newest_newest_first(cal):
    assert past_windows("monthly", D(2026, 4, 15), cal) == [
        Window(D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 31)),
        Window(D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 28)),
    ]
    # two weekly windows around 春节 share one postponed deadline
    assert past_windows("weekly", D(2026, 2, 25), cal) == [
        Window(D(2026, 2, 16), D(2026, 2, 22), D(2026, 2, 24)),
        Window(D(2026, 2, 9), D(2026, 2, 15), D(2026, 2, 24)),
    ]


def test_an_override_moves_a_deadline_too():
    """An administrator declares 31 March a rest day: March's report is due 1 April."""
    cal = WorkCalendar(overrides={D(2026, 3, 31): False})
    assert past_windows("monthly", D(2026, 4, 2), cal)[0].deadline == D(2026, 4, 1)
    assert past_windows("monthly", D(2026, 4, 1), cal)[0].end == D(2026, 2, 28)


@pytest.mark.parametrize("cycle", ["none", ""])
def test_no_cycle_has_no_windows_and_misses_nothing(cal, cycle):
    assert past_windows(cycle, D(2026, 12, 31), cal) == []
    assert (
        missed_windows(cycle, D(2026, 12, 31), cal, assigned_on=D(2026, 1, 5), last_report_on=None)
        == 0
    )


# --- missed windows ----------------------------------------------------------------------------

ASSIGNED = D(2026, 1, 5)


@pytest.mark.parametrize(
    ("today", "last_report_on", "missed"),
    [
        (D(2026, 4, 15), None, 2),  # March and February missed
        (D(2026, 4, 15), D(2026, 2, 10), 1),  # February reported, March missed
        (D(2026, 4, 15), D(2026, 2, 28), 1),  # a report in February covers February only
        (D(2026, 4, 15), D(2026, 3, 31), 0),  # March reported on its deadline
        (D(2026, 4, 15), D(2026, 3, 1), 0),  # …or on its first day
        (D(2026, 4, 15), D(2026, 4, 10), 0),  # a late report catches the unit up
        (D(2026, 3, 31), D(2026, 1, 20), 1),  # on March's deadline only February is missed
        (D(2026, 4, 1), D(2026, 1, 20), 2),  # the day after, March too
        (D(2026, 12, 15), D(2026, 1, 20), 2),  # never more than two
    ],
)
def test_missed_monthly_windows(cal, today, last_report_on, missed):
    assert (
        missed_windows("monthly", today, cal, assigned_on=ASSIGNED, last_report_on=last_report_on)
        == missed
    )


def test_a_postponed_deadline_is_not_missed_before_it_passes(cal):
    """每月1日前: the October report is due 8 October (after 国庆节), not 1 October."""
    facts = {"assigned_on": D(2026, 8, 3), "last_report_on": D(2026, 9, 1), "report_day": 1}
    for today in (D(2026, 10, 2), D(2026, 10, 7), D(2026, 10, 8)):
        assert missed_windows("monthly_day", today, cal, **facts) == 0, today
    assert missed_windows("monthly_day", D(2026, 10, 9), cal, **facts) == 1


def test_a_report_on_the_postponed_deadline_is_on_time(cal):
    facts = {"assigned_on": D(2026, 1, 5), "report_day": None}
    assert (
        missed_windows("semimonthly", D(2026, 2, 25), cal, last_report_on=D(2026, 2, 24), **facts)
        == 0
    )
    assert (
        missed_windows("semimonthly", D(2026, 2, 25), cal, last_report_on=D(2026, 1, 30), **facts)
        == 1
    )


@pytest.mark.parametrize(
    ("assigned_on", "missed"),
    [
        (D(2026, 3, 25), 0),  # six days before March's deadline: no report owed for March
        (D(2026, 3, 24), 1),  # exactly seven days: March counts
        (D(2026, 3, 2), 1),  # February's deadline came before assignment
        (D(2026, 2, 22), 1),  # six days before February's deadline (28th): only March
        (D(2026, 2, 21), 2),  # seven days: February counts too
    ],
)
def test_first_report_grace(cal, assigned_on, missed):
    assert FIRST_REPORT_GRACE_DAYS == 7
    assert (
        missed_windows("monthly", D(2026, 4, 2), cal, assigned_on=assigned_on, last_report_on=None)
        == missed
    )


def test_an_unassigned_task_misses_nothing(cal):
    assert (
        missed_windows("weekly", D(2026, 12, 31), cal, assigned_on=None, last_report_on=None) == 0
    )


@pytest.mark.parametrize(
    ("cycle", "report_day", "today", "missed"),
    [
        ("weekly", None, D(2026, 3, 17), 2),  # weeks ending 8 and 15 March
        ("semimonthly", None, D(2026, 3, 17), 2),  # 16–28 Feb and 1–15 Mar
        # the report of 20 January falls in the window 11 Jan – 10 Feb
        ("monthly_day", 10, D(2026, 3, 10), 0),  # 10 March is the deadline day itself
        ("monthly_day", 10, D(2026, 3, 11), 1),  # the window due 10 March
        ("monthly_day", 10, D(2026, 4, 11), 2),  # …and the one due 10 April
        ("quarterly", None, D(2026, 4, 1), 0),  # the report of 20 January covers Q1
        ("quarterly", None, D(2026, 7, 1), 1),  # Q2 missed
        ("quarterly", None, D(2026, 10, 1), 2),  # Q2 and Q3 missed
    ],
)
def test_missed_windows_for_each_cycle(cal, cycle, report_day, today, missed):
    """Assigned 5 January 2026, last reported 20 January."""
    assert (
        missed_windows(
            cycle,
            today,
            cal,
            assigned_on=ASSIGNED,
            last_report_on=D(2026, 1, 20),
            report_day=report_day,
        )
        == missed
    )
