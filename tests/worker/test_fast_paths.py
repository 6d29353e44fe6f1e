"""The fast paths of the daily tick give the answers of the plain ones: the work calendar's
running totals against counting day by day, and the refresh's batched writes, which leave alone
a row that changed after it was read."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from luoshi.tasks.models import (
    EventKind,
    Light,
    ReportCycle,
    Source,
    SourceKind,
    Task,
    TaskEvent,
    TaskState,
)
from luoshi.tasks.services import refresh
from luoshi.workcal.services import WorkCalendar

from .conftest import DAY, build_world


def _count_day_by_day(cal: WorkCalendar, start: dt.date, end: dt.date) -> int:
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    days = (end - start).days
    return sign * sum(cal.is_working_day(start + dt.timedelta(days=i)) for i in range(1, days + 1))


def test_working_days_between_matches_counting_day_by_day_across_years_and_overrides():
    rng = random.Random(11)
    overrides = {
        dt.date(2026, 10, 10): False,  # a 调休 Saturday made a day off
        dt.date(2026, 10, 5): True,  # a National Day holiday made a working day
        dt.date(2031, 1, 1): False,  # a year the package does not know
        dt.date(2024, 2, 29): False,
    }
    first = dt.date(2023, 1, 1).toordinal()
    for _ in range(3):  # calendars fill their years in different orders
        cal = WorkCalendar(overrides=overrides)
        for _ in range(400):
            a = dt.date.fromordinal(first + rng.randint(0, 365 * 9))
            b = dt.date.fromordinal(a.toordinal() + rng.randint(-800, 800))
            assert cal.working_days_between(a, b) == _count_day_by_day(cal, a, b), (a, b)
    assert not WorkCalendar(overrides=overrides).is_working_day(dt.date(2026, 10, 10))
    assert WorkCalendar(overrides=overrides).is_working_day(dt.date(2026, 10, 5))


@pytest.mark.django_db
def test_a_row_changed_after_it_was_read_is_left_to_its_own_refresh():
    build_world(60)
    cal = WorkCalendar()
    rows = refresh._load(Task.objects.exclude(state="draft"))
    changed = refresh._compute_rows(rows, DAY, cal)
    assert len(changed) == len(rows)
    moved = changed[0]
    # meanwhile a page changed that task (its own refresh wrote a light)
    Task.objects.filter(pk=moved.id).update(light=Light.RED, light_reasons=[{"code": "x"}])
    written = refresh._save(changed, DAY)
    assert written == len(rows) - 1
    assert Task.objects.get(pk=moved.id).light_reasons == [{"code": "x"}]
    assert not TaskEvent.objects.filter(task_id=moved.id, kind=EventKind.LIGHT_CHANGED).exists()
    # the same computation saved again (a second worker) writes nothing at all
    assert refresh._save(changed, DAY) == 0
    assert TaskEvent.objects.filter(kind=EventKind.LIGHT_CHANGED).count() == len(rows) - 1


@pytest.mark.django_db
def test_a_parents_lag_is_judged_on_its_rolled_up_progress():
    """A goal whose only task is 90% done is not lagging, even before its own stored progress
    has caught up; so the first tick of a day gets it right and a second changes nothing."""
    source = Source.objects.create(kind=SourceKind.DOCUMENT, code="S-1", title="文件")
    common = dict(
        source=source,
        state=TaskState.IN_PROGRESS,
        start_date=dt.date(2026, 1, 5),
        due=dt.date(2026, 12, 31),
        report_cycle=ReportCycle.NONE,
        assigned_at=timezone.make_aware(dt.datetime(2026, 1, 5, 9)),
    )
    goal = Task.objects.create(code="G", title="目标", progress=0, **common)
    Task.objects.create(code="T", title="任务", parent=goal, depth=1, progress=90, **common)
    first = refresh.lights_refresh_all(today=DAY)
    goal.refresh_from_db()
    assert (goal.progress, goal.light, goal.light_reasons) == (90, Light.GREEN, [])
    assert first["changed"] == 2  # both lit for the first time
    assert refresh.lights_refresh_all(today=DAY)["changed"] == 0
