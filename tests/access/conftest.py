"""A world for the access tests: one task in each state, and one person for each place a
user can stand relative to those tasks. Built through the services under a pinned clock;
today is Tuesday 2026-03-10.

Units: the government with 发改委 (A, leads every task), 交通局 (B, co-unit on every task),
财政局 (C, on no task) and 东城区 (a district, on no task).

Tasks (source 2026-ZD; A leads, B helps, each with a time node):

  draft      起草
  fresh      已交办, nobody has signed
  live       办理中, A and B signed; each reported with a file; lead leader 赵副市长
  pending    申请办结, A and B signed; A reported and requested closure with a file
  closed     已办结
  suspended  暂缓 (was 办理中)

People ("personas"), by the key the tests use:

  sup            supervisor, whole tree            sup_out      supervisor, scoped to 东城区
  leader_in      leader, scoped to A               leader_out   leader, scoped to 东城区
  leader_lead    leader scoped to 东城区, but lead leader of `live`
  lead_liaison / lead_head    liaison and unit head of A (lead unit)
  co_liaison / co_head        liaison and unit head of B (co-unit)
  other_liaison / other_head  liaison and unit head of C (unrelated unit)
  sysadmin, secadmin, auditor
  inactive       a liaison of A whose account is disabled
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.models import Attachment, IndicatorValue, ProgressReport
from luoshi.reports.services import report_submit
from luoshi.tasks.models import ClosureRequest, Milestone, Task, TaskEvent, TaskUnit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
    task_suspend,
)
from luoshi.tasks.services.sources import source_create
from tests.rowcounts import count_rows

TODAY = dt.date(2026, 3, 10)
ASSIGNED = dt.date(2026, 2, 2)
PASSWORD = "pw-Secret-2026"
PDF = b"%PDF-1.4\n% evidence\n"

PERSONAS = (
    "sup",
    "sup_out",
    "leader_in",
    "leader_out",
    "leader_lead",
    "lead_liaison",
    "lead_head",
    "co_liaison",
    "co_head",
    "other_liaison",
    "other_head",
    "sysadmin",
    "secadmin",
    "auditor",
    "inactive",
)
TASKS = ("draft", "fresh", "live", "pending", "closed", "suspended")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _user(username, role, unit=None, **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=username, **extra
    )


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per test module inside a transaction that is rolled back after the module;
    each test runs in a savepoint of its own (pytest-django's `db`), as Django's
    TestCase.setUpTestData does. Tests read the database, never these instances' state."""
    uploads = tmp_path_factory.mktemp("uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=uploads),
        transaction.atomic(),
    ):
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    with clock.pinned_today(ASSIGNED):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)

        def dept(name, short, kind=UnitKind.DEPARTMENT):
            return unit_create(actor=None, name=name, short_name=short, kind=kind, parent=w.gov)

        w.a = dept("示范市发展和改革委员会", "市发展改革委")
        w.b = dept("示范市交通运输局", "市交通局")
        w.c = dept("示范市财政局", "市财政局")
        w.district = dept("示范市东城区人民政府", "东城区", UnitKind.DISTRICT)

        w.sup = _user("sup", Role.SUPERVISOR, w.gov)
        w.sup_out = _user("sup_out", Role.SUPERVISOR, w.district, scope_unit=w.district)
        w.leader_in = _user("leader_in", Role.LEADER, w.gov, scope_unit=w.a)
        w.leader_out = _user("leader_out", Role.LEADER, w.gov, scope_unit=w.district)
        w.leader_lead = _user("leader_lead", Role.LEADER, w.gov, scope_unit=w.district)
        w.lead_liaison = _user("lead_liaison", Role.LIAISON, w.a)
        w.lead_head = _user("lead_head", Role.UNIT_HEAD, w.a)
        w.co_liaison = _user("co_liaison", Role.LIAISON, w.b)
        w.co_head = _user("co_head", Role.UNIT_HEAD, w.b)
        w.other_liaison = _user("other_liaison", Role.LIAISON, w.c)
        w.other_head = _user("other_head", Role.UNIT_HEAD, w.c)
        w.sysadmin = _user("sysadmin", Role.SYSADMIN)
        w.secadmin = _user("secadmin", Role.SECADMIN)
        w.auditor = _user("auditor", Role.AUDITOR)
        w.inactive = _user("inactive", Role.LIAISON, w.a, is_active=False)

        w.source = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )

        def make(title, **fields):
            return task_create(
                actor=w.sup,
                source=w.source,
                title=title,
                lead_unit=w.a,
                co_units=[w.b],
                due=dt.date(2026, 12, 31),
                milestones=[{"title": "完成方案", "due": dt.date(2026, 6, 30)}],
                **fields,
            )

        w.draft = make("实施重大项目攻坚行动")
        w.fresh = make("编制低空经济发展规划")
        w.live = make("推进城市更新行动", lead_leader=w.leader_lead)
        w.pending = make("清理拖欠企业账款")
        w.closed = make("发布年度投资计划")
        w.suspended = make("建设综合交通枢纽")
        for t in (w.fresh, w.live, w.pending, w.closed, w.suspended):
            task_assign(actor=w.sup, task=t)

    with clock.pinned_today(dt.date(2026, 2, 3)):
        for t in (w.live, w.pending, w.closed, w.suspended):
            assignment_acknowledge(actor=w.lead_liaison, task=t)
            assignment_acknowledge(actor=w.co_liaison, task=t)

    with clock.pinned_today(dt.date(2026, 2, 20)):
        w.lead_report = report_submit(
            actor=w.lead_liaison,
            task=w.live,
            progress_text="牵头单位：已完成更新方案初稿。",
            problems="牵头单位：资金缺口较大。",
            percent=40,
            files=[pdf("牵头单位进展.pdf")],
        )
        w.co_report = report_submit(
            actor=w.co_liaison,
            task=w.live,
            progress_text="配合单位：完成交通配套方案。",
            problems="配合单位：施工许可待批。",
            percent=30,
            files=[pdf("配合单位进展.pdf")],
        )
        report_submit(
            actor=w.lead_liaison, task=w.pending, progress_text="牵头单位：已完成。", percent=100
        )
        w.closure = closure_request(
            actor=w.lead_liaison,
            task=w.pending,
            summary="牵头单位办结情况：全部完成。",
            files=[pdf("办结佐证.pdf")],
        )
        closure_request(actor=w.lead_liaison, task=w.closed, summary="已完成。")
        closure_verify(actor=w.sup, task=w.closed)
        task_suspend(actor=w.sup, task=w.suspended, reason="等待上级政策。")

    w.lead_file = w.lead_report.attachments.get()
    w.co_file = w.co_report.attachments.get()
    w.closure_file = w.closure.attachments.get()
    w.milestone = w.live.milestones.get()
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
)


def snapshot() -> dict[str, int]:
    """Row counts of everything an action may write: equal before and after = nothing written."""
    return count_rows(MODELS)
