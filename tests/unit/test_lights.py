"""亮灯: every rule of DESIGN.md "Lights" on dated scenarios, in working days of the 2026
calendar (holidays and 调休 included).

- red: past due; past an open time node; two report cycles missed
- yellow: due within N working days (N = DUE_SOON_WORKING_DAYS, default 3); the last report
  cycle missed; progress lagging time by more than LAG_POINTS (default 30); a supervision
  notice unanswered past its date
- green otherwise while open; blue when closed (closed late stays marked late); no light for
  drafts, suspended and cancelled tasks

compute_light is pure, so most scenarios need no database; the last section checks through
the services what only they decide (met time nodes, closed late, suspend/resume/cancel).
"""

import datetime as dt

import pytest
from django.utils import translation

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.services import report_submit
from luoshi.tasks.lights import LightFacts, compute_light, describe_reason, worst
from luoshi.tasks.models import Light, ReportCycle, TaskState
from luoshi.tasks.services.editing import milestone_complete, task_create
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
    task_cancel,
    task_resume,
    task_suspend,
)
from luoshi.tasks.services.refresh import lights_refresh_all
from luoshi.tasks.services.sources import source_create
from luoshi.workcal.services import WorkCalendar

D = dt.date
PACKAGE = WorkCalendar(overrides={})


def light(today: dt.date, cal: WorkCalendar = PACKAGE, **facts) -> tuple[str, list]:
    facts.setdefault("state", TaskState.IN_PROGRESS)
    facts.setdefault("report_cycle", ReportCycle.NONE)
    return compute_light(LightFacts(**facts), today, cal)


def codes(reasons: list) -> list[str]:
    return [r["code"] for r in reasons]


# --- red ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (D(2026, 10, 1), 0),  # the day after: red, though 1 October is a holiday
        (D(2026, 10, 7), 0),  # still inside 国庆节: no working day has passed
        (D(2026, 10, 8), 1),
        (D(2026, 10, 9), 2),
        (D(2026, 10, 12), 4),  # the 调休 Saturday 10 October counts
    ],
)
def test_red_past_due_counts_working_days_overdue(today, days):
    assert light(today, due=D(2026, 9, 30), percent=90) == (
        Light.RED,
        [{"code": "overdue", "days": days}],
    )


def test_due_today_is_not_overdue():
    assert light(D(2026, 9, 30), due=D(2026, 9, 30), percent=90) == (
        Light.YELLOW,
        [{"code": "due_soon", "days": 0}],
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 4, 29), Light.GREEN),
        (D(2026, 4, 30), Light.GREEN),  # on the node's date it is not yet late
        (D(2026, 5, 1), Light.RED),  # the day after, a holiday, it is
    ],
)
def test_red_past_an_open_milestone(today, expected):
    result, reasons = light(today, due=D(2026, 12, 31), open_milestone_dates=[D(2026, 4, 30)])
    assert result == expected
    if expected == Light.RED:
        assert reasons == [{"code": "milestone_overdue", "date": "2026-04-30"}]


def test_the_earliest_late_milestone_is_named():
    result, reasons = light(
        D(2026, 7, 1),
        due=D(2026, 12, 31),
        open_milestone_dates=[D(2026, 9, 30), D(2026, 6, 30), D(2026, 3, 31)],
    )
    assert result == Light.RED
    assert reasons == [{"code": "milestone_overdue", "date": "2026-03-31"}]


MONTHLY = {
    "report_cycle": ReportCycle.MONTHLY,
    "assigned_on": D(2026, 1, 5),
    "due": D(2026, 12, 31),
}


@pytest.mark.parametrize(
    ("last_report_on", "expected", "reasons"),
    [
        (None, Light.RED, [{"code": "reports_missed", "count": 2}]),
        (D(2026, 1, 20), Light.RED, [{"code": "reports_missed", "count": 2}]),
        (D(2026, 2, 10), Light.YELLOW, [{"code": "report_missed"}]),
        (D(2026, 3, 31), Light.GREEN, []),
        (D(2026, 4, 10), Light.GREEN, []),  # late, but caught up
    ],
)
def test_report_cycles_missed(last_report_on, expected, reasons):
    """As of 15 April: March (due 31 March) and February (due 28 February, a 调休 Saturday)."""
    facts = {**MONTHLY, "last_report_on": last_report_on, "start": D(2026, 1, 5), "percent": 30}
    assert light(D(2026, 4, 15), **facts) == (expected, reasons)


