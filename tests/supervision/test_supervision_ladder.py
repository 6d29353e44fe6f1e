"""The escalation ladder on dated 2026 scenarios: each rung on its working day (across 国庆,
春节 and their 调休 Saturdays), once; reruns change nothing; a category's own rules and
disabled rungs; who is told; which tasks are left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.lib import clock
from luoshi.notifications.models import Notification
from luoshi.reports.services import report_submit
from luoshi.supervision.daily import run_daily
from luoshi.supervision.ladder import rung_date
from luoshi.supervision.models import (
    BulletinListing,
    EscalationRule,
    EscalationStep,
    NoticeState,
    SupervisionNotice,
    Urge,
)
from luoshi.tasks.models import EventKind, TaskEvent
from luoshi.tasks.services.lifecycle import task_suspend
from luoshi.workcal.models import CalendarDay, DayKind
from luoshi.workcal.services import WorkCalendar

D = dt.date


def days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def run_days(start: dt.date, end: dt.date, on_day=None) -> None:
    """The daily run for every calendar day (the worker runs daily, working day or not)."""
    for day in days(start, end):
        with clock.pinned_today(day):
            run_daily(today=day)
            if on_day:
                on_day(day)


def steps_of(task) -> set[tuple[str, dt.date]]:
    return set(EscalationStep.objects.filter(task=task).values_list("step", "on_date"))


# --- dates -------------------------------------------------------------------------------------


def test_rung_dates_count_working_days_across_national_day(db):
    cal = WorkCalendar()
    due = D(2026, 10, 9)  # Friday after 国庆 (1–7 October off, Saturday 10 October works)
    assert rung_date(due, -3, cal) == D(2026, 9, 29)  # 10-08, 09-30, 09-29: before the holiday
    assert rung_date(due, 0, cal) == due
    assert rung_date(due, 1, cal) == D(2026, 10, 10)  # the 调休 Saturday
    assert rung_date(due, 3, cal) == D(2026, 10, 13)
    assert rung_date(due, 10, cal) == D(2026, 10, 22)
    # a deadline inside the holiday counts from the next working day (顺延)
    assert rung_date(D(2026, 10, 3), 0, cal) == D(2026, 10, 8)
    assert rung_date(D(2026, 10, 3), 1, cal) == D(2026, 10, 9)
    assert rung_date(D(2026, 10, 3), -3, cal) == D(2026, 9, 28)


def test_every_due_rung_runs_once_on_its_day_across_national_day(world):
    run_days(D(2026, 9, 15), D(2026, 10, 31))

    daily = {
        D(2026, 10, 10),
        *days(D(2026, 10, 12), D(2026, 10, 16)),
        *days(D(2026, 10, 19), D(2026, 10, 23)),
        *days(D(2026, 10, 26), D(2026, 10, 30)),
    }
    assert steps_of(world.national) == {
        ("due:remind", D(2026, 9, 29)),
        ("due:urge", D(2026, 10, 9)),
        ("due:notice", D(2026, 10, 13)),
        ("due:leader", D(2026, 10, 22)),
        ("due:bulletin", D(2026, 10, 22)),
        *(("due:urge_daily", day) for day in daily),
    }
    # due on a holiday (Saturday 10-03): it counts from Thursday 10-08
    holiday = steps_of(world.holiday)
    assert {s for s in holiday if s[0] != "due:urge_daily"} == {
        ("due:remind", D(2026, 9, 28)),
        ("due:urge", D(2026, 10, 8)),
        ("due:notice", D(2026, 10, 12)),
        ("due:leader", D(2026, 10, 21)),
        ("due:bulletin", D(2026, 10, 21)),
    }
    assert min(d for s, d in holiday if s == "due:urge_daily") == D(2026, 10, 9)
    # nothing on a day off, nothing for a task not yet near its date
    off = {d for d in days(D(2026, 9, 15), D(2026, 10, 31)) if not WorkCalendar().is_working_day(d)}
    assert not EscalationStep.objects.filter(on_date__in=off).exists()
    assert steps_of(world.later) == set()


def test_each_rung_writes_its_effects_once(world):
    run_days(D(2026, 9, 28), D(2026, 10, 22))
    task = world.national
    events = TaskEvent.objects.filter(task=task)
    assert events.filter(kind=EventKind.REMINDED).count() == 1
    cal = WorkCalendar()
    # day 0 (10-09), then every working day from 10-10 (调休) to 10-22
    urge_days = 1 + sum(cal.is_working_day(d) for d in days(D(2026, 10, 10), D(2026, 10, 22)))
    assert urge_days == 11
    assert events.filter(kind=EventKind.URGED).count() == urge_days
    assert Urge.objects.filter(task=task, automatic=True).count() == urge_days
    assert events.filter(kind=EventKind.NOTICE_DRAFTED).count() == 1
    assert events.filter(kind=EventKind.LEADER_NOTIFIED).count() == 1
    assert events.filter(kind=EventKind.BULLETIN_LISTED).count() == 1
    listing = BulletinListing.objects.get(task=task)
    assert listing.listed_on == D(2026, 10, 22)
    draft = SupervisionNotice.objects.get(task=task)
    assert draft.state == NoticeState.DRAFT and draft.number == "" and draft.unit == world.a
    assert draft.drafted_by is None and draft.step == "due:notice"
    assert "2026-10-09" in draft.content
    # the reminder's history entry says when the task is due
    reminder = events.get(kind=EventKind.REMINDED)
    assert reminder.actor is None and reminder.unit == world.a
    assert "2026-10-09" in reminder.message
    assert reminder.data["step"] == "due:remind"


def test_who_is_told(world):
    def inbox(step: str, day: dt.date) -> set[str]:
        key = f"ladder:{world.national.pk}:{step}:{day.isoformat()}"
        return set(
            Notification.objects.filter(dedupe_key=key).values_list(
                "recipient__username", flat=True
            )
        )

    run_days(D(2026, 9, 28), D(2026, 10, 22))
    assert inbox("due:remind", D(2026, 9, 29)) == {"owner_a", "liaison_a"}
    assert inbox("due:urge", D(2026, 10, 9)) == {"liaison_a", "owner_a", "head_a"}
    assert inbox("due:urge_daily", D(2026, 10, 10)) == {"liaison_a", "owner_a", "head_a"}
    # the draft notice waits for the office: supervisors whose scope covers the lead unit
    assert inbox("due:notice", D(2026, 10, 13)) == {"sup"}
    assert inbox("due:leader", D(2026, 10, 22)) == {"leader"}
    assert inbox("due:bulletin", D(2026, 10, 22)) == set()
    # the co-unit hears nothing from the ladder
    assert not Notification.objects.filter(recipient=world.liaison_b).exists()
    note = Notification.objects.get(
        recipient=world.leader, dedupe_key__startswith=f"ladder:{world.national.pk}:"
    )
    assert note.kind == "leader" and note.task_id == world.national.pk
    assert note.url == f"/tasks/{world.national.pk}/"


def test_a_rerun_on_the_same_day_changes_nothing(world):
    day = D(2026, 10, 13)  # national: +3 notice and a daily 催办; holiday: daily 催办
    with clock.pinned_today(day):
        first = run_daily(today=day)
        counts = (
            EscalationStep.objects.count(),
            TaskEvent.objects.count(),
            Urge.objects.count(),
            SupervisionNotice.objects.count(),
            Notification.objects.count(),
        )
        second = run_daily(today=day)
    assert first["claimed"] == 3 and first["notices_drafted"] == 1 and first["urged"] == 2
    assert second.get("claimed", 0) == 0 and second["due"] == 3
    assert counts == (
        EscalationStep.objects.count(),
        TaskEvent.objects.count(),
        Urge.objects.count(),
        SupervisionNotice.objects.count(),
        Notification.objects.count(),
    )


def test_nothing_runs_on_a_day_off(world):
    with clock.pinned_today(D(2026, 10, 4)):
        assert run_daily(today=D(2026, 10, 4)) == {"due": 0}
    assert not EscalationStep.objects.exists()


def test_an_office_holiday_moves_the_rungs_to_the_next_working_day(world):
    """An administrator's override (CalendarDay) is a day off like any other."""
    CalendarDay.objects.create(date=D(2026, 9, 29), kind=DayKind.HOLIDAY, note="停电")
    run_days(D(2026, 9, 24), D(2026, 10, 9))
    # −3 from 10-09 is now 10-08, 09-30, 09-28
    assert ("due:remind", D(2026, 9, 28)) in steps_of(world.national)
    assert not EscalationStep.objects.filter(on_date=D(2026, 9, 29)).exists()


