"""A world for the supervision tests, built through the services under pinned dates.

Units: the government with 发改委 (A), 交通局 (B), 财政局 (C) and 东城区 (a district).
People: sup (office, whole tree), sup_out (office, scoped to 东城区), leader (lead leader of
the tasks), liaison_a / head_a / owner_a of A, liaison_b / head_b of B, liaison_c of C.

Tasks (source 2026-ZD, A leads, B helps, report cycle none unless said, assigned 2026-09-01 and
signed by A and B on 2026-09-02; owner owner_a, lead leader `leader`):

  national   due Friday 2026-10-09, the day after 国庆 (reminder falls before the holiday)
  holiday    due Saturday 2026-10-03, inside 国庆 (counts from Thursday 2026-10-08)
  later      due 2026-12-31 (nothing falls in September–October)

`make_task` builds more. The default ladder is (re)seeded: tests that empty the database
(threads) lose what the data migration wrote.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.supervision.ladder import ladder_seed_defaults
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign
from luoshi.tasks.services.sources import source_create

ASSIGNED = dt.date(2026, 9, 1)
SIGNED = dt.date(2026, 9, 2)
PASSWORD = "pw-Secret-2026"
PDF = b"%PDF-1.4\n% reply\n"


def pdf(name: str = "回复.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _user(username, role, unit=None, **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=username, **extra
    )


def build_world() -> SimpleNamespace:
    ladder_seed_defaults()
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
        w.c = unit_create(actor=None, name="示范市财政局", kind=UnitKind.DEPARTMENT, parent=w.gov)
        w.district = unit_create(
            actor=None, name="示范市东城区", kind=UnitKind.DISTRICT, parent=w.gov
        )
        w.sup = _user("sup", Role.SUPERVISOR, w.gov)
        w.sup_out = _user("sup_out", Role.SUPERVISOR, w.gov, scope_unit=w.district)
        w.leader = _user("leader", Role.LEADER, w.gov)
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a)
        w.head_a = _user("head_a", Role.UNIT_HEAD, w.a)
        w.owner_a = _user("owner_a", Role.LIAISON, w.a)
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b)
        w.head_b = _user("head_b", Role.UNIT_HEAD, w.b)
        w.liaison_c = _user("liaison_c", Role.LIAISON, w.c)
        w.source = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )

    def make_task(
        title: str,
        due: dt.date | None,
        *,
        assigned: dt.date = ASSIGNED,
        signed: dt.date | None = SIGNED,
        report_cycle: str = "none",
        category: str = "",
        co: bool = True,
    ):
        with clock.pinned_today(assigned):
            task = task_create(
                actor=w.sup,
                source=w.source,
                title=title,
                lead_unit=w.a,
                co_units=[w.b] if co else [],
                due=due,
                ongoing=due is None,
                report_cycle=report_cycle,
                category=category,
                owner=w.owner_a,
                lead_leader=w.leader,
            )
            task_assign(actor=w.sup, task=task)
        if signed is not None:
            with clock.pinned_today(signed):
                assignment_acknowledge(actor=w.liaison_a, task=task)
                if co:
                    assignment_acknowledge(actor=w.liaison_b, task=task)
        task.refresh_from_db()
        return task

    w.make_task = make_task
    w.national = make_task("推进城市更新行动", dt.date(2026, 10, 9))
    w.holiday = make_task("建设智慧停车平台", dt.date(2026, 10, 3))
    w.later = make_task("编制年度投资计划", dt.date(2026, 12, 31))
    return w


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
