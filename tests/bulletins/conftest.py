"""A dated world for the bulletin tests, built through the services under pinned dates.

Units: the government with 发改委 (A), 交通局 (B), 财政局 (C). People: sup (office, whole
tree), sup_b (office, scoped to B), leader, liaison_a / liaison_b / liaison_c, sysadmin.
All tasks belong to the source 2026-ZD, were assigned on Tuesday 2026-09-01 and signed the
next day, report cycle none. The period is November 2026 (no holidays, no 调休: its working
days are the weekdays); "today" is Thursday 2026-12-10.

  a_on_time    A  due 11-20, closed 11-18                    按期 (2 working days early)
  a_early      A  due 11-30, closed 11-06                    按期, 16 working days early: 表扬
  a_late       A  due 11-10, closed 11-12                    逾期办结
  a_suspended  A  due 11-10, 暂缓 on 11-03                    counted, not chased
  b_extended   B  due 11-05 → 11-25 (approved 11-02), closed 11-20   延期后按期
  b_overdue    B  due 11-16, open; listed by the ladder (+10) on 11-30   逾期 10 working days
  c_after      C  due 11-25, closed 12-03 (after the period)  逾期未办结 at 11-30: 3 days
  c_before     C  due 10-30, closed 10-20 (before the period) not counted
  c_ongoing    C  长期坚持, open                              counted
  parent       A  with one child (A, due 2027-12-31, open): only the child counts
  a_draft      A  never assigned                              not counted
  a_cancelled  A  撤销 on 10-15                                not counted
  late_comer   A  assigned 12-02                              not counted
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from luoshi.extensions.services import extension_approve, extension_request
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.supervision import daily
from luoshi.supervision.ladder import ladder_seed_defaults
from luoshi.tasks.services.editing import task_create, tasks_create_children
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
    task_cancel,
    task_suspend,
)
from luoshi.tasks.services.refresh import lights_refresh_all
from luoshi.tasks.services.sources import source_create

ASSIGNED = dt.date(2026, 9, 1)
SIGNED = dt.date(2026, 9, 2)
NOV_1 = dt.date(2026, 11, 1)
NOV_30 = dt.date(2026, 11, 30)
TODAY = dt.date(2026, 12, 10)
PASSWORD = "pw-Secret-2026"


def _user(username, role, unit=None, full_name="", **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=full_name, **extra
    )


def build_world(*, tasks: bool = True) -> SimpleNamespace:
    ladder_seed_defaults()
    w = SimpleNamespace()
    with clock.pinned_today(ASSIGNED):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)

        def dept(name, short):
            return unit_create(
                actor=None, name=name, short_name=short, kind=UnitKind.DEPARTMENT, parent=w.gov
            )

        w.a = dept("示范市发展和改革委员会", "市发展改革委")
        w.b = dept("示范市交通运输局", "市交通局")
        w.c = dept("示范市财政局", "市财政局")
        w.sup = _user("sup", Role.SUPERVISOR, w.gov, "周督查")
        w.sup_b = _user("sup_b", Role.SUPERVISOR, w.gov, "吴督查", scope_unit=w.b)
        w.leader = _user("leader", Role.LEADER, w.gov, "李副市长")
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a, "甲联络员")
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b, "乙联络员")
        w.liaison_c = _user("liaison_c", Role.LIAISON, w.c, "丙联络员")
        w.sysadmin = _user("sysadmin", Role.SYSADMIN, None, "系统管理员")
        w.source = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )
    if tasks:
        _tasks(w)
    return w


def _tasks(w: SimpleNamespace) -> None:
    liaison = {w.a.pk: w.liaison_a, w.b.pk: w.liaison_b, w.c.pk: w.liaison_c}

    def make(title, unit, due, *, assign=True, on=ASSIGNED):
        with clock.pinned_today(on):
            task = task_create(
                actor=w.sup,
                source=w.source,
                title=title,
                lead_unit=unit,
                due=due,
                ongoing=due is None,
                report_cycle="none",
            )
            if assign:
                task_assign(actor=w.sup, task=task)
        if assign:
            with clock.pinned_today(on + dt.timedelta(days=1)):
                assignment_acknowledge(actor=liaison[unit.pk], task=task)
        return task

    def close(task, on):
        with clock.pinned_today(on):
            closure_request(actor=liaison[task.lead_unit_id], task=task, summary="已完成。")
            closure_verify(actor=w.sup, task=task)

    d = dt.date
    w.a_on_time = make("编制年度投资计划", w.a, d(2026, 11, 20))
    w.a_early = make("实施重大项目攻坚行动", w.a, d(2026, 11, 30))
    w.a_late = make("推进城市更新行动", w.a, d(2026, 11, 10))
    w.a_suspended = make("建设低空经济产业园", w.a, d(2026, 11, 10))
    w.b_extended = make("开通城市快速公交线路", w.b, d(2026, 11, 5))
    w.b_overdue = make("建设智慧停车平台", w.b, d(2026, 11, 16))
    w.c_after = make("完成预算绩效评价", w.c, d(2026, 11, 25))
    w.c_before = make("清理政府性债务", w.c, d(2026, 10, 30))
    w.c_ongoing = make("优化财政支出结构", w.c, None)
    w.parent = make("推进数字政府建设", w.a, d(2027, 12, 31), assign=False)
    with clock.pinned_today(ASSIGNED):
        (w.child,) = tasks_create_children(
            actor=w.sup,
            parent=w.parent,
            rows=[
                {
                    "title": "建设一网通办平台",
                    "lead_unit": w.a,
                    "due": d(2027, 12, 31),
                    "report_cycle": "none",
                }
            ],
        )
        task_assign(actor=w.sup, task=w.parent)
    with clock.pinned_today(SIGNED):
        assignment_acknowledge(actor=w.liaison_a, task=w.parent)
        assignment_acknowledge(actor=w.liaison_a, task=w.child)
    w.a_draft = make("研究制定人才新政", w.a, d(2026, 11, 20), assign=False)
    w.a_cancelled = make("筹办招商推介会", w.a, d(2026, 11, 20))
    with clock.pinned_today(d(2026, 10, 15)):
        task_cancel(actor=w.sup, task=w.a_cancelled, reason="活动取消。")
    w.late_comer = make("编制十五五规划纲要", w.a, d(2026, 12, 31), on=d(2026, 12, 2))

    close(w.c_before, d(2026, 10, 20))
    with clock.pinned_today(d(2026, 11, 2)):
        request = extension_request(
            actor=w.liaison_b, task=w.b_extended, new_due=d(2026, 11, 25), reason="工期顺延。"
        )
        extension_approve(actor=w.sup, request=request)
    with clock.pinned_today(d(2026, 11, 3)):
        task_suspend(actor=w.sup, task=w.a_suspended, reason="规划调整。")
    close(w.a_early, d(2026, 11, 6))
    close(w.a_late, d(2026, 11, 12))
    close(w.a_on_time, d(2026, 11, 18))
    close(w.b_extended, d(2026, 11, 20))
    with clock.pinned_today(NOV_30):  # the ladder's +10 rung lists b_overdue for the bulletin
        daily.run_daily(today=NOV_30)
    close(w.c_after, d(2026, 12, 3))
    with clock.pinned_today(TODAY):
        lights_refresh_all(today=TODAY)
    for name in vars(w).copy():
        obj = getattr(w, name)
        if hasattr(obj, "refresh_from_db") and getattr(obj, "pk", None):
            obj.refresh_from_db()


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