def test_open_tasks_only(world):
    with clock.pinned_today(D(2026, 9, 20)):
        task_suspend(actor=world.sup, task=world.holiday, reason="等待规划调整。")
    waiting = world.make_task("未签收的任务", D(2026, 10, 9), signed=None)  # 已交办 still counts
    run_days(D(2026, 9, 28), D(2026, 10, 9))
    assert steps_of(world.holiday) == set()
    assert ("due:remind", D(2026, 9, 29)) in steps_of(waiting)
    assert ("due:urge", D(2026, 10, 9)) in steps_of(world.national)


def test_a_category_replaces_a_rung_and_disables_another(world):
    people = world.make_task("改造农贸市场", D(2026, 10, 9), category="民生")
    EscalationRule.objects.create(
        category="民生",
        relative_to="due",
        step="remind",
        offset=-5,
        action="reminder",
        recipients=["owner"],
    )
    EscalationRule.objects.create(
        category="民生",
        relative_to="due",
        step="urge_daily",
        offset=1,
        repeat_daily=True,
        action="urge",
        recipients=["liaison"],
        enabled=False,
    )
    run_days(D(2026, 9, 20), D(2026, 10, 14))
    steps = steps_of(people)
    # −5 working days from 10-09: 10-08, 09-30, 09-29, 09-28, then (中秋 25–27) 09-24
    assert ("due:remind", WorkCalendar().add_working_days(D(2026, 10, 9), -5)) in steps
    assert not any(s == "due:remind" and d == D(2026, 9, 29) for s, d in steps)
    assert not any(s == "due:urge_daily" for s, _d in steps)
    assert ("due:urge", D(2026, 10, 9)) in steps and ("due:notice", D(2026, 10, 13)) in steps
    # the default still holds for a task of another category
    assert ("due:remind", D(2026, 9, 29)) in steps_of(world.national)
    assert ("due:urge_daily", D(2026, 10, 10)) in steps_of(world.national)
    reminder = Notification.objects.filter(dedupe_key__startswith=f"ladder:{people.pk}:due:remind")
    assert set(reminder.values_list("recipient__username", flat=True)) == {"owner_a"}


