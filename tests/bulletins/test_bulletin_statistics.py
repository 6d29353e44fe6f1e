"""The figures of a bulletin for November 2026 in the dated world (conftest.py), computed by
hand from the world's story: which tasks count, by state and light, on time by lead unit,
overdue at the period's end, listed by the ladder, closed early."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.bulletins.statistics import (
    Period,
    bulletin_statistics,
    counted_tasks,
    overdue_at_end,
    tasks_closed_early,
)
from luoshi.tasks.models import Task
from tests.bulletins.conftest import NOV_1, NOV_30, TODAY

pytestmark = pytest.mark.django_db
NOVEMBER = Period(NOV_1, NOV_30)


@pytest.fixture
def stats(world, today):
    return bulletin_statistics(Task.objects.all(), NOV_1, NOV_30, as_of=TODAY)


def test_counted_tasks_are_the_leaves_at_work_in_the_period(world):
    counted = set(counted_tasks(Task.objects.all(), NOVEMBER))
    assert counted == {
        world.a_on_time,
        world.a_early,
        world.a_late,
        world.a_suspended,
        world.b_extended,
        world.b_overdue,
        world.c_after,
        world.c_ongoing,
        world.child,
    }
    # not: the parent (its child counts), a draft, a cancelled task, one closed in October,
    # one assigned in December


def test_by_state_and_light(stats):
    assert stats["total"] == 9
    assert {r["code"]: r["count"] for r in stats["by_state"]} == {
        "assigned": 0,
        "in_progress": 3,
        "closure_requested": 0,
        "closed": 5,
        "suspended": 1,
    }
    assert {r["code"]: r["count"] for r in stats["by_light"]} == {
        "green": 2,
        "yellow": 0,
        "red": 1,
        "blue": 5,
        "": 1,  # the suspended task has no light
    }


def test_on_time_by_lead_unit(stats):
    assert stats["units"]["rows"] == [
        {"unit": "市发展改革委", "on_time": 2, "extended": 0, "late": 1, "overdue": 0,
         "total": 3, "rate": 66.7},
        {"unit": "市交通局", "on_time": 0, "extended": 1, "late": 0, "overdue": 1,
         "total": 2, "rate": 50.0},
        {"unit": "市财政局", "on_time": 0, "extended": 0, "late": 0, "overdue": 1,
         "total": 1, "rate": 0.0},
    ]  # fmt: skip
    assert stats["units"]["total"] == {
        "on_time": 2, "extended": 1, "late": 1, "overdue": 2, "total": 6, "rate": 50.0,
    }  # fmt: skip


def test_overdue_at_the_end_of_the_period_in_working_days(world, stats):
    assert set(overdue_at_end(counted_tasks(Task.objects.all(), NOVEMBER), NOVEMBER)) == {
        world.b_overdue,
        world.c_after,  # closed on 12-03, still open on 11-30
    }
    assert stats["overdue"] == [
        # 11-17…11-20, 11-23…11-27, 11-30
        {"code": world.b_overdue.code, "title": "建设智慧停车平台", "unit": "市交通局",
         "due": "2026-11-16", "days": 10},
        # 11-26, 11-27, 11-30
        {"code": world.c_after.code, "title": "完成预算绩效评价", "unit": "市财政局",
         "due": "2026-11-25", "days": 3},
    ]  # fmt: skip


def test_listed_by_the_ladder_in_the_period(world, stats):
    assert stats["listed"] == [
        {
            "code": world.b_overdue.code,
            "title": "建设智慧停车平台",
            "unit": "市交通局",
            "due": "2026-11-16",
            "listed_on": "2026-11-30",
            "state": "in_progress",
        }
    ]
    october = bulletin_statistics(
        Task.objects.all(), dt.date(2026, 10, 1), dt.date(2026, 10, 31), as_of=TODAY
    )
    assert october["listed"] == []


def test_tasks_closed_early(world, stats):
    early = tasks_closed_early(Task.objects.all(), NOVEMBER, min_working_days=5)
    # a_early: closed 11-06, due 11-30 → 11-09…11-13, 11-16…11-20, 11-23…11-27, 11-30
    assert [(t, days) for t, days in early] == [(world.a_early, 16)]
    # a_on_time closed two working days early; lower the bar and it is commended too
    two = tasks_closed_early(Task.objects.all(), NOVEMBER, min_working_days=2)
    assert [(t.code, days) for t, days in two] == [
        (world.a_early.code, 16),
        (world.a_on_time.code, 2),
    ]
    # closed within its extension (b_extended: due 11-05 → 11-25, closed 11-20) is not early
    assert world.b_extended not in {t for t, _ in tasks_closed_early(
        Task.objects.all(), NOVEMBER, min_working_days=0)}  # fmt: skip
    assert stats["early_days"] == 5
    assert stats["commended"] == [
        {"code": world.a_early.code, "title": "实施重大项目攻坚行动", "unit": "市发展改革委",
         "due": "2026-11-30", "closed_on": "2026-11-06", "days_early": 16},
    ]  # fmt: skip


def test_the_early_bar_is_a_setting(world, settings):
    settings.LUOSHI = {**settings.LUOSHI, "BULLETIN_EARLY_WORKING_DAYS": 20}
    stats = bulletin_statistics(Task.objects.all(), NOV_1, NOV_30, as_of=TODAY)
    assert stats["early_days"] == 20
    assert stats["commended"] == []


def test_an_empty_period_is_all_zeros(world):
    stats = bulletin_statistics(
        Task.objects.all(), dt.date(2026, 1, 1), dt.date(2026, 1, 31), as_of=TODAY
    )
    assert stats["total"] == 0
    assert all(r["count"] == 0 for r in stats["by_state"] + stats["by_light"])
    assert stats["units"] == {
        "rows": [],
        "total": {"on_time": 0, "extended": 0, "late": 0, "overdue": 0, "total": 0, "rate": None},
    }
    assert stats["overdue"] == stats["listed"] == stats["commended"] == []


def test_a_scoped_user_counts_only_their_scope(world):
    from luoshi.access import policy

    stats = bulletin_statistics(policy.visible_tasks(world.sup_b), NOV_1, NOV_30, as_of=TODAY)
    assert stats["total"] == 2
    assert [r["unit"] for r in stats["units"]["rows"]] == ["市交通局"]
