"""Statistics tell on-time from extended: which tasks were extended, the due before the first
extension, and whether a closure came on time against that original due (按期), only within
the extension (延期后按期) or after the extended due too (逾期) — in the database (one
annotated query) and for one task, the same answer. Dates are local (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from luoshi.extensions.models import ExtensionState
from luoshi.extensions.queries import (
    Timeliness,
    closure_timeliness,
    extended_task_ids,
    original_due,
    timeliness_counts,
    with_timeliness,
)
from luoshi.extensions.services import extension_approve, extension_refuse, extension_request
from luoshi.lib import clock
from luoshi.tasks.models import Task
from luoshi.tasks.services.lifecycle import assignment_acknowledge, closure_request, closure_verify
from tests.extensions.world import DUE

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _extend(world, task, new_due, *, approve=True):
    with clock.pinned_today(dt.date(2026, 3, 10)):
        request = extension_request(
            actor=world.liaison_a, task=task, new_due=new_due, reason="工期顺延。"
        )
        if approve:
            extension_approve(actor=world.sup, request=request)
            if request.task.priority != "normal":
                request.refresh_from_db()
                if request.state == ExtensionState.LEADER_PENDING:
                    extension_approve(actor=world.leader, request=request)
        else:
            extension_refuse(actor=world.sup, request=request, comment="不同意。")


def _close(world, task, on):
    with clock.pinned_today(on):
        closure_request(actor=world.liaison_a, task=task, summary="已完成。")
        closure_verify(actor=world.sup, task=task)


@pytest.fixture
def closed(world):
    """normal    06-30 → 09-30, closed 08-14: only thanks to the extension
    urgent    06-30 → 09-30, closed 06-15: before the original due anyway
    late      03-05 → 04-30, closed 05-08: after the extended due too
    unsigned  never extended, closed 06-20: on time
    ongoing   no due, closed 06-20: on time
    high      refused extension, still open"""
    _extend(world, world.normal, dt.date(2026, 9, 30))
    _extend(world, world.urgent, dt.date(2026, 9, 30))
    _extend(world, world.late, dt.date(2026, 4, 30))
    _extend(world, world.high, dt.date(2026, 9, 30), approve=False)
    with clock.pinned_today(dt.date(2026, 3, 11)):
        assignment_acknowledge(actor=world.liaison_a, task=world.unsigned)
    _close(world, world.normal, dt.date(2026, 8, 14))
    _close(world, world.urgent, dt.date(2026, 6, 15))
    _close(world, world.late, dt.date(2026, 5, 8))
    _close(world, world.unsigned, dt.date(2026, 6, 20))
    _close(world, world.ongoing, dt.date(2026, 6, 20))
    return world


EXPECTED = {
    # task: (extended, original due, due now, timeliness, closed_late)
    "normal": (True, DUE, dt.date(2026, 9, 30), Timeliness.EXTENDED, False),
    "urgent": (True, DUE, dt.date(2026, 9, 30), Timeliness.ON_TIME, False),
    "late": (True, dt.date(2026, 3, 5), dt.date(2026, 4, 30), Timeliness.LATE, True),
    "unsigned": (False, DUE, DUE, Timeliness.ON_TIME, False),
    "ongoing": (False, None, None, Timeliness.ON_TIME, False),
    "high": (False, DUE, DUE, "", False),
}


def test_extended_task_ids_counts_only_approved_extensions(closed):
    ids = set(extended_task_ids())
    assert ids == {closed.normal.pk, closed.urgent.pk, closed.late.pk}
    # usable as a subquery
    assert set(Task.objects.filter(pk__in=extended_task_ids()).values_list("pk", flat=True)) == ids


@pytest.mark.parametrize("name", EXPECTED)
def test_each_task_in_one_annotated_query_and_alone(closed, name, django_assert_num_queries):
    extended, first_due, due, timeliness, late = EXPECTED[name]
    pk = getattr(closed, name).pk
    with django_assert_num_queries(1):
        row = with_timeliness().get(pk=pk)
    assert (row.extended, row.original_due, row.due, row.timeliness) == (
        extended,
        first_due,
        due,
        timeliness,
    )
    assert row.closed_late is late  # closed_late compares with the due in force: extended
    assert original_due(row) == first_due
    assert closure_timeliness(row) == timeliness


def test_counts(closed):
    assert timeliness_counts() == {"on_time": 3, "extended": 1, "late": 1}
    assert timeliness_counts(Task.objects.filter(pk__in=extended_task_ids())) == {
        "on_time": 1,
        "extended": 1,
        "late": 1,
    }


def test_the_first_extension_holds_the_original_due(world):
    _extend(world, world.normal, dt.date(2026, 9, 30))
    with clock.pinned_today(dt.date(2026, 9, 1)):
        request = extension_request(
            actor=world.liaison_a, task=world.normal, new_due=dt.date(2026, 11, 30), reason="再延。"
        )
        extension_approve(actor=world.sup, request=request)
    row = with_timeliness().get(pk=world.normal.pk)
    assert (row.original_due, row.due) == (DUE, dt.date(2026, 11, 30))
    assert original_due(row) == DUE


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (dt.datetime(2026, 6, 30, 23, 30), Timeliness.ON_TIME),  # 15:30 UTC, same local day
        (dt.datetime(2026, 7, 1, 0, 30), Timeliness.LATE),  # still 06-30 in UTC
    ],
)
def test_the_closure_day_is_the_local_day(world, local, expected):
    _close(world, world.high, dt.date(2026, 6, 1))
    Task.objects.filter(pk=world.high.pk).update(closed_at=local.replace(tzinfo=SHANGHAI))
    row = with_timeliness().get(pk=world.high.pk)
    assert row.closed_on == local.date()
    assert row.timeliness == expected
    assert closure_timeliness(row) == expected
