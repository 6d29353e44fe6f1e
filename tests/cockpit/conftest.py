"""The cockpit's dated world. Today is Tuesday 2026-03-10 (the week began on Monday 03-09).
Every task reports never (report_cycle none), so lights come from dates and progress only.

Units: the government with 发改委 (A), 交通局 (B) and 东城区 (D, a district).
Sources: S1 《2026年政府工作报告》, S2 a meeting.

  late      A leads, B helps; S1; 营商环境; lead leader L; due 03-02 → red since 03-06
  soon      B leads; S2; 交通; due 03-12, reported 80 % → green on 03-06, yellow on 03-10
  green     A leads; S1; 营商环境; L; due 12-31; indicator 0 → 100, current 40 → green
  ontime    A leads; S1; due 02-27, closed 02-20                 → 按期 (February)
  extended  A leads; S1; due 01-30 extended to 02-27, closed 02-13 → 延期后按期 (February)
  closedlate B leads; S2; due 01-30, closed 02-10                → 逾期 (February)
  district  D leads; S1; 营商环境; due 03-02 → red

People: the office (sup, whole tree), leader L (whole tree), leader_d (scope 东城区), the
liaisons of A, B and D.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction

from luoshi.extensions.services import extension_approve, extension_request
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.services import report_submit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
)
from luoshi.tasks.services.refresh import lights_refresh_all
from luoshi.tasks.services.sources import source_create

TODAY = dt.date(2026, 3, 10)
ASSIGNED = dt.date(2026, 1, 5)
PASSWORD = "pw-Cockpit-2026"


def _user(username, role, unit=None, **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=username, **extra
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cockpit's figures are cached (keyed on the newest history entry): start empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module in a transaction rolled back afterwards (as the access tests)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    with clock.pinned_today(ASSIGNED):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)

        def dept(name, short, kind=UnitKind.DEPARTMENT):
            return unit_create(actor=None, name=name, short_name=short, kind=kind, parent=w.gov)

        w.a = dept("示范市发展和改革委员会", "市发展改革委")
        w.b = dept("示范市交通运输局", "市交通局")
        w.d = dept("示范市东城区人民政府", "东城区", UnitKind.DISTRICT)
        w.sup = _user("sup", Role.SUPERVISOR, w.gov)
        w.leader = _user("leader", Role.LEADER, w.gov)
        w.leader_d = _user("leader_d", Role.LEADER, w.gov, scope_unit=w.d)
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a)
        w.head_a = _user("head_a", Role.UNIT_HEAD, w.a)
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b)
        w.liaison_d = _user("liaison_d", Role.LIAISON, w.d)
        w.s1 = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )
        w.s2 = source_create(actor=w.sup, kind="meeting", title="市政府常务会议", code="2026-HY")

        def make(title, source, lead, due, **fields):
            task = task_create(
                actor=w.sup,
                source=source,
                title=title,
                lead_unit=lead,
                due=due,
                report_cycle="none",
                **fields,
            )
            task_assign(actor=w.sup, task=task)
            return task

        w.late = make(
            "优化营商环境专项行动",
            w.s1,
            w.a,
            dt.date(2026, 3, 2),
            co_units=[w.b],
            category="营商环境",
            lead_leader=w.leader,
        )
        w.soon = make("开通城市快速公交线路", w.s2, w.b, dt.date(2026, 3, 12), category="交通")
        w.green = make(
            "实施重大项目攻坚行动",
            w.s1,
            w.a,
            dt.date(2026, 12, 31),
            category="营商环境",
            lead_leader=w.leader,
            indicators=[{"name": "完成投资", "measure_unit": "亿元", "baseline": 0, "target": 100}],
        )
        w.ontime = make("发布年度投资计划", w.s1, w.a, dt.date(2026, 2, 27))
        w.extended = make("清理拖欠企业账款", w.s1, w.a, dt.date(2026, 1, 30))
        w.closedlate = make("建设综合交通枢纽", w.s2, w.b, dt.date(2026, 1, 30))
        w.district = make("东城区老旧小区改造", w.s1, w.d, dt.date(2026, 3, 2), category="营商环境")
        for t in (w.late, w.green, w.ontime, w.extended):
            assignment_acknowledge(actor=w.liaison_a, task=t)
        for t in (w.soon, w.closedlate, w.late):
            assignment_acknowledge(actor=w.liaison_b, task=t)
        assignment_acknowledge(actor=w.liaison_d, task=w.district)

    with clock.pinned_today(dt.date(2026, 1, 20)):
        req = extension_request(
            actor=w.liaison_a, task=w.extended, new_due=dt.date(2026, 2, 27), reason="受汛期影响。"
        )
    with clock.pinned_today(dt.date(2026, 1, 21)):
        extension_approve(actor=w.sup, request=req)

    def close(task, liaison, day):
        with clock.pinned_today(day):
            closure_request(actor=liaison, task=task, summary="已完成。")
            closure_verify(actor=w.sup, task=task)

    close(w.closedlate, w.liaison_b, dt.date(2026, 2, 10))
    close(w.extended, w.liaison_a, dt.date(2026, 2, 13))
    close(w.ontime, w.liaison_a, dt.date(2026, 2, 20))

    with clock.pinned_today(dt.date(2026, 3, 2)):
        report_submit(actor=w.liaison_b, task=w.soon, progress_text="线路试运行。", percent=80)
        indicator = w.green.indicators.get()
        w.green_report = report_submit(
            actor=w.liaison_a,
            task=w.green,
            progress_text="项目开工。",
            percent=20,
            indicator_values={indicator.pk: 40},
        )
        w.co_report = report_submit(
            actor=w.liaison_b, task=w.late, progress_text="配合单位：已提供资料。", percent=50
        )
    for day in (dt.date(2026, 3, 6), TODAY):
        with clock.pinned_today(day):
            lights_refresh_all(today=day)
    for name in vars(w).copy():
        obj = getattr(w, name)
        if hasattr(obj, "refresh_from_db") and getattr(obj, "pk", None):
            obj.refresh_from_db()
    return w
