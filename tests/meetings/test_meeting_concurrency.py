"""Two office users press 生成任务 on the same meeting at once: every item becomes one task,
none two; the other is told there is nothing left to make. On SQLite and PostgreSQL alike
(real connections, committed transactions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from luoshi.lib import clock
from luoshi.meetings.services import ItemRow, meeting_generate_tasks, meeting_items_add
from luoshi.tasks.models import Task
from tests.meetings.world import TODAY, build_world
from tests.supervision.test_supervision_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_generate_at_once_make_each_task_once():
    w = build_world()
    with clock.pinned_today(TODAY):
        rows = [
            ItemRow(text=f"事项{n}", lead_units=[w.a], due=dt.date(2026, 6, 30)) for n in range(8)
        ]
        meeting_items_add(actor=w.sup, meeting=w.meeting, rows=rows)
    made: list[int] = []
    refused: list[str] = []

    def press():
        with clock.pinned_today(TODAY):
            try:
                made.append(len(meeting_generate_tasks(actor=w.sup, meeting=w.meeting)))
            except ValidationError as exc:
                refused.extend(exc.messages)

    assert run_together([press, press]) == []
    assert made == [8]
    assert refused == ["所选议定事项都已生成任务，没有需要生成的。"]
    tasks = Task.objects.filter(source=w.meeting.source)
    assert tasks.count() == 8
    assert len(set(tasks.values_list("code", flat=True))) == 8
    assert w.meeting.items.filter(task__isnull=True).count() == 0
