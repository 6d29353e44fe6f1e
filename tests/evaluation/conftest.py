"""A small city for the evaluation tests: three departments and two districts, the office,
a leader, a liaison; tasks made through task_create and then put, by a direct update, into
the dated situation a test describes (assigned on, due, closed on…): the scoring reads those
facts, and how they came about is tested elsewhere."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from luoshi.evaluation.models import EvaluationScheme
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.tasks.models import AssignmentRole, Task, TaskState, TaskUnit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.sources import source_create


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def user(username, role, unit=None, full_name=""):
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, full_name=full_name
    )


@pytest.fixture
def city(db):
    w = SimpleNamespace()
    w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
    w.d1 = unit_create(actor=None, name="示范市甲局", kind=UnitKind.DEPARTMENT, parent=w.gov)
    w.d2 = unit_create(actor=None, name="示范市乙局", kind=UnitKind.DEPARTMENT, parent=w.gov)
    w.d3 = unit_create(actor=None, name="示范市丙局", kind=UnitKind.DEPARTMENT, parent=w.gov)
    w.x1 = unit_create(actor=None, name="示范市东区", kind=UnitKind.DISTRICT, parent=w.gov)
    w.x2 = unit_create(actor=None, name="示范市西区", kind=UnitKind.DISTRICT, parent=w.gov)
    w.sup = user("sup", Role.SUPERVISOR, w.gov, "周督查")
    w.leader = user("leader", Role.LEADER, w.gov, "李副市长")
    w.liaison = user("liaison_d1", Role.LIAISON, w.d1, "甲联络员")
    w.sysadmin = user("admin", Role.SYSADMIN, w.gov, "管理员")
    w.source = source_create(
        actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
    )
    w.scheme = EvaluationScheme.objects.get(name="默认考核方案")

    def task(
        unit,
        *,
        state=TaskState.IN_PROGRESS,
        assigned=dt.date(2026, 1, 5),
        closed=None,
        closed_late=False,
        co_units=(),
        parent=None,
        **fields,
    ) -> Task:
        fields.setdefault("due", dt.date(2026, 12, 31))
        fields.setdefault("report_cycle", "none")
        t = task_create(
            actor=w.sup,
            source=w.source,
            parent=parent,
            title=fields.pop("title", f"任务{Task.objects.count() + 1}"),
            lead_unit=unit,
            co_units=list(co_units),
            **fields,
        )
        Task.objects.filter(pk=t.pk).update(
            state=state,
            assigned_at=at(assigned) if assigned else None,
            closed_at=at(closed) if closed else None,
            closed_late=closed_late,
        )
        TaskUnit.objects.filter(task=t).update(acknowledged_at=at(assigned) if assigned else None)
        t.refresh_from_db()
        return t

    w.task = task
    w.LEAD = AssignmentRole.LEAD
    return w


@pytest.fixture
def pinned():
    def pin(day):
        return clock.pinned_today(day)

    return pin


@pytest.fixture
def login(client):
    def as_user(u):
        client.force_login(u)
        return client

    return as_user
