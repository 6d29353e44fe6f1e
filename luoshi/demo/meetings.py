"""The demo's 办会办文: the 常务会议 of other_sources.py recorded as a meeting whose agreed
items are its tasks, and the mayor's 批示 recorded as an instruction with one 办理情况 report
the mayor has not read yet. Run after the story, through the meetings services."""

from __future__ import annotations

import datetime as dt

from luoshi.demo.people import People
from luoshi.lib import clock
from luoshi.meetings.models import MeetingKind
from luoshi.meetings.services import (
    ItemRow,
    instruction_create,
    instruction_report,
    instruction_report_draft,
    meeting_create,
    meeting_item_link,
)
from luoshi.org.models import Role, User
from luoshi.tasks.models import AssignmentRole, Source, SourceKind, Task
from luoshi.workcal.services import WorkCalendar

INSTRUCTION_TEXT = (
    "请交通运输局牵头，会同公安交警、发展改革部门和东城区，一周内拿出解决方案，标本兼治，"
    "并举一反三梳理全市物流园区周边交通问题。"
)
INSTRUCTION_DOC = "群众反映东城区物流园周边道路拥堵问题"


def build_meetings(*, people: People, today: dt.date) -> None:
    supervisor = people.supervisor
    mayor = User.objects.get(username="lingdao")
    cal = WorkCalendar()
    meeting_source = Source.objects.filter(kind=SourceKind.MEETING).first()
    if meeting_source is not None:
        _meeting(supervisor, mayor, meeting_source)
    instruction_source = Source.objects.filter(kind=SourceKind.INSTRUCTION).first()
    if instruction_source is not None:
        _instruction(supervisor, mayor, instruction_source, cal, today)


def _meeting(supervisor: User, mayor: User, source: Source) -> None:
    tasks = list(
        Task.objects.filter(source=source, parent=None)
        .select_related("lead_unit", "lead_leader")
        .order_by("sort_order", "pk")
    )
    leaders = User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk")
    with clock.pinned_today(source.issued_on):
        meeting = meeting_create(
            actor=supervisor,
            source=source,
            name=source.title.removesuffix("纪要"),
            kind=MeetingKind.STANDING,
            held_on=source.issued_on,
            place="市政府第一会议室",
            chair=mayor,
            attendees="、".join(u.display_name for u in leaders),
            minutes=source.content,
            minutes_number=source.doc_number,
            items=[_item_row(t) for t in tasks],
        )
        for item, task in zip(meeting.items.order_by("number"), tasks, strict=True):
            meeting_item_link(actor=supervisor, item=item, task=task)


def _item_row(task: Task) -> ItemRow:
    co = [a.unit for a in task.assignments.filter(role=AssignmentRole.CO).select_related("unit")]
    return ItemRow(
        text=task.title,
        lead_units=[task.lead_unit] if task.lead_unit else [],
        co_units=co,
        due=None if task.ongoing else task.due,
        ongoing=task.ongoing,
        due_text=task.due_text,
        lead_leader=task.lead_leader,
    )


def _instruction(
    supervisor: User, mayor: User, source: Source, cal: WorkCalendar, today: dt.date
) -> None:
    given = source.issued_on
    with clock.pinned_today(given):
        instruction = instruction_create(
            actor=supervisor,
            source=source,
            leader=mayor,
            text=INSTRUCTION_TEXT,
            given_on=given,
            doc_title=INSTRUCTION_DOC,
            doc_number=source.doc_number,
            urgency="urgent",
            report_due=cal.add_working_days(given, 5),
        )
    reported = min(cal.add_working_days(given, 2), today)
    with clock.pinned_today(reported):
        instruction_report(
            actor=supervisor,
            instruction=instruction,
            text=instruction_report_draft(instruction),
        )
