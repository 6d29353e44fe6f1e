"""The cockpit's figures on the dated world of conftest.py, computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.cockpit import queries

pytestmark = pytest.mark.django_db


def _by_name(rows):
    return {r["name"]: {k: r[k] for k in ("red", "yellow", "green", "blue", "total")} for r in rows}


def test_every_lit_task_is_counted_once_by_light(world, today):
    data = queries.cockpit(world.sup, today)
    assert data["totals"] == {"total": 7, "red": 2, "yellow": 1, "green": 1, "blue": 3}


def test_lights_by_unit_source_category_and_leader(world, today):
    data = queries.cockpit(world.sup, today)
    assert [r["name"] for r in data["by_unit"]] == ["市发展改革委", "东城区", "市交通局"]
    assert _by_name(data["by_unit"]) == {
        "市发展改革委": {"red": 1, "yellow": 0, "green": 1, "blue": 2, "total": 4},
        "东城区": {"red": 1, "yellow": 0, "green": 0, "blue": 0, "total": 1},
        "市交通局": {"red": 0, "yellow": 1, "green": 0, "blue": 1, "total": 2},
    }
    assert _by_name(data["by_source"]) == {
        "2026年政府工作报告": {"red": 2, "yellow": 0, "green": 1, "blue": 2, "total": 5},
        "市政府常务会议": {"red": 0, "yellow": 1, "green": 0, "blue": 1, "total": 2},
    }
    assert _by_name(data["by_category"]) == {
        "营商环境": {"red": 2, "yellow": 0, "green": 1, "blue": 0, "total": 3},
        "交通": {"red": 0, "yellow": 1, "green": 0, "blue": 0, "total": 1},
    }
    assert _by_name(data["by_leader"]) == {
        "leader": {"red": 1, "yellow": 0, "green": 1, "blue": 0, "total": 2}
    }


def test_on_time_trend_over_twelve_months(world, today):
    trend = queries.cockpit(world.sup, today)["trend"]
    assert [r["month"] for r in trend] == [
        f"{y}-{m:02d}"
        for y, m in [(2025, m) for m in range(4, 13)] + [(2026, 1), (2026, 2), (2026, 3)]
    ]
    february = trend[-2]
    # 02-20 before its due (按期), 02-13 only within its extension, 02-10 after its due
    assert february == {
        "month": "2026-02",
        "on_time": 1,
        "extended": 1,
        "late": 1,
        "closed": 3,
        "rate": 33.3,
    }
    assert all(r["closed"] == 0 and r["rate"] is None for r in trend if r["month"] != "2026-02")
    rate = queries.cockpit(world.sup, today)["rate"]
    assert rate == {"on_time": 1, "extended": 1, "late": 1, "closed": 3, "rate": 33.3}


def test_most_overdue_in_working_days(world, today):
    overdue = queries.cockpit(world.sup, today)["overdue"]
    # due Monday 03-02: 03-03, 04, 05, 06, 09, 10 are working days → 6
    # both due the same day: by code, 优化营商环境 was registered first
    assert [(t.title, t.days_overdue) for t in overdue] == [
        ("优化营商环境专项行动", 6),
        ("东城区老旧小区改造", 6),
    ]
    assert [t.code for t in overdue] == sorted(t.code for t in overdue)


def test_moved_this_week_only_green_to_yellow_or_red_since_monday(world, today):
    data = queries.cockpit(world.sup, today)
    # late and district turned red on Friday 03-06 (last week); soon turned yellow today
    assert [e.task.title for e in data["moved"]] == ["开通城市快速公交线路"]
    assert data["moved_count"] == 1
    assert data["moved"][0].data["to"] == "yellow"
    assert data["week_start"] == dt.date(2026, 3, 9)
    # the Monday after, the week is new and nothing has moved
    assert queries.cockpit(world.sup, dt.date(2026, 3, 16))["moved_count"] == 0


def test_indicator_progress_against_target(world, today):
    indicators = queries.cockpit(world.sup, today)["indicators"]
    assert [(i.name, i.share) for i in indicators] == [("完成投资", 40.0)]


def test_a_district_leader_sees_only_the_district(world, today):
    data = queries.cockpit(world.leader_d, today)
    assert data["totals"] == {"total": 1, "red": 1, "yellow": 0, "green": 0, "blue": 0}
    assert [r["name"] for r in data["by_unit"]] == ["东城区"]
    assert [r["name"] for r in data["by_source"]] == ["2026年政府工作报告"]
    assert data["rate"]["closed"] == 0
    assert [t.title for t in data["overdue"]] == ["东城区老旧小区改造"]
    assert data["moved"] == [] and data["indicators"] == []


def test_drill_sets(world, today):
    def titles(kind, **kw):
        _title, qs = queries.drill(world.sup, kind, today, **kw)
        return sorted(t.title for t in qs)

    assert titles("moved") == ["开通城市快速公交线路"]
    assert titles("overdue") == ["东城区老旧小区改造", "优化营商环境专项行动"]
    assert titles("closed") == ["发布年度投资计划", "建设综合交通枢纽", "清理拖欠企业账款"]
    assert titles("closed", month="2026-02", timeliness="late") == ["建设综合交通枢纽"]
    assert titles("closed", month="2026-02", timeliness="extended") == ["清理拖欠企业账款"]
    assert titles("closed", month="2026-02", timeliness="on_time") == ["发布年度投资计划"]
    assert titles("closed", month="2026-01") == []
    assert queries.drill(world.sup, "nonsense", today) is None
    _title, qs = queries.drill(world.leader_d, "overdue", today)
    assert [t.title for t in qs] == ["东城区老旧小区改造"]


def test_timeline_places_bars_milestones_and_extensions(world, today):
    data = queries.timeline(world.sup, world.extended, today)
    (row,) = data["rows"]
    assert row.bar_start == dt.date(2026, 1, 5)
    assert row.bar_end == dt.date(2026, 2, 27)
    (ext,) = row.extension_list
    assert (ext.old_due, ext.new_due) == (dt.date(2026, 1, 30), dt.date(2026, 2, 27))
    assert 0 <= row.bar_left < data["today_left"] <= 100
    assert ext.left > row.bar_left and ext.width > 0
