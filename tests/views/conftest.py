"""A small world for the tests of the pages that change things, built through the services
under a pinned clock. Today is Tuesday 2026-03-10.

Units: the government with 发改委 (A, alias 市发改委), 交通局 (B), 财政局 (C) and 教育局 (D, an
outsider to every task). Tasks of the source 2026-ZD:

  draft    A leads, B helps; a draft with a time node and an indicator
  live     A leads, B helps; assigned, both signed: 办理中, with a time node and an indicator
  fresh    A leads, B helps; assigned, nobody signed yet
  pending  A leads; closure requested, awaiting review
  closed   A leads; closed (blue)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.models import Attachment, IndicatorValue, ProgressReport
from luoshi.tasks.models import ClosureRequest, Milestone, Task, TaskEvent, TaskUnit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
)
from luoshi.tasks.services.sources import source_create
from luoshi.workcal.models import CalendarDay
from tests.rowcounts import count_rows

TODAY = dt.date(2026, 3, 10)
ASSIGNED = dt.date(2026, 2, 2)


def _user(username, role, unit=None, full_name="") -> User:
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, full_name=full_name or username
    )


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


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
            aliases="市发改委",
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
        w.d = unit_create(
            actor=None,
            name="示范市教育局",
            short_name="市教育局",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.district = unit_create(
            actor=None,
            name="示范市东城区人民政府",
            short_name="东城区",
            kind=UnitKind.DISTRICT,
            parent=w.gov,
        )
        w.sup = _user("sup", Role.SUPERVISOR, w.gov, "周督查")
        w.leader = _user("leader", Role.LEADER, w.gov, "李副市长")
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a, "甲联络员")
        w.head_a = _user("head_a", Role.UNIT_HEAD, w.a, "甲主任")
        w.owner_a = _user("owner_a", Role.LIAISON, w.a, "甲责任人")
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b, "乙联络员")
        w.liaison_c = _user("liaison_c", Role.LIAISON, w.c, "丙联络员")
        w.liaison_d = _user("liaison_d", Role.LIAISON, w.d, "丁联络员")
        w.sysadmin = _user("sysadmin", Role.SYSADMIN, None, "系统管理员")

        w.source = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )

        def make(title, **fields):
            fields.setdefault("lead_unit", w.a)
            fields.setdefault("co_units", [w.b])
            fields.setdefault("due", dt.date(2026, 12, 31))
            return task_create(actor=w.sup, source=w.source, title=title, **fields)

        w.draft = make(
            "实施重大项目攻坚行动",
            lead_leader=w.leader,
            milestones=[{"title": "一季度开工", "due": dt.date(2026, 3, 31)}],
            indicators=[{"name": "完成投资", "measure_unit": "亿元", "target": 800}],
        )
        w.live = make(
            "推进城市更新行动",
            milestones=[{"title": "完成方案", "due": dt.date(2026, 4, 30)}],
            indicators=[{"name": "改造小区", "measure_unit": "个", "baseline": 0, "target": 50}],
        )
        w.fresh = make("编制低空经济发展规划")
        w.pending = make("清理拖欠企业账款", co_units=[])
        w.closed = make("发布年度投资计划", co_units=[])
        for t in (w.live, w.fresh, w.pending, w.closed):
            task_assign(actor=w.sup, task=t)

    with clock.pinned_today(dt.date(2026, 2, 3)):
        for t in (w.live, w.pending, w.closed):
            assignment_acknowledge(actor=w.liaison_a, task=t)
        assignment_acknowledge(actor=w.liaison_b, task=w.live)
        for t in (w.pending, w.closed):
            closure_request(actor=w.liaison_a, task=t, summary="任务已完成，申请办结。")
        closure_verify(actor=w.sup, task=w.closed)

    for name in vars(w).copy():
        obj = getattr(w, name)
        if hasattr(obj, "refresh_from_db") and getattr(obj, "pk", None):
            obj.refresh_from_db()
    return w


@pytest.fixture
def login(client):
    def as_user(user):
        client.logout()
        client.force_login(user)
        return client

    return as_user


MODELS = (
    Task,
    TaskUnit,
    TaskEvent,
    Milestone,
    ProgressReport,
    IndicatorValue,
    Attachment,
    ClosureRequest,
    AuditEvent,
    CalendarDay,
)


def snapshot() -> dict[str, int]:
    """Row counts of everything an action may write: equal before and after = nothing written."""
    return count_rows(MODELS)


@pytest.fixture
def counts():
    return snapshot