def test_a_disabled_default_rung_does_not_run(world):
    EscalationRule.objects.filter(category="", relative_to="due", step="remind").update(
        enabled=False
    )
    run_days(D(2026, 9, 28), D(2026, 10, 9))
    assert not EscalationStep.objects.filter(step="due:remind").exists()
    assert ("due:urge", D(2026, 10, 9)) in steps_of(world.national)


def test_one_draft_notice_waits_at_a_time(world):
    """The +3 rung drafts a notice only when none is waiting to be issued."""
    EscalationRule.objects.create(
        category="",
        relative_to="due",
        step="notice_again",
        offset=4,
        action="notice_draft",
        recipients=["supervisor"],
    )
    # holiday (counts from 10-08): +3 on 10-12 drafts, +4 on 10-13 finds the draft waiting
    run_days(D(2026, 10, 12), D(2026, 10, 13))
    assert ("due:notice_again", D(2026, 10, 13)) in steps_of(world.holiday)
    assert SupervisionNotice.objects.filter(task=world.holiday).count() == 1
    assert SupervisionNotice.objects.filter(task=world.national).count() == 1  # its +3: 10-13


@pytest.mark.parametrize("report_on", [D(2026, 2, 25)])
def test_report_rungs_across_spring_festival(world, report_on):
    """A monthly report owed for January (deadline Monday 2-02) and not made until 2-25:
    reminded, urged every working day (the 调休 Saturday 2-14 too, not during 春节), a notice
    drafted, the leader told on 2-14; the report stops the daily 催办."""
    task = world.make_task(
        "推进数字政府建设",
        D(2026, 12, 31),
        assigned=D(2026, 1, 5),
        signed=D(2026, 1, 6),
        report_cycle="monthly",
    )

    def report(day):
        if day == report_on:
            report_submit(actor=world.liaison_a, task=task, progress_text="已推进。", percent=20)

    run_days(D(2026, 1, 15), D(2026, 3, 20), on_day=report)
    daily = {
        *days(D(2026, 2, 3), D(2026, 2, 6)),
        *days(D(2026, 2, 9), D(2026, 2, 14)),
        D(2026, 2, 24),
        D(2026, 2, 25),
    }
    assert steps_of(task) == {
        ("report:remind", D(2026, 1, 28)),
        ("report:urge", D(2026, 2, 2)),
        ("report:notice", D(2026, 2, 5)),
        ("report:leader", D(2026, 2, 14)),
        ("report:bulletin", D(2026, 2, 14)),
        *(("report:urge_daily", day) for day in daily),
        # February's deadline is the 调休 Saturday 2-28: its reminder ran on the morning of
        # 2-25, before that day's report (which then counts for February too: no 2-28 催办)
        ("report:remind", D(2026, 2, 25)),
    }
    urge = TaskEvent.objects.filter(task=task, kind=EventKind.URGED).order_by("at").last()
    assert "2026-02-02" in urge.message