def test_a_report_due_after_a_holiday_is_not_missed_during_it():
    """每月1日前: October's report is due 8 October, after 国庆节."""
    facts = {
        "report_cycle": ReportCycle.MONTHLY_DAY,
        "report_day": 1,
        "assigned_on": D(2026, 8, 3),
        "last_report_on": D(2026, 9, 1),
        "due": D(2026, 12, 31),
        "percent": 60,
    }
    assert light(D(2026, 10, 8), **facts) == (Light.GREEN, [])
    assert light(D(2026, 10, 9), **facts) == (Light.YELLOW, [{"code": "report_missed"}])


def test_red_keeps_the_yellow_reasons_after_the_red_ones():
    result, reasons = light(
        D(2026, 4, 15),
        **{**MONTHLY, "due": D(2026, 4, 10)},
        last_report_on=D(2026, 2, 10),
        overdue_notices=1,
    )
    assert result == Light.RED
    assert codes(reasons) == ["overdue", "report_missed", "notice_unanswered"]


# --- yellow: due soon, in working days -----------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due", "expected", "remaining"),
    [
        # due Friday 9 October, just after 国庆节: eleven calendar days are four working days
        (D(2026, 9, 28), D(2026, 10, 9), Light.GREEN, 4),
        (D(2026, 9, 29), D(2026, 10, 9), Light.YELLOW, 3),  # exactly N: yellow
        (D(2026, 9, 30), D(2026, 10, 9), Light.YELLOW, 2),  # nine calendar days, two working
        (D(2026, 10, 3), D(2026, 10, 9), Light.YELLOW, 2),
        # due Monday 12 October: the 调休 Saturday 10 October is a working day
        (D(2026, 10, 7), D(2026, 10, 12), Light.GREEN, 4),
        (D(2026, 10, 8), D(2026, 10, 12), Light.YELLOW, 3),
        # due Tuesday 24 February, the first day back after 春节
        (D(2026, 2, 12), D(2026, 2, 24), Light.YELLOW, 3),  # twelve calendar days
        (D(2026, 2, 11), D(2026, 2, 24), Light.GREEN, 4),
        # an ordinary week, for contrast: Thursday to the next Tuesday
        (D(2026, 3, 5), D(2026, 3, 10), Light.YELLOW, 3),
        (D(2026, 3, 4), D(2026, 3, 10), Light.GREEN, 4),
    ],
)
def test_yellow_due_within_n_working_days(today, due, expected, remaining):
    result, reasons = light(today, due=due)
    assert result == expected
    if expected == Light.YELLOW:
        assert reasons == [{"code": "due_soon", "days": remaining}]
    else:
        assert reasons == []
    assert PACKAGE.working_days_between(today, due) == remaining


def test_an_override_changes_what_is_due_soon():
    """The administrator declares Tuesday 29 September a rest day: one working day fewer."""
    cal = WorkCalendar(overrides={D(2026, 9, 29): False})
    assert light(D(2026, 9, 28), due=D(2026, 10, 9))[0] == Light.GREEN
    assert light(D(2026, 9, 28), cal, due=D(2026, 10, 9)) == (
        Light.YELLOW,
        [{"code": "due_soon", "days": 3}],
    )


# --- yellow: progress lagging time ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(19, Light.YELLOW), (20, Light.GREEN), (50, Light.GREEN), (100, Light.GREEN)],
)
def test_yellow_lag_over_30_points(percent, expected):
    """2 to 16 March is ten working days; on 9 March five have passed: 50 % of the time."""
    result, reasons = light(D(2026, 3, 9), start=D(2026, 3, 2), due=D(2026, 3, 16), percent=percent)
    assert result == expected
    if expected == Light.YELLOW:
        assert reasons == [{"code": "lagging", "points": 50 - percent}]  # 31 > 30
    else:
        assert reasons == []  # 30 points exactly is not more than 30


