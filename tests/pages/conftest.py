"""A small world for the page tests, built with the services under a pinned clock.

Today is Tuesday 2026-03-10. Units: the government (root) with 发改委 (A), 交通局 (B) and
财政局 (C). Tasks of the source 《2026年政府工作报告》, all assigned on 2026-02-02:

  big     A leads, B helps; leader Li; A signed and reported 40 %; two sub-tasks (A, C)
  late    A leads, due 2026-03-05: red (overdue); A signed, never reported (missed February)
  soon    B leads, due 2026-03-12 (due soon); B has not signed
  unsigned A leads, due 2026-09-30; A has not signed
  co_wait B leads, A helps; B signed, A has not
  returned A leads; closure requested then returned
  pending  A leads; closure requested, awaiting review
  done     A leads; closed (blue)
  draft    A leads; still a draft (units never see it)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.services import report_submit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_return,
    closure_verify,
    task_assign,
)
from luoshi.tasks.services.refresh import lights_refresh_all
from luoshi.tasks.services.sources import source_create

TODAY = dt.date(2026, 3, 10)
ASSIGNED = dt.date(2026, 2, 2)
PASSWORD = "pw-Secret-2026"


def _user(username, role, unit=None, full_name="", **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=full_name or username, **extra
    )


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    with clock.pinned_today(ASSIGNED):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
        w.a = unit_create(
            actor=None,
            name="示范市发展和改革委员会",
            short_name="市发展改革委",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.b = unit_create(
            actor=None,
            name="示范市交通运输局",
            short_name="市交通局",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.c = unit_create(
            actor=None,
            name="示范市财政局",
            short_name="市财政局",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.sup = _user("sup", Role.SUPERVISOR, w.gov, "周督查")
        w.leader = _user("leader", Role.LEADER, w.gov, "李副市长")
        w.other_leader = _user("leader2", Role.LEADER, w.gov, "王副市长")
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a, "甲联络员")
        w.head_a = _user("head_a", Role.UNIT_HEAD, w.a, "甲主任")
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b, "乙联络员")
        w.liaison_c = _user("liaison_c", Role.LIAISON, w.c, "丙联络员")
        w.owner_a = _user("owner_a", Role.LIAISON, w.a, "甲责任人")
        w.sysadmin = _user("sysadmin", Role.SYSADMIN, None, "系统管理员")
        w.secadmin = _user("secadmin", Role.SECADMIN, None, "安全管理员")
        w.auditor = _user("auditor", Role.AUDITOR, None, "审计管理员")

        w.source = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )
        w.other_source = source_create(
            actor=w.sup, kind="meeting", title="市政府第3次常务会议", code="2026-HY"
        )

        def make(title, lead, due=None, co=(), source=None, **fields):
            return task_create(
                actor=w.sup,
                source=source or w.source,
                title=title,
                lead_unit=lead,
                co_units=list(co),
                due=due,
                ongoing=due is None,
                report_cycle=fields.pop("report_cycle", "monthly"),
                **fields,
            )

        w.big = make(
            "实施重大项目攻坚行动",
            w.a,
            dt.date(2026, 12, 31),
            co=[w.b],
            lead_leader=w.leader,
            owner=w.owner_a,
            category="稳增长",
            priority="high",
            indicators=[
                {"name": "重大项目完成投资", "measure_unit": "亿元", "baseline": 0, "target": 800}
            ],
            milestones=[{"title": "一季度开工", "due": dt.date(2026, 3, 31)}],
        )
        w.big_1 = task_create(
            actor=w.sup,
            source=w.source,
            parent=w.big,
            title="完成项目前期手续",
            lead_unit=w.a,
            due=dt.date(2026, 6, 30),
        )
        w.big_2 = task_create(
            actor=w.sup,
            source=w.source,
            parent=w.big,
            title="落实项目资金",
            lead_unit=w.c,
            due=dt.date(2026, 6, 30),
        )
        w.late = make("推进老旧小区改造", w.a, dt.date(2026, 3, 5), category="民生")
        w.soon = make("开通城市快速公交线路", w.b, dt.date(2026, 3, 12), category="民生")
        w.unsigned = make("编制低空经济发展规划", w.a, dt.date(2026, 9, 30))
        w.co_wait = make("建设综合交通枢纽", w.b, dt.date(2026, 11, 30), co=[w.a])
        w.returned = make("开展营商环境评价", w.a, dt.date(2026, 10, 31))
        w.pending = make("清理拖欠企业账款", w.a, dt.date(2026, 10, 31))
        w.done = make("发布年度投资计划", w.a, dt.date(2026, 4, 30), source=w.other_source)
        w.draft = make("起草中的任务", w.a, dt.date(2026, 12, 31))
        for t in (
            w.big,
            w.late,
            w.soon,
            w.unsigned,
            w.co_wait,
            w.returned,
            w.pending,
            w.done,
        ):
            task_assign(actor=w.sup, task=t)

    with clock.pinned_today(dt.date(2026, 2, 3)):
        for t in (w.big, w.late, w.returned, w.pending, w.done):
            assignment_acknowledge(actor=w.liaison_a, task=t)
        assignment_acknowledge(actor=w.liaison_a, task=w.big_1)
        assignment_acknowledge(actor=w.liaison_b, task=w.co_wait)
        assignment_acknowledge(actor=w.liaison_b, task=w.big)

    with clock.pinned_today(dt.date(2026, 2, 20)):
        w.report = report_submit(
            actor=w.liaison_a,
            task=w.big,
            progress_text="已开工项目23个，完成投资120亿元。",
            problems="部分项目用地指标紧张。",
            next_steps="加快办理用地手续。",
            percent=40,
            indicator_values={w.big.indicators.get().pk: "120"},
        )
        w.co_report = report_submit(
            actor=w.liaison_b, task=w.big, progress_text="配合完成交通配套方案。", percent=30
        )
        for t in (w.returned, w.pending, w.done):
            report_submit(actor=w.liaison_a, task=t, progress_text="已基本完成。", percent=100)
            closure_request(actor=w.liaison_a, task=t, summary="任务已完成，申请办结。")

    with clock.pinned_today(dt.date(2026, 3, 2)):
        closure_return(actor=w.sup, task=w.returned, reason="佐证材料不足，请补充。")
        closure_verify(actor=w.sup, task=w.done, comment="同意办结。")

    with clock.pinned_today(TODAY):
        lights_refresh_all(today=TODAY)
    for name in vars(w).copy():
        obj = getattr(w, name)
        if hasattr(obj, "refresh_from_db") and getattr(obj, "pk", None):
            obj.refresh_from_db()
    return w


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
