"""回头看 through the services, on 2026 dates with 国庆 in the way: scheduled on a closed task
(3 or 6 months after the closure, moved to the next working day, or a chosen date), made due
by the daily run on the right day — once, however often it runs — answered by the lead unit
with evidence, and confirmed or failed by the office; a failed re-check reopens the task
while its earlier closure stays in the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from luoshi.access import policy
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_verify
from luoshi.lib import clock
from luoshi.notifications.models import Notification, NotificationKind
from luoshi.rechecks.daily import run_daily
from luoshi.rechecks.models import Recheck, RecheckEvidence, RecheckState
from luoshi.rechecks.services import (
    add_months,
    recheck_answer,
    recheck_confirm,
    recheck_date_after,
    recheck_fail,
    recheck_schedule,
)
from luoshi.tasks.models import (
    ClosureDecision,
    EventKind,
    Light,
    Task,
    TaskEvent,
    TaskState,
)
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
)
from luoshi.workcal.models import DayKind
from luoshi.workcal.services import calendar_day_set
from tests.extensions.world import pdf, snapshot

CLOSED_ON = dt.date(2026, 7, 1)  # Wednesday
SCHEDULED_ON = dt.date(2026, 7, 2)
DUE_ON = dt.date(2026, 10, 8)  # 3 months on is 10-01, 国庆: the first working day after


def _close(world, task, on=CLOSED_ON):
    with clock.pinned_today(on):
        closure_request(actor=world.liaison_a, task=task, summary="已完成。")
        closure_verify(actor=world.sup, task=task, comment="同意办结。")
    task.refresh_from_db()
    return task


@pytest.fixture
def closed(world):
    """`normal` (A leads, B helps) closed on 2026-07-01."""
    return _close(world, world.normal)


@pytest.fixture
def scheduled(world, closed):
    with clock.pinned_today(SCHEDULED_ON):
        return recheck_schedule(actor=world.sup, task=closed, months=3, note="看长效机制是否运行。")


def _due(scheduled):
    run_daily(today=DUE_ON)
    scheduled.refresh_from_db()
    return scheduled


def _answered(world, recheck):
    with clock.pinned_today(dt.date(2026, 10, 12)):
        return recheck_answer(
            actor=world.liaison_a,
            recheck=recheck,
            answer="项目持续运行，成效巩固。",
            files=[pdf("运行台账.pdf")],
        )


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 7, 1), 3, dt.date(2026, 10, 1)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 1, 15), 6, dt.date(2026, 7, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_three_months_after_a_closure_skips_the_national_day_holiday(closed):
    assert recheck_date_after(closed, 3) == DUE_ON  # 10-01 … 10-07 are 国庆
    # 2027 is beyond the holiday package: the administrator's override marks 元旦
    calendar_day_set(actor=None, day=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, note="元旦")
    assert recheck_date_after(closed, 6) == dt.date(2027, 1, 4)  # Friday off, then Monday


# --- scheduling ----------------------------------------------------------------------------------


def test_the_office_schedules_on_a_closed_task(world, scheduled):
    assert scheduled.state == RecheckState.SCHEDULED
    assert (scheduled.due_on, scheduled.unit, scheduled.requested_by) == (
        DUE_ON,
        world.a,
        world.sup,
    )
    (event,) = TaskEvent.objects.filter(kind=EventKind.RECHECK_SCHEDULED)
    assert event.data == {"recheck": scheduled.pk, "due_on": "2026-10-08", "months": 3}
    assert event.message == "看长效机制是否运行。"
    assert AuditEvent.objects.filter(action="task.recheck.schedule").count() == 1
    told = set(
        Notification.objects.filter(kind=NotificationKind.RECHECK).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"liaison_a", "head_a"}  # the lead unit
    task = Task.objects.get(pk=scheduled.task_id)
    assert task.state == TaskState.CLOSED and task.light == Light.BLUE


def test_a_chosen_date(world, closed):
    with clock.pinned_today(SCHEDULED_ON):
        recheck = recheck_schedule(actor=world.sup, task=closed, due_on=dt.date(2026, 12, 15))
    assert recheck.due_on == dt.date(2026, 12, 15)


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"due_on": SCHEDULED_ON}, {"due_on": ["回头看日期（2026-07-02）须晚于今天。"]}),
        ({"due_on": dt.date(2026, 6, 1)}, {"due_on": ["回头看日期（2026-06-01）须晚于今天。"]}),
        ({"months": 4}, {"due_on": ["回头看时间只能选 3 个月后或 6 个月后。"]}),
        ({}, {"due_on": ["请选择回头看时间：3个月后、6个月后或指定日期。"]}),
        (
            {"months": 3, "due_on": dt.date(2026, 12, 15)},
            {"due_on": ["请选择回头看时间：3个月后、6个月后或指定日期。"]},
        ),
    ],
)
def test_bad_schedule_is_refused(world, closed, kwargs, errors):
    before = snapshot()
    with clock.pinned_today(SCHEDULED_ON), pytest.raises(ValidationError) as refused:
        recheck_schedule(actor=world.sup, task=closed, **kwargs)
    assert refused.value.message_dict == errors
    assert snapshot() == before


def test_scheduling_needs_a_closed_task_without_an_open_recheck(world, scheduled):
    before = snapshot()
    with clock.pinned_today(SCHEDULED_ON):
        with pytest.raises(ValidationError) as twice:
            recheck_schedule(actor=world.sup, task=scheduled.task, months=6)
        assert twice.value.messages == ["该任务已安排回头看（2026-10-08），不能重复安排。"]
        with pytest.raises(ValidationError) as open_task:
            recheck_schedule(actor=world.sup, task=world.high, months=3)
        assert open_task.value.messages == [
            "只有已办结的任务可以安排回头看；该任务当前状态为“办理中”。"
        ]
    assert snapshot() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Recheck.objects.create(
            task=scheduled.task,
            unit=world.a,
            due_on=dt.date(2027, 1, 4),
            requested_by=world.sup,
            requested_at=clock.now(),
            state=RecheckState.DUE,
        )


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "leader", "liaison_b"])
def test_only_the_office_schedules(world, closed, who):
    before = snapshot()
    with clock.pinned_today(SCHEDULED_ON), pytest.raises(PermissionDenied) as refused:
        recheck_schedule(actor=getattr(world, who), task=closed, months=3)
    assert str(refused.value) == "只有督查室人员可以安排回头看。"
    assert snapshot() == before


# --- the daily run -------------------------------------------------------------------------------


def test_due_on_the_right_day_once(world, scheduled):
    # the day before (a holiday) nothing happens; the scheduled date is not yet reached
    assert run_daily(today=dt.date(2026, 10, 7)) == {"rechecks_due": 0}
    scheduled.refresh_from_db()
    assert scheduled.state == RecheckState.SCHEDULED
    assert not policy.can(world.liaison_a, "task.confirm_recheck", scheduled.task)

    assert run_daily(today=DUE_ON) == {"rechecks_due": 1}
    scheduled.refresh_from_db()
    assert scheduled.state == RecheckState.DUE and scheduled.became_due_on == DUE_ON
    due_notes = Notification.objects.filter(dedupe_key=f"recheck:{scheduled.pk}:due")
    assert set(due_notes.values_list("recipient__username", flat=True)) == {"liaison_a", "head_a"}
    assert due_notes.first().title.startswith("回头看到期，请反馈落实情况：")
    assert due_notes.first().body == "看长效机制是否运行。"
    assert policy.can(world.liaison_a, "task.confirm_recheck", scheduled.task)
    assert policy.can(world.sup, "task.verify_recheck", scheduled.task)

    # again the same day, the next day, after a restart: nothing more
    before = snapshot()
    assert run_daily(today=DUE_ON) == {"rechecks_due": 0}
    assert run_daily(today=dt.date(2026, 10, 9)) == {"rechecks_due": 0}
    assert snapshot() == before


def test_a_missed_day_is_caught_up(world, scheduled):
    assert run_daily(today=dt.date(2026, 10, 12)) == {"rechecks_due": 1}
    scheduled.refresh_from_db()
    assert scheduled.became_due_on == dt.date(2026, 10, 12)


def test_a_second_worker_that_read_the_same_list_claims_nothing(world, scheduled, monkeypatch):
    """Two runs that both saw the re-check as scheduled: the conditional UPDATE lets one."""
    from luoshi.rechecks import daily

    run_daily(today=DUE_ON)
    real = daily.Recheck.objects.filter

    def stale_filter(*args, **kwargs):  # the second worker's list was read before the first ran
        if kwargs.get("state") == RecheckState.SCHEDULED and "due_on__lte" in kwargs:
            return real(pk=scheduled.pk)
        return real(*args, **kwargs)

    monkeypatch.setattr(daily.Recheck.objects, "filter", stale_filter)
    before = snapshot()
    assert daily.run_daily(today=DUE_ON) == {"rechecks_due": 0}
    assert snapshot() == before


def test_an_override_in_the_calendar_moves_the_date(world, closed):
    # the administrator marks 10-08 a holiday too: three months on is then 10-09
    calendar_day_set(actor=None, day=dt.date(2026, 10, 8), kind=DayKind.HOLIDAY, note="补休")
    assert recheck_date_after(closed, 3) == dt.date(2026, 10, 9)


# --- the answer and the verdict ----------------------------------------------------------------


def test_the_unit_answers_with_evidence_and_the_office_confirms(world, scheduled):
    recheck = _due(scheduled)
    _answered(world, recheck)
    recheck.refresh_from_db()
    assert recheck.state == RecheckState.SUBMITTED
    assert (recheck.answer, recheck.answered_by) == ("项目持续运行，成效巩固。", world.liaison_a)
    (item,) = RecheckEvidence.objects.filter(recheck=recheck)
    assert item.original_name == "运行台账.pdf" and item.size > 0 and len(item.sha256) == 64
    assert Notification.objects.filter(
        recipient=world.sup, title__startswith="回头看情况待核验"
    ).exists()
    assert not policy.can(world.liaison_a, "task.confirm_recheck", recheck.task)

    with clock.pinned_today(dt.date(2026, 10, 13)):
        recheck_confirm(actor=world.sup, recheck=recheck, comment="成效巩固。")
    recheck.refresh_from_db()
    assert recheck.state == RecheckState.CONFIRMED and recheck.verdict_by == world.sup
    (event,) = TaskEvent.objects.filter(kind=EventKind.RECHECK_CONFIRMED)
    assert event.message == "成效巩固。"
    task = Task.objects.get(pk=recheck.task_id)
    assert task.state == TaskState.CLOSED and task.light == Light.BLUE
    assert AuditEvent.objects.filter(action="task.recheck.confirm").count() == 1
    # the task may get a new re-check later
    assert policy.can(world.sup, "task.schedule_recheck", task)


def test_a_failed_recheck_reopens_the_task(world, scheduled):
    recheck = _answered(world, _due(scheduled))
    closed_at = Task.objects.get(pk=recheck.task_id).closed_at
    with clock.pinned_today(dt.date(2026, 10, 13)):
        recheck_fail(
            actor=world.sup,
            recheck=recheck,
            comment="现场核查发现设施停运。",
            due=dt.date(2026, 12, 31),
        )
    recheck.refresh_from_db()
    assert recheck.state == RecheckState.FAILED
    task = Task.objects.get(pk=recheck.task_id)
    assert task.state == TaskState.IN_PROGRESS
    assert task.closed_at is None and not task.closed_late
    assert task.due == dt.date(2026, 12, 31)
    assert task.light not in (Light.BLUE, Light.NONE)  # a light again, as an open task
    kinds = list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
    # the earlier closure stays, then the re-check's verdict, then the reopening
    assert kinds.index("closed") < kinds.index("recheck_failed") < kinds.index("reopened")
    reopened = TaskEvent.objects.get(task=task, kind=EventKind.REOPENED)
    assert reopened.message == "现场核查发现设施停运。"
    assert reopened.data["closed_at"] == closed_at.isoformat()
    assert reopened.data["old_due"] == "2026-06-30" and reopened.data["new_due"] == "2026-12-31"
    assert task.closure_requests.get().decision == ClosureDecision.APPROVED
    assert AuditEvent.objects.filter(action="task.reopen").count() == 1
    assert AuditEvent.objects.filter(action="task.recheck.fail").count() == 1
    assert audit_verify() == []
    assert Notification.objects.filter(
        recipient=world.liaison_a, title__startswith="回头看未通过"
    ).exists()
    # the loop goes on: the unit can ask to close it again
    assert policy.can(world.liaison_a, "task.request_closure", task)
    with clock.pinned_today(dt.date(2026, 11, 2)):
        closure_request(actor=world.liaison_a, task=task, summary="整改完成。")
        closure_verify(actor=world.sup, task=task)
    assert Task.objects.get(pk=task.pk).state == TaskState.CLOSED
    assert TaskEvent.objects.filter(task=task, kind=EventKind.CLOSED).count() == 2


def test_the_office_may_fail_a_due_recheck_the_unit_left_unanswered(world, scheduled):
    recheck = _due(scheduled)
    with clock.pinned_today(dt.date(2026, 11, 2)):
        before = snapshot()
        with pytest.raises(ValidationError) as no_answer:
            recheck_confirm(actor=world.sup, recheck=recheck)
        assert no_answer.value.messages == ["牵头单位尚未反馈落实情况，不能核验通过。"]
        assert snapshot() == before
        recheck_fail(actor=world.sup, recheck=recheck, comment="逾期未反馈。")
    task = Task.objects.get(pk=recheck.task_id)
    assert task.state == TaskState.IN_PROGRESS
    assert task.due == dt.date(2026, 6, 30)  # no new due given: red, overdue
    assert task.light == Light.RED


def test_a_failed_recheck_reopens_a_closed_parent(world, today):
    with clock.pinned_today(dt.date(2026, 2, 2)):
        parent = task_create(
            actor=world.sup,
            source=world.source,
            title="实施乡村振兴行动",
            lead_unit=world.a,
            due=dt.date(2026, 6, 30),
            report_cycle="none",
        )
        child = task_create(
            actor=world.sup,
            source=world.source,
            parent=parent,
            title="建设高标准农田",
            lead_unit=world.a,
            due=dt.date(2026, 6, 30),
            report_cycle="none",
        )
        task_assign(actor=world.sup, task=parent)
    with clock.pinned_today(dt.date(2026, 2, 3)):
        assignment_acknowledge(actor=world.liaison_a, task=parent)
        assignment_acknowledge(actor=world.liaison_a, task=child)
    _close(world, child, dt.date(2026, 6, 1))
    _close(world, parent, dt.date(2026, 6, 2))
    with clock.pinned_today(dt.date(2026, 6, 3)):
        recheck = recheck_schedule(actor=world.sup, task=child, due_on=dt.date(2026, 9, 1))
    run_daily(today=dt.date(2026, 9, 1))
    with clock.pinned_today(dt.date(2026, 9, 2)):
        recheck_fail(actor=world.sup, recheck=recheck, comment="农田设施损毁。")
    parent.refresh_from_db()
    assert parent.state == TaskState.IN_PROGRESS and parent.closed_at is None
    event = TaskEvent.objects.get(task=parent, kind=EventKind.REOPENED)
    assert event.data["child"] == child.code


# --- bad input at the answer and the verdict ----------------------------------------------------


def test_the_unit_cannot_answer_before_the_date(world, scheduled):
    before = snapshot()
    with clock.pinned_today(dt.date(2026, 9, 1)), pytest.raises(ValidationError) as early:
        recheck_answer(actor=world.liaison_a, recheck=scheduled, answer="一切正常。")
    assert early.value.messages == ["回头看定于 2026-10-08，到期后再反馈。"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("liaison_b", "只有牵头单位的联络员或负责人可以反馈回头看情况。"),
        ("liaison_c", "只有牵头单位的联络员或负责人可以反馈回头看情况。"),
        ("sup", "只有牵头单位的联络员或负责人可以反馈回头看情况。"),
    ],
)
def test_only_the_lead_unit_answers(world, scheduled, who, message):
    recheck = _due(scheduled)
    before = snapshot()
    with pytest.raises(PermissionDenied) as refused:
        recheck_answer(actor=getattr(world, who), recheck=recheck, answer="一切正常。")
    assert str(refused.value) == message
    assert snapshot() == before


@pytest.mark.parametrize(
    ("answer", "files", "message"),
    [
        ("  ", [], "请填写落实情况。"),
        ("一切正常。", [pdf("脚本.exe")], "附件“脚本.exe”的类型不允许上传"),
        ("一切正常。", [pdf("伪装.pdf", body=b"MZ\x90\x00")], "附件“伪装.pdf”的内容与扩展名不符。"),
    ],
)
def test_bad_answers_are_refused(world, scheduled, answer, files, message):
    recheck = _due(scheduled)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        recheck_answer(actor=world.liaison_a, recheck=recheck, answer=answer, files=files)
    assert message in " ".join(refused.value.messages)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "leader", "liaison_b"])
def test_only_the_office_gives_the_verdict(world, scheduled, who):
    recheck = _answered(world, _due(scheduled))
    before = snapshot()
    with pytest.raises(PermissionDenied) as refused:
        recheck_fail(actor=getattr(world, who), recheck=recheck, comment="不行。")
    assert str(refused.value) == "只有督查室人员可以核验回头看。"
    with pytest.raises(PermissionDenied):
        recheck_confirm(actor=getattr(world, who), recheck=recheck)
    assert snapshot() == before


def test_verdict_bad_input(world, scheduled):
    with clock.pinned_today(dt.date(2026, 9, 1)):
        before = snapshot()
        with pytest.raises(ValidationError) as early:
            recheck_confirm(actor=world.sup, recheck=scheduled)
        assert early.value.messages == ["回头看定于 2026-10-08，尚未到期。"]
    recheck = _answered(world, _due(scheduled))
    with clock.pinned_today(dt.date(2026, 10, 13)):
        before = snapshot()
        with pytest.raises(ValidationError) as empty:
            recheck_fail(actor=world.sup, recheck=recheck, comment=" ")
        assert empty.value.message_dict == {"comment": ["未通过时请填写理由。"]}
        with pytest.raises(ValidationError) as past:
            recheck_fail(
                actor=world.sup, recheck=recheck, comment="不行。", due=dt.date(2026, 10, 1)
            )
        assert past.value.message_dict == {"due": ["新的完成时限须晚于今天。"]}
        assert snapshot() == before
        recheck_confirm(actor=world.sup, recheck=recheck)
        with pytest.raises(ValidationError) as twice:
            recheck_fail(actor=world.sup, recheck=recheck, comment="又不行。")
        assert twice.value.messages == ["该回头看已是“通过”，不能重复核验。"]