def test_lag_is_measured_in_working_days():
    """30 Sep to 16 Oct: sixteen calendar days but eight working days. On 9 October nine
    calendar days (56 %) but two working days (25 %) have passed: 0 % is within 30 points."""
    facts = {"start": D(2026, 9, 30), "due": D(2026, 10, 16), "percent": 0}
    assert light(D(2026, 10, 9), **facts) == (Light.GREEN, [])
    assert light(D(2026, 10, 12), **facts) == (Light.YELLOW, [{"code": "lagging", "points": 50}])


def test_lag_uses_the_assignment_date_when_there_is_no_start():
    facts = {"assigned_on": D(2026, 3, 2), "due": D(2026, 3, 16), "percent": 0}
    assert light(D(2026, 3, 9), **facts) == (Light.YELLOW, [{"code": "lagging", "points": 50}])


@pytest.mark.parametrize(
    "facts",
    [
        {"start": D(2026, 3, 20), "due": D(2026, 4, 30)},  # not started yet
        {"start": D(2026, 4, 30), "due": D(2026, 4, 30)},  # no period to lag in
        {"due": D(2026, 4, 30)},  # no start and never assigned
    ],
    ids=["future-start", "empty-period", "no-start"],
)
def test_no_lag_without_an_elapsed_period(facts):
    assert light(D(2026, 3, 10), percent=0, **facts) == (Light.GREEN, [])


# --- yellow: supervision notices -----------------------------------------------------------------


def test_yellow_notice_unanswered():
    assert light(D(2026, 3, 10), due=D(2026, 12, 31), overdue_notices=2) == (
        Light.YELLOW,
        [{"code": "notice_unanswered", "count": 2}],
    )


# --- green, blue, and tasks without a light ------------------------------------------------------


@pytest.mark.parametrize(
    "state", [TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED]
)
def test_every_open_state_is_lit(state):
    assert light(D(2026, 3, 10), state=state, due=D(2026, 12, 31)) == (Light.GREEN, [])
    assert light(D(2026, 3, 10), state=state, due=D(2026, 3, 9))[0] == Light.RED


def test_blue_when_closed_even_past_due():
    assert light(D(2026, 10, 9), state=TaskState.CLOSED, due=D(2026, 9, 30)) == (Light.BLUE, [])


@pytest.mark.parametrize("state", [TaskState.DRAFT, TaskState.SUSPENDED, TaskState.CANCELLED])
def test_no_light_for_drafts_suspended_and_cancelled(state):
    facts = {**MONTHLY, "due": D(2026, 3, 1), "open_milestone_dates": [D(2026, 2, 1)]}
    assert light(D(2026, 4, 15), state=state, **facts) == (Light.NONE, [])


# --- 长期坚持: ongoing tasks ----------------------------------------------------------------


def test_ongoing_task_is_never_overdue_nor_due_soon_nor_lagging():
    # a stale due date left on an ongoing task is ignored
    facts = {"ongoing": True, "due": D(2026, 3, 1), "start": D(2026, 1, 5), "percent": 0}
    assert light(D(2026, 4, 15), **facts) == (Light.GREEN, [])
    assert light(D(2026, 4, 15), ongoing=True, start=D(2026, 1, 5)) == (Light.GREEN, [])


def test_ongoing_task_still_owes_reports_and_time_nodes():
    facts = {**MONTHLY, "due": None, "ongoing": True}
    assert light(D(2026, 4, 15), **facts, last_report_on=D(2026, 2, 10)) == (
        Light.YELLOW,
        [{"code": "report_missed"}],
    )
    assert light(D(2026, 4, 15), **facts)[0] == Light.RED
    result, reasons = light(
        D(2026, 4, 15), **facts, last_report_on=D(2026, 4, 1), open_milestone_dates=[D(2026, 3, 31)]
    )
    assert (result, codes(reasons)) == (Light.RED, ["milestone_overdue"])


