"""Instructions (批示件): recorded, decomposed, and their 办理情况 reported to the leader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.meetings.models import Instruction, InstructionReport, InstructionStatus
from luoshi.meetings.services import (
    instruction_create,
    instruction_report,
    instruction_report_draft,
    instruction_report_read,
    instructions_with_status,
)
from luoshi.notifications.models import Notification
from luoshi.tasks.models import Source, Task
from luoshi.tasks.services.lifecycle import closure_request, closure_verify
from tests.meetings.world import GIVEN, REPORT_DUE
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

CHANGED = [Instruction, InstructionReport, Source, Task, Notification, AuditEvent]


def status_of(instruction, today):
    (row,) = instructions_with_status(Instruction.objects.filter(pk=instruction.pk), today=today)
    return row


def test_an_instruction_stands_on_a_source_of_kind_instruction(world):
    source = world.instruction.source
    assert source.kind == "instruction"
    assert source.title == "周市长对《群众反映物流园周边道路拥堵问题》的批示"
    assert source.issuer == "周市长"
    assert source.issued_on == GIVEN
    assert source.content == world.instruction.text


def test_the_draft_tells_each_tasks_state_and_latest_progress(world, today):
    draft = instruction_report_draft(world.instruction)
    assert draft.startswith("周市长：")
    assert "2026年3月3日在《群众反映物流园周边道路拥堵问题》上的批示收悉" in draft
    assert "1. 研究解决物流园周边道路拥堵问题（市发展改革委牵头，办理中，进度 40%）" in draft
    assert "进展：已召开专题会，形成初步方案。" in draft
    assert draft.endswith("特此报告。")


def test_report_is_stored_and_the_leader_notified(world, today):
    report = instruction_report(actor=world.sup, instruction=world.instruction, text=" 已落实。 ")
    assert report.text == "已落实。"
    assert report.reported_by == world.sup and report.read_at is None
    note = Notification.objects.get(recipient=world.mayor)
    assert note.kind == "leader"
    assert note.title == "办理情况报告：周市长对《群众反映物流园周边道路拥堵问题》的批示"
    assert note.url == f"/meetings/instructions/{world.instruction.pk}/"
    assert AuditEvent.objects.filter(action="instruction.report").count() == 1
    # append-only: a second report is a new row; the first stays as it was
    instruction_report(actor=world.sup, instruction=world.instruction, text="续报。")
    assert list(world.instruction.reports.order_by("pk").values_list("text", flat=True)) == [
        "已落实。",
        "续报。",
    ]


def test_leader_marks_read_with_a_comment_that_is_kept(world, today):
    report = instruction_report(actor=world.sup, instruction=world.instruction, text="已落实。")
    instruction_report_read(actor=world.mayor, report=report, comment="很好，抓好后续。")
    report.refresh_from_db()
    assert report.read_at is not None and report.read_comment == "很好，抓好后续。"
    back = Notification.objects.get(recipient=world.sup)
    assert back.body == "很好，抓好后续。"
    before = count_rows(CHANGED)
    with pytest.raises(PermissionDenied) as exc:
        instruction_report_read(actor=world.mayor, report=report, comment="再阅")
    assert str(exc.value) == "该办理情况报告已标记已阅。"
    assert count_rows(CHANGED) == before


def test_only_the_instructions_leader_marks_read(world, today):
    report = instruction_report(actor=world.sup, instruction=world.instruction, text="已落实。")
    before = count_rows(CHANGED)
    for who in (world.vice, world.sup, world.liaison_a):
        with pytest.raises(PermissionDenied) as exc:
            instruction_report_read(actor=who, report=report)
        assert str(exc.value) == "只有作出批示的领导可以阅示办理情况报告。"
    assert count_rows(CHANGED) == before


def test_report_with_no_tasks_is_refused_with_a_clear_message(world, today):
    bare = instruction_create(
        actor=world.sup,
        leader=world.mayor,
        text="请研究。",
        given_on=today,
        doc_title="关于某事的请示",
    )
    before = count_rows(CHANGED)
    with pytest.raises(ValidationError) as exc:
        instruction_report(actor=world.sup, instruction=bare, text="已办。")
    assert exc.value.messages == [
        "该批示件还没有分解任务，无法报告办理情况。请先分解任务，再报告领导。"
    ]
    with pytest.raises(ValidationError) as exc:
        instruction_report(actor=world.sup, instruction=world.instruction, text="  ")
    assert exc.value.message_dict == {"text": ["请填写办理情况。"]}
    assert count_rows(CHANGED) == before


def test_only_the_office_reports(world, today):
    for who in (world.mayor, world.liaison_a):
        with pytest.raises(PermissionDenied):
            instruction_report(actor=who, instruction=world.instruction, text="x")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"text": " "}, "text", "请填写批示内容。"),
        ({"doc_title": ""}, "doc_title", "请填写来文标题。"),
        ({"leader": "sup"}, "leader", "批示领导必须是领导角色的用户。"),
        ({"report_due": dt.date(2026, 3, 1)}, "report_due", "办理情况报送时限不能早于批示日期。"),
        ({"urgency": "x"}, "urgency", "未知的缓急程度。"),
    ],
)
def test_instruction_bad_input(world, today, change, field, message):
    fields = dict(leader=world.mayor, text="请办。", given_on=dt.date(2026, 3, 5), doc_title="来文")
    if change.get("leader") == "sup":
        change = {"leader": world.sup}
    fields.update(change)
    before = count_rows(CHANGED)
    with pytest.raises(ValidationError) as exc:
        instruction_create(actor=world.sup, **fields)
    assert exc.value.message_dict[field] == [message]
    assert count_rows(CHANGED) == before


def test_status_moves_from_to_decompose_to_done(world, today):
    bare = instruction_create(
        actor=world.sup, leader=world.mayor, text="请办。", given_on=today, doc_title="来文"
    )
    assert status_of(bare, today).status == InstructionStatus.TO_DECOMPOSE
    row = status_of(world.instruction, today)
    assert row.status == InstructionStatus.IN_PROGRESS
    assert not row.overdue
    late = status_of(world.instruction, REPORT_DUE + dt.timedelta(days=1))
    assert late.overdue
    instruction_report(actor=world.sup, instruction=world.instruction, text="阶段进展。")
    assert status_of(world.instruction, today).status == InstructionStatus.REPORTED
    assert not status_of(world.instruction, REPORT_DUE + dt.timedelta(days=1)).overdue
    with clock.pinned_today(dt.date(2026, 3, 11)):
        closure_request(actor=world.liaison_a, task=world.task, summary="已完成。", files=[])
        closure_verify(actor=world.sup, task=world.task)
    # closed after the last report: still 已报告 until the office reports again
    assert status_of(world.instruction, today).status == InstructionStatus.REPORTED
    with clock.pinned_today(dt.date(2026, 3, 12)):
        instruction_report(actor=world.sup, instruction=world.instruction, text="已办结。")
    assert status_of(world.instruction, today).status == InstructionStatus.DONE
