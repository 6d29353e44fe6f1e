"""Meetings: agreed items recorded and turned into tasks in one step (办会)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.audit.models import AuditEvent
from luoshi.meetings.models import Meeting, MeetingItem, MeetingItemUnit
from luoshi.meetings.services import (
    ItemRow,
    meeting_create,
    meeting_generate_tasks,
    meeting_item_link,
    meeting_items_add,
)
from luoshi.tasks.models import Source, Task, TaskEvent, TaskState, TaskUnit
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

CHANGED = [Meeting, MeetingItem, MeetingItemUnit, Source, Task, TaskUnit, TaskEvent, AuditEvent]


def rows(w):
    return [
        ItemRow(
            text="加快东部新城供水管网工程建设，确保按期通水。由市发展改革委统筹。",
            lead_units=[w.a],
            co_units=[w.b],
            due=dt.date(2026, 6, 30),
            due_text="6月底前",
            lead_leader=w.vice,
        ),
        ItemRow(text="做好今冬明春供暖保障工作", lead_units=[w.b, w.c], ongoing=True),
    ]


def test_a_meeting_stands_on_a_source_of_kind_meeting(world):
    m = world.meeting
    assert m.source.kind == "meeting"
    assert m.source.title == "市政府第12次常务会议"
    assert m.source.doc_number == "纪要〔2026〕12号"
    assert m.source.issued_on == m.held_on
    assert AuditEvent.objects.filter(action="meeting.create", object_id=str(m.pk)).exists()


def test_items_are_numbered_and_keep_their_units_in_order(world, today):
    items = meeting_items_add(actor=world.sup, meeting=world.meeting, rows=rows(world))
    assert [i.number for i in items] == [1, 2]
    assert items[1].lead_units == [world.b, world.c]
    more = meeting_items_add(
        actor=world.sup, meeting=world.meeting, rows=[ItemRow(text="三", lead_units=[world.c])]
    )
    assert more[0].number == 3


def test_generate_makes_one_task_per_item_under_the_meetings_source(world, today):
    meeting_items_add(actor=world.sup, meeting=world.meeting, rows=rows(world))
    tasks = meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
    assert len(tasks) == 2
    first, second = tasks
    assert first.source == world.meeting.source
    assert first.title == "加快东部新城供水管网工程建设，确保按期通水"
    assert first.content.startswith("加快东部新城")
    assert first.lead_unit == world.a
    assert [a.unit for a in first.assignments.filter(role="co")] == [world.b]
    assert first.due == dt.date(2026, 6, 30) and first.due_text == "6月底前"
    assert first.lead_leader == world.vice
    assert first.state == TaskState.DRAFT
    # two lead units: the first leads, the second takes part as a co-unit
    assert second.lead_unit == world.b
    assert [a.unit for a in second.assignments.filter(role="co")] == [world.c]
    assert second.ongoing and second.due is None
    items = list(world.meeting.items.order_by("number"))
    assert [i.task for i in items] == tasks
    assert TaskEvent.objects.filter(task__in=tasks, kind="created").count() == 2
    assert AuditEvent.objects.filter(action="meeting.tasks_generate").count() == 1


def test_generate_twice_makes_nothing_twice(world, today):
    meeting_items_add(actor=world.sup, meeting=world.meeting, rows=rows(world))
    meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
    before = count_rows(CHANGED)
    with pytest.raises(ValidationError) as exc:
        meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
    assert "都已生成任务" in exc.value.messages[0]
    assert count_rows(CHANGED) == before
    # a new item later: only it becomes a task
    meeting_items_add(
        actor=world.sup, meeting=world.meeting, rows=[ItemRow(text="新事项", lead_units=[world.c])]
    )
    again = meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
    assert [t.title for t in again] == ["新事项"]
    assert Task.objects.filter(source=world.meeting.source).count() == 3


def test_generate_only_the_chosen_items_and_assign_them(world, today):
    items = meeting_items_add(actor=world.sup, meeting=world.meeting, rows=rows(world))
    tasks = meeting_generate_tasks(
        actor=world.sup, meeting=world.meeting, items=[items[1]], assign=True
    )
    assert len(tasks) == 1
    assert tasks[0].state == TaskState.ASSIGNED
    items[0].refresh_from_db()
    assert items[0].task is None


def test_generate_is_one_transaction(world, today, monkeypatch):
    """A failure on the second item leaves no task of the first behind."""
    meeting_items_add(actor=world.sup, meeting=world.meeting, rows=rows(world))
    from luoshi.meetings import services

    real = services.task_create
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "task_create", failing)
    before = count_rows(CHANGED)
    with pytest.raises(ValidationError):
        meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
    assert count_rows(CHANGED) == before
    assert not world.meeting.items.filter(task__isnull=False).exists()


def test_generate_queries_grow_with_items_not_beyond(world, today):
    meeting_items_add(actor=world.sup, meeting=world.meeting, rows=rows(world) * 3)
    with CaptureQueriesContext(connection) as ctx:
        meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
    assert len(ctx.captured_queries) < 6 * 40  # task_create's own work per item, bounded


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (lambda w: ItemRow(text="  ", lead_units=[w.a]), "请填写议定事项的内容。"),
        (lambda w: ItemRow(text="事项", lead_units=[]), "请填写牵头单位。"),
        (
            lambda w: ItemRow(text="事项", lead_units=[w.a], due=dt.date(2026, 3, 1)),
            "完成时限（2026-03-01）不能早于会议日期（2026-03-02）。",
        ),
        (
            lambda w: ItemRow(text="事项", lead_units=[w.a], co_units=[w.a]),
            "牵头单位不能同时是配合单位。",
        ),
        (
            lambda w: ItemRow(text="事项", lead_units=[w.a], lead_leader=w.sup),
            "牵头领导必须是领导角色的用户。",
        ),
    ],
)
def test_bad_items_are_refused_and_nothing_is_written(world, today, row, message):
    before = count_rows(CHANGED)
    good = ItemRow(text="好事项", lead_units=[world.b])
    with pytest.raises(ValidationError) as exc:
        meeting_items_add(actor=world.sup, meeting=world.meeting, rows=[good, row(world)])
    assert exc.value.message_dict == {"row2": [message]}
    assert count_rows(CHANGED) == before


def test_inactive_unit_is_refused(world, today):
    world.c.is_active = False
    world.c.save()
    with pytest.raises(ValidationError) as exc:
        meeting_items_add(
            actor=world.sup, meeting=world.meeting, rows=[ItemRow(text="x", lead_units=[world.c])]
        )
    assert "已停用" in exc.value.messages[0]


def test_meeting_create_refuses_bad_input(world, today):
    before = count_rows(CHANGED)
    with pytest.raises(ValidationError) as exc:
        meeting_create(actor=world.sup, name=" ", held_on=today)
    assert exc.value.message_dict == {"name": ["请填写会议名称。"]}
    with pytest.raises(ValidationError) as exc:
        meeting_create(actor=world.sup, name="会", held_on=today, chair=world.liaison_a)
    assert exc.value.message_dict == {"chair": ["主持领导必须是领导角色的用户。"]}
    with pytest.raises(ValidationError) as exc:  # an item's error rolls back the meeting too
        meeting_create(
            actor=world.sup,
            name="会",
            held_on=today,
            items=[ItemRow(text="", lead_units=[world.a])],
        )
    assert exc.value.message_dict == {"row1": ["请填写议定事项的内容。"]}
    assert count_rows(CHANGED) == before


def test_minutes_file_must_be_docx_or_pdf(world, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("纪要.exe", b"MZ...")
    with pytest.raises(ValidationError) as exc:
        meeting_create(actor=world.sup, name="会", held_on=today, minutes_file=bad)
    assert "须为 .docx 或 .pdf" in exc.value.messages[0]
    fake = SimpleUploadedFile("纪要.pdf", b"not a pdf")
    with pytest.raises(ValidationError) as exc:
        meeting_create(actor=world.sup, name="会", held_on=today, minutes_file=fake)
    assert "内容与扩展名不符" in exc.value.messages[0]
    good = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%")
    m = meeting_create(actor=world.sup, name="会", held_on=today, minutes_file=good)
    assert m.minutes_file_name == "纪要.pdf" and m.minutes_file.name.endswith(".pdf")


def test_only_the_office_manages_meetings(world, today):
    for who in (world.mayor, world.liaison_a, world.sysadmin):
        with pytest.raises(PermissionDenied):
            meeting_items_add(
                actor=who, meeting=world.meeting, rows=[ItemRow(text="x", lead_units=[world.a])]
            )
        with pytest.raises(PermissionDenied):
            meeting_generate_tasks(actor=who, meeting=world.meeting)


def test_link_an_item_to_an_existing_task_of_the_source(world, today):
    (item,) = meeting_items_add(
        actor=world.sup, meeting=world.meeting, rows=[ItemRow(text="x", lead_units=[world.a])]
    )
    with pytest.raises(ValidationError) as exc:
        meeting_item_link(actor=world.sup, item=item, task=world.task)
    assert exc.value.messages == ["任务不属于该会议的任务来源。"]
    from luoshi.tasks.services.editing import task_create

    task = task_create(actor=world.sup, source=world.meeting.source, title="x", lead_unit=world.a)
    meeting_item_link(actor=world.sup, item=item, task=task)
    item.refresh_from_db()
    assert item.task == task
    with pytest.raises(ValidationError):
        meeting_generate_tasks(actor=world.sup, meeting=world.meeting)