# --- thresholds are settings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_soon_days", "today", "expected"),
    [
        (5, D(2026, 9, 28), Light.YELLOW),  # four working days: now within five
        (3, D(2026, 9, 28), Light.GREEN),
        (1, D(2026, 9, 29), Light.GREEN),  # three working days: not within one
        (1, D(2026, 10, 8), Light.YELLOW),
        (0, D(2026, 10, 8), Light.GREEN),  # zero: only the due date itself
        (0, D(2026, 10, 9), Light.YELLOW),
    ],
)
def test_due_soon_days_is_a_setting(settings, due_soon_days, today, expected):
    settings.LUOSHI = {**settings.LUOSHI, "DUE_SOON_WORKING_DAYS": due_soon_days}
    assert light(today, due=D(2026, 10, 9))[0] == expected


@pytest.mark.parametrize(("lag_points", "expected"), [(20, Light.YELLOW), (21, Light.GREEN)])
def test_lag_points_is_a_setting(settings, lag_points, expected):
    settings.LUOSHI = {**settings.LUOSHI, "LAG_POINTS": lag_points}
    facts = {"start": D(2026, 3, 2), "due": D(2026, 3, 16), "percent": 29}  # lag 21
    assert light(D(2026, 3, 9), **facts)[0] == expected


def test_the_defaults_are_three_days_and_thirty_points(settings):
    assert settings.LUOSHI["DUE_SOON_WORKING_DAYS"] == 3
    assert settings.LUOSHI["LAG_POINTS"] == 30


# --- words and order -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ({"code": "overdue", "days": 2}, "已逾期 2 个工作日"),
        ({"code": "overdue", "days": 1}, "已逾期 1 个工作日"),
        # past due over rest days only: not "已逾期 0 个工作日"
        ({"code": "overdue", "days": 0}, "已过完成时限（逾期未满 1 个工作日）"),
        ({"code": "milestone_overdue", "date": "2026-04-30"}, "时间节点 2026-04-30 已过未完成"),
        ({"code": "reports_missed", "count": 2}, "连续 2 个反馈周期未填报"),
        ({"code": "report_missed"}, "上一反馈周期未填报"),
        ({"code": "due_soon", "days": 0}, "今日到期"),
        ({"code": "due_soon", "days": 3}, "3 个工作日内到期"),
        ({"code": "lagging", "points": 31}, "进度滞后于时间 31 个百分点"),
        ({"code": "notice_unanswered", "count": 1}, "督办单逾期未回复"),
        ({"code": "children", "light": "red"}, "下级任务亮红灯"),
    ],
)
def test_reasons_in_chinese(reason, text):
    with translation.override("zh-hans"):
        assert describe_reason(reason) == text


def test_worst_orders_red_yellow_green_blue_none():
    assert worst(Light.GREEN, Light.RED, Light.YELLOW) == Light.RED
    assert worst(Light.GREEN, Light.YELLOW) == Light.YELLOW
    assert worst(Light.BLUE, Light.GREEN) == Light.GREEN
    assert worst(Light.NONE, Light.BLUE) == Light.BLUE
    assert worst() == Light.NONE


# --- through the services ------------------------------------------------------------------------


@pytest.fixture
def office(db):
    gov = unit_create(actor=None, name="测试市人民政府", kind=UnitKind.GOVERNMENT)
    unit = unit_create(actor=None, name="测试市交通运输局", kind=UnitKind.DEPARTMENT, parent=gov)
    sup = User.objects.create_user("sup", password="pw-Secret-2026", role=Role.SUPERVISOR, unit=gov)
    liaison = User.objects.create_user(
        "liaison", password="pw-Secret-2026", role=Role.LIAISON, unit=unit
    )
    with clock.pinned_today(D(2026, 6, 1)):
        source = source_create(actor=sup, kind="document", title="测试文件")
    return {"sup": sup, "liaison": liaison, "unit": unit, "source": source}


