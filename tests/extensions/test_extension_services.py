"""申请延期 through the services, on 2026 dates: the office decides; a task of high priority
(重要, 紧急) with a lead leader goes on to that leader after the office's 同意; only the final
同意 changes the due, the old one stays in the request and the history; the state never
changes. Every refusal says why in Chinese and leaves everything as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from luoshi.access import policy
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_verify
from luoshi.extensions.models import ExtensionRequest, ExtensionState
from luoshi.extensions.services import extension_approve, extension_refuse, extension_request
from luoshi.lib import clock
from luoshi.notifications.models import Notification, NotificationKind
from luoshi.tasks.models import EventKind, Light, Task, TaskEvent, TaskState
from luoshi.tasks.services.lifecycle import closure_request, closure_verify
from tests.extensions.world import DUE, snapshot

NEW = dt.date(2026, 9, 30)


def _ask(world, task, new_due=NEW, actor=None, reason="受汛期影响，主体工程顺延。"):
    return extension_request(
        actor=actor or world.liaison_a, task=task, new_due=new_due, reason=reason
    )


def _events(task, kind):
    return list(TaskEvent.objects.filter(task=task, kind=kind).order_by("id"))


def test_office_approves_a_normal_task_and_the_old_due_stays_in_history(world, today):
    request = _ask(world, world.normal)
    assert request.state == ExtensionState.PENDING
    assert (request.old_due, request.new_due, request.unit) == (DUE, NEW, world.a)
    task = Task.objects.get(pk=world.normal.pk)
    assert task.due == DUE and not task.due_extended  # nothing changes before 同意
    asked = _events(task, EventKind.EXTENSION_REQUESTED)
    assert len(asked) == 1
    assert asked[0].message == "受汛期影响，主体工程顺延。"
    assert asked[0].unit == world.a
    assert asked[0].data == {"request": request.pk, "old": "2026-06-30", "new": "2026-09-30"}
    note = Notification.objects.get(recipient=world.sup)
    assert note.kind == NotificationKind.EXTENSION
    assert note.title == f"延期申请待审核：{task.code} 实施重大项目攻坚行动"
    assert note.url == f"/extensions/{request.pk}/"
    assert not Notification.objects.filter(recipient=world.leader).exists()

    with clock.pinned_today(dt.date(2026, 3, 11)):
        decided = extension_approve(actor=world.sup, request=request, comment="同意顺延。")
    assert decided.state == ExtensionState.APPROVED
    assert decided.office_by == world.sup and decided.office_comment == "同意顺延。"
    assert decided.leader is None
    task.refresh_from_db()
    assert task.due == NEW and task.due_extended
    assert task.state == TaskState.IN_PROGRESS  # an extension never changes the state
    (approved,) = _events(task, EventKind.EXTENSION_APPROVED)
    assert approved.actor == world.sup and approved.message == "同意顺延。"
    assert approved.data == {"request": request.pk, "old": "2026-06-30", "new": "2026-09-30"}
    audit = AuditEvent.objects.get(action="task.extension.approve")
    assert audit.object_id == str(task.pk)
    assert audit.data["old"] == "2026-06-30" and audit.data["new"] == "2026-09-30"
    assert AuditEvent.objects.filter(action="task.extension.request").count() == 1
    assert audit_verify() == []
    told = set(
        Notification.objects.filter(title__startswith="延期申请已同意").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"liaison_a", "head_a"}  # the lead unit, not the co-unit
    assert not TaskEvent.objects.filter(task=task, kind=EventKind.EXTENSION_REFUSED).exists()


def test_high_priority_goes_to_the_lead_leader_after_the_office(world, today):
    request = _ask(world, world.high)
    extension_approve(actor=world.sup, request=request, comment="情况属实。")
    request.refresh_from_db()
    assert request.state == ExtensionState.LEADER_PENDING
    assert request.leader == world.leader
    task = Task.objects.get(pk=world.high.pk)
    assert task.due == DUE and not task.due_extended  # not yet
    assert not _events(task, EventKind.EXTENSION_APPROVED)
    note = Notification.objects.get(recipient=world.leader)
    assert note.title.startswith("延期申请待您审批：")
    assert AuditEvent.objects.filter(action="task.extension.forward").count() == 1

    # the office has spoken; another leader is not the one it was routed to
    with pytest.raises(PermissionDenied) as office_again:
        extension_approve(actor=world.sup, request=request)
    assert str(office_again.value) == "该延期申请已经督查室同意，正在等待牵头领导审批。"
    with pytest.raises(PermissionDenied):
        extension_approve(actor=world.leader2, request=request)
    assert policy.can(world.leader, "task.decide_extension", task)
    assert not policy.can(world.sup, "task.decide_extension", task)

    extension_approve(actor=world.leader, request=request, comment="同意。")
    request.refresh_from_db()
    assert request.state == ExtensionState.APPROVED
    assert request.leader_comment == "同意。" and request.office_comment == "情况属实。"
    task.refresh_from_db()
    assert task.due == NEW and task.due_extended
    (approved,) = _events(task, EventKind.EXTENSION_APPROVED)
    assert approved.actor == world.leader
    assert approved.data["old"] == "2026-06-30" and approved.data["new"] == "2026-09-30"
    assert approved.data["office"] == str(world.sup)


def test_the_lead_leader_may_refuse_and_the_due_stays(world, today):
    request = _ask(world, world.high)
    extension_approve(actor=world.sup, request=request)
    extension_refuse(actor=world.leader, request=request, comment="年内必须完成，不同意延期。")
    request.refresh_from_db()
    assert request.state == ExtensionState.REFUSED
    assert request.leader_comment == "年内必须完成，不同意延期。"
    task = Task.objects.get(pk=world.high.pk)
    assert task.due == DUE and not task.due_extended
    (refused,) = _events(task, EventKind.EXTENSION_REFUSED)
    assert refused.actor == world.leader and refused.message == "年内必须完成，不同意延期。"
    assert Notification.objects.filter(
        recipient=world.liaison_a, title__startswith="延期申请未获同意"
    ).exists()
    # a new request may follow a decided one
    assert policy.can(world.liaison_a, "task.request_extension", task)


def test_the_leader_waits_for_the_office(world, today):
    request = _ask(world, world.high)
    before = snapshot()
    with pytest.raises(PermissionDenied) as refused:
        extension_approve(actor=world.leader, request=request)
    assert str(refused.value) == "该延期申请尚待督查室审核，督查室同意后再报您审批。"
    assert snapshot() == before


def test_urgent_without_a_lead_leader_is_the_office_alone(world, today):
    request = _ask(world, world.urgent)
    extension_approve(actor=world.sup, request=request)
    request.refresh_from_db()
    assert request.state == ExtensionState.APPROVED
    assert Task.objects.get(pk=world.urgent.pk).due == NEW


def test_the_office_refuses_with_a_reason(world, today):
    request = _ask(world, world.normal)
    before = snapshot()
    with pytest.raises(ValidationError) as empty:
        extension_refuse(actor=world.sup, request=request, comment="  ")
    assert empty.value.message_dict == {"comment": ["不同意时请填写理由。"]}
    assert snapshot() == before
    extension_refuse(actor=world.sup, request=request, comment="理由不充分。")
    request.refresh_from_db()
    assert request.state == ExtensionState.REFUSED and request.office_comment == "理由不充分。"
    assert Task.objects.get(pk=world.normal.pk).due == DUE
    with pytest.raises(ValidationError) as again:
        extension_approve(actor=world.sup, request=request)
    assert again.value.messages == ["该延期申请已办理（不同意），不能重复审批。"]


def test_an_approved_extension_takes_an_overdue_task_off_red(world, today):
    task = Task.objects.get(pk=world.late.pk)
    assert task.light == Light.RED
    assert [r["code"] for r in task.light_reasons] == ["overdue"]
    request = _ask(world, task, new_due=dt.date(2026, 4, 30))
    extension_approve(actor=world.sup, request=request)
    task.refresh_from_db()
    # no longer overdue; nothing reported yet while a third of the new period has passed
    assert task.light == Light.YELLOW
    assert [r["code"] for r in task.light_reasons] == ["lagging"]
    changed = TaskEvent.objects.filter(task=task, kind=EventKind.LIGHT_CHANGED).last()
    assert changed.data["from"] == "red" and changed.data["to"] == "yellow"


def test_a_second_extension_keeps_each_old_due(world, today):
    first = _ask(world, world.normal)
    extension_approve(actor=world.sup, request=first)
    with clock.pinned_today(dt.date(2026, 9, 1)):
        second = _ask(world, world.normal, new_due=dt.date(2026, 11, 30))
        assert second.old_due == NEW
        extension_approve(actor=world.sup, request=second)
    history = [e.data for e in _events(world.normal, EventKind.EXTENSION_APPROVED)]
    assert [(d["old"], d["new"]) for d in history] == [
        ("2026-06-30", "2026-09-30"),
        ("2026-09-30", "2026-11-30"),
    ]


# --- bad input: a Chinese message, and nothing changed -------------------------------------------


@pytest.mark.parametrize(
    ("new_due", "reason", "errors"),
    [
        (
            dt.date(2026, 6, 1),
            "工期紧张。",
            {"new_due": ["申请延至的日期须晚于当前完成时限（2026-06-30）。"]},
        ),
        (DUE, "工期紧张。", {"new_due": ["申请延至的日期须晚于当前完成时限（2026-06-30）。"]}),
        (NEW, "   ", {"reason": ["请填写延期理由。"]}),
        (None, "", {"new_due": ["请填写申请延至的日期。"], "reason": ["请填写延期理由。"]}),
        ("2026-09-30", "工期紧张。", {"new_due": ["请填写申请延至的日期。"]}),
    ],
    ids=["before-due", "same-as-due", "empty-reason", "nothing", "a-string"],
)
def test_bad_request_is_refused(world, today, new_due, reason, errors):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        _ask(world, world.normal, new_due=new_due, reason=reason)
    assert refused.value.message_dict == errors
    assert snapshot() == before


def test_a_new_date_already_past_is_refused(world, today):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        _ask(world, world.late, new_due=dt.date(2026, 3, 9))  # after the due, before today
    assert refused.value.message_dict == {"new_due": ["申请延至的日期须晚于今天。"]}
    assert snapshot() == before


def test_one_pending_request_at_a_time(world, today):
    _ask(world, world.normal)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        _ask(world, world.normal, actor=world.head_a, new_due=dt.date(2026, 12, 31))
    assert refused.value.messages == ["已有一项延期申请正在审批，请等待结果后再申请。"]
    assert snapshot() == before
    assert policy.denial_message("task.request_extension", world.liaison_a, world.normal) == (
        "已有一项延期申请正在审批，请等待结果后再申请。"
    )


def test_the_database_holds_one_open_request_per_task(world, today):
    first = _ask(world, world.normal)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            task=first.task,
            unit=world.a,
            requested_by=world.head_a,
            requested_at=clock.now(),
            reason="重复",
            old_due=DUE,
            new_due=dt.date(2026, 12, 31),
            state=ExtensionState.LEADER_PENDING,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            task=world.high,
            unit=world.a,
            requested_by=world.head_a,
            requested_at=clock.now(),
            reason="日期倒置",
            old_due=DUE,
            new_due=dt.date(2026, 6, 1),
        )


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("liaison_b", "只有牵头单位的联络员或负责人可以申请延期。"),  # the co-unit
        ("liaison_c", "只有牵头单位的联络员或负责人可以申请延期。"),  # on no task
        ("sup", "只有牵头单位的联络员或负责人可以申请延期。"),
    ],
)
def test_only_the_lead_unit_requests(world, today, who, message):
    before = snapshot()
    with pytest.raises(PermissionDenied) as refused:
        _ask(world, world.normal, actor=getattr(world, who))
    assert str(refused.value) == message
    assert snapshot() == before


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("ongoing", "长期坚持的任务没有完成时限，不能申请延期。"),
        ("unsigned", "任务当前状态为“已交办”，不能申请延期。"),
    ],
)
def test_tasks_that_cannot_be_extended(world, today, task, message):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        _ask(world, getattr(world, task))
    assert refused.value.messages == [message]
    assert snapshot() == before
    assert not policy.can(world.liaison_a, "task.request_extension", getattr(world, task))


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "liaison_b", "leader", "leader2"])
def test_only_the_office_decides_first(world, today, who):
    request = _ask(world, world.normal)
    before = snapshot()
    with pytest.raises(PermissionDenied) as refused:
        extension_approve(actor=getattr(world, who), request=request)
    assert "督查室" in str(refused.value)
    with pytest.raises(PermissionDenied):
        extension_refuse(actor=getattr(world, who), request=request, comment="不同意。")
    assert snapshot() == before


def test_a_closed_task_is_not_extended_but_the_request_can_be_refused(world, today):
    request = _ask(world, world.normal)
    closure_request(actor=world.liaison_a, task=world.normal, summary="已完成。")
    closure_verify(actor=world.sup, task=world.normal)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        extension_approve(actor=world.sup, request=request)
    assert refused.value.messages == ["任务当前状态为“已办结”，不能再延期。"]
    assert snapshot() == before
    extension_refuse(actor=world.sup, request=request, comment="任务已办结，无需延期。")
    assert Task.objects.get(pk=world.normal.pk).due == DUE
