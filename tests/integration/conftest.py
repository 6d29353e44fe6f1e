"""The people and units for the service-level (no HTTP) tests of the loop and of bad input.

Units: the government with 发改委 (A), 交通局 (B), 财政局 (C) and 教育局 (D, an outsider to
every task). One source registered on Monday 2 March 2026. Tasks are made by each test.
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
from luoshi.tasks.models import (
    ClosureRequest,
    Indicator,
    Milestone,
    Source,
    Task,
    TaskEvent,
    TaskUnit,
)
from luoshi.tasks.services.sources import source_create
from luoshi.workcal.models import CalendarDay
from tests.rowcounts import count_rows

START = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, so a test can see that none were written."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _user(username: str, role: str, unit=None, full_name: str = "") -> User:
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, full_name=full_name or username
    )


@pytest.fixture
def people(db):
    w = SimpleNamespace()
    with clock.pinned_today(START):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)

        def dept(name, short):
            return unit_create(
                actor=None, name=name, short_name=short, kind=UnitKind.DEPARTMENT, parent=w.gov
            )

        w.a = dept("示范市发展和改革委员会", "市发展改革委")
        w.b = dept("示范市交通运输局", "市交通局")
        w.c = dept("示范市财政局", "市财政局")
        w.d = dept("示范市教育局", "市教育局")
        w.sup = _user("sup", Role.SUPERVISOR, w.gov, "周督查")
        w.leader = _user("leader", Role.LEADER, w.gov, "李副市长")
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a, "甲联络员")
        w.head_a = _user("head_a", Role.UNIT_HEAD, w.a, "甲主任")
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b, "乙联络员")
        w.liaison_c = _user("liaison_c", Role.LIAISON, w.c, "丙联络员")
        w.liaison_d = _user("liaison_d", Role.LIAISON, w.d, "丁联络员")
        w.sysadmin = _user("sysadmin", Role.SYSADMIN, None, "系统管理员")
        w.source = source_create(
            actor=w.sup,
            kind="work_report",
            title="2026年政府工作报告",
            code="2026-ZD",
            issued_on=dt.date(2026, 2, 26),
        )
    return w


MODELS = (
    Source,
    Task,
    TaskUnit,
    TaskEvent,
    Milestone,
    Indicator,
    ProgressReport,
    IndicatorValue,
    Attachment,
    ClosureRequest,
    AuditEvent,
    CalendarDay,
)


def snapshot() -> dict[str, int]:
    """Row counts of everything a service may write: equal before and after = nothing written."""
    return count_rows(MODELS)


@pytest.fixture
def counts():
    return snapshot