def _signed_task(office, **fields):
    """A task assigned on 1 June 2026 and signed for the next day."""
    fields.setdefault("due", D(2026, 9, 30))
    fields.setdefault("report_cycle", ReportCycle.NONE)
    with clock.pinned_today(D(2026, 6, 1)):
        task = task_create(
            actor=office["sup"],
            source=office["source"],
            title="完成城区道路改造",
            lead_unit=office["unit"],
            **fields,
        )
        task_assign(actor=office["sup"], task=task)
    with clock.pinned_today(D(2026, 6, 2)):
        assignment_acknowledge(actor=office["liaison"], task=task)
    task.refresh_from_db()
    return task


def _tick(task, today):
    with clock.pinned_today(today):
        lights_refresh_all(today=today)
    task.refresh_from_db()
    return task.light, task.light_reasons


def test_a_met_milestone_no_longer_counts(office):
    task = _signed_task(office, milestones=[{"title": "完成设计", "due": D(2026, 6, 30)}])
    with clock.pinned_today(D(2026, 6, 20)):
        report_submit(actor=office["liaison"], task=task, progress_text="设计过半", percent=40)
    assert _tick(task, D(2026, 7, 2)) == (
        Light.RED,
        [{"code": "milestone_overdue", "date": "2026-06-30"}],
    )
    with clock.pinned_today(D(2026, 7, 2)):
        milestone_complete(
            actor=office["liaison"], milestone=task.milestones.get(), on=D(2026, 7, 1)
        )
    task.refresh_from_db()
    assert (task.light, task.light_reasons) == (Light.GREEN, [])


@pytest.mark.parametrize(
    ("verified_on", "late"),
    [(D(2026, 9, 30), False), (D(2026, 10, 1), True), (D(2026, 10, 9), True)],
)
def test_closed_is_blue_and_closed_late_is_flagged(office, verified_on, late):
    task = _signed_task(office)
    with clock.pinned_today(D(2026, 9, 29)):
        closure_request(actor=office["liaison"], task=task, summary="道路改造完工。")
    with clock.pinned_today(verified_on):
        closure_verify(actor=office["sup"], task=task)
    task.refresh_from_db()
    assert (task.state, task.light, task.light_reasons) == (TaskState.CLOSED, Light.BLUE, [])
    assert task.closed_late is late
    assert _tick(task, D(2026, 12, 31)) == (Light.BLUE, [])


def test_an_ongoing_task_is_never_closed_late(office):
    task = _signed_task(office, due=None, ongoing=True)
    with clock.pinned_today(D(2026, 12, 1)):
        closure_request(actor=office["liaison"], task=task, summary="长效机制已建立。")
        closure_verify(actor=office["sup"], task=task)
    task.refresh_from_db()
    assert task.light == Light.BLUE and task.closed_late is False


def test_suspended_has_no_light_until_resumed(office):
    task = _signed_task(office)
    assert _tick(task, D(2026, 10, 9))[0] == Light.RED
    with clock.pinned_today(D(2026, 10, 9)):
        task_suspend(actor=office["sup"], task=task, reason="等待上级政策。")
    assert _tick(task, D(2026, 10, 12)) == (Light.NONE, [])
    with clock.pinned_today(D(2026, 10, 12)):
        task_resume(actor=office["sup"], task=task)
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS
    assert (task.light, task.light_reasons) == (Light.RED, [{"code": "overdue", "days": 4}])


def test_cancelled_and_draft_tasks_have_no_light(office):
    task = _signed_task(office)
    with clock.pinned_today(D(2026, 10, 9)):
        task_cancel(actor=office["sup"], task=task, reason="任务已调整。")
    with clock.pinned_today(D(2026, 6, 1)):
        draft = task_create(
            actor=office["sup"],
            source=office["source"],
            title="起草中的任务",
            lead_unit=office["unit"],
            due=D(2026, 6, 2),
        )
    assert _tick(task, D(2026, 10, 12)) == (Light.NONE, [])
    assert _tick(draft, D(2026, 10, 12)) == (Light.NONE, [])
