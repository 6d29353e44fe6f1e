"""The 办会办文 pages cost the same number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.meetings.services import (
    ItemRow,
    instruction_create,
    instruction_report,
    meeting_create,
    meeting_generate_tasks,
    meeting_items_add,
)
from luoshi.tasks.services.editing import task_create

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_meeting(w, n):
    m = meeting_create(actor=w.sup, name=f"会议{n}", held_on=dt.date(2026, 3, 9), chair=w.mayor)
    rows = [ItemRow(text=f"事项{i}", lead_units=[w.a], co_units=[w.b, w.c]) for i in range(3)]
    meeting_items_add(actor=w.sup, meeting=m, rows=rows)
    meeting_generate_tasks(actor=w.sup, meeting=m)
    return m


def add_instruction(w, n):
    i = instruction_create(
        actor=w.sup,
        leader=w.mayor,
        text="请办。",
        given_on=dt.date(2026, 3, 9),
        doc_title=f"来文{n}",
    )
    task_create(actor=w.sup, source=i.source, title=f"任务{n}", lead_unit=w.a)
    instruction_report(actor=w.sup, instruction=i, text="已办。")
    return i


@pytest.mark.parametrize("who", ["sup", "mayor"])
def test_lists_do_not_grow_with_rows(world, login, today, who):
    client = login(getattr(world, who))
    add_meeting(world, 1)
    add_instruction(world, 1)
    few = (
        queries(client, reverse("meetings:list")),
        queries(client, reverse("meetings:instructions")),
    )
    for n in range(2, 6):
        add_meeting(world, n)
        add_instruction(world, n)
    many = (
        queries(client, reverse("meetings:list")),
        queries(client, reverse("meetings:instructions")),
    )
    assert many == few


def test_meeting_page_does_not_grow_with_items(world, login, today):
    client = login(world.sup)
    small = add_meeting(world, 1)
    big = meeting_create(actor=world.sup, name="大会", held_on=dt.date(2026, 3, 9))
    rows = [ItemRow(text=f"事项{i}", lead_units=[world.a], co_units=[world.b]) for i in range(12)]
    meeting_items_add(actor=world.sup, meeting=big, rows=rows)
    meeting_generate_tasks(actor=world.sup, meeting=big)
    assert queries(client, reverse("meetings:detail", args=[big.pk])) == queries(
        client, reverse("meetings:detail", args=[small.pk])
    )