def test_report_rungs_wait_for_the_first_week(world):
    """A task assigned less than a week before a report deadline owes nothing for it."""
    task = world.make_task(
        "开展安全生产检查",
        D(2026, 12, 31),
        assigned=D(2026, 1, 28),
        signed=D(2026, 1, 29),
        report_cycle="monthly",
    )
    run_days(D(2026, 1, 28), D(2026, 2, 6))
    assert steps_of(task) == set()


def test_a_report_in_the_window_means_no_report_rung(world):
    task = world.make_task(
        "完善社区服务设施",
        D(2026, 12, 31),
        assigned=D(2026, 1, 5),
        signed=D(2026, 1, 6),
        report_cycle="monthly",
    )
    with clock.pinned_today(D(2026, 1, 20)):
        report_submit(actor=world.liaison_a, task=task, progress_text="已推进。", percent=10)
    run_days(D(2026, 1, 26), D(2026, 2, 10))
    assert steps_of(task) == set()


def test_deliveries_for_those_who_want_messages_at_once(world):
    """The ladder's inbox rows carry their deliveries like notify()'s: an e-mail for a user who
    wants messages at once, one post per key to the unit's group robot, none for the daily
    digest's readers (the default)."""
    from luoshi.notifications.models import (
        Delivery,
        NotificationPreference,
        WebhookEndpoint,
    )

    world.liaison_a.email = "liaison_a@example.gov.cn"
    world.liaison_a.save()
    world.owner_a.email = "owner_a@example.gov.cn"
    world.owner_a.save()  # digest mode (the default): no delivery now
    NotificationPreference.objects.create(user=world.liaison_a, email=True, mode="immediate")
    robot = WebhookEndpoint.objects.create(
        name="发改委工作群", platform="wecom", url="https://robot.example/hook", unit=world.a
    )
    run_days(D(2026, 9, 29), D(2026, 9, 29))  # national: −3 提醒 to owner_a and liaison_a
    note = Notification.objects.get(
        recipient=world.liaison_a, dedupe_key=f"ladder:{world.national.pk}:due:remind:2026-09-29"
    )
    mail = Delivery.objects.get(channel="email")
    assert (mail.notification, mail.target) == (note, "liaison_a@example.gov.cn")
    posts = Delivery.objects.filter(endpoint=robot)
    assert posts.count() == 1  # one post for both recipients of the key
    assert "liaison_a" in posts.get().body and "owner_a" in posts.get().body
    run_days(D(2026, 9, 29), D(2026, 9, 29))
    assert Delivery.objects.count() == 2


def test_a_notification_already_there_is_not_made_twice(world):
    """Whatever made it (a run whose claims were lost), a recipient with the key keeps one."""
    key = f"ladder:{world.national.pk}:due:remind:2026-09-29"
    Notification.objects.create(
        recipient=world.owner_a,
        kind="reminder",
        title="提醒",
        dedupe_key=key,
        created_at=clock.now(),
    )
    run_days(D(2026, 9, 29), D(2026, 9, 29))
    assert Notification.objects.filter(dedupe_key=key, recipient=world.owner_a).count() == 1
    assert Notification.objects.filter(dedupe_key=key, recipient=world.liaison_a).count() == 1


def test_an_emptied_rule_table_gets_the_default_ladder_back(world):
    """`flush` empties what the data migration wrote; the next run puts the default back."""
    EscalationRule.objects.all().delete()
    with clock.pinned_today(D(2026, 9, 29)):
        assert run_daily(today=D(2026, 9, 29))["reminded"] == 1
    assert EscalationRule.objects.filter(category="").count() == 12


def test_the_history_words_a_rung_in_the_readers_language(world):
    from django.utils import translation

    from luoshi.tasks.templatetags.luoshi_tags import event_text

    run_days(D(2026, 10, 9), D(2026, 10, 13))
    events = TaskEvent.objects.filter(task=world.national)
    urges = list(events.filter(kind=EventKind.URGED).order_by("at", "id"))
    # 10-09 due day, 10-10 (调休 Saturday) one working day late, 10-12 two, 10-13 three
    assert [u.data["late"] for u in urges] == [0, 1, 2, 3]
    with translation.override("zh-hans"):
        assert event_text(urges[2]) == "任务已于 2026-10-09 到期，逾期 2 个工作日仍未办结。"
        assert event_text(urges[2]) == urges[2].message
    with translation.override("en"):
        english = event_text(urges[2])
    assert "2026-10-09" in english and "2" in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)
