"""A small world for the tests of 申请延期 and 回头看, built through the services under a pinned
clock (2026). Shared by tests/extensions and tests/rechecks.

Units: the government with 发改委 (A), 交通局 (B) and 财政局 (C, on no task).
People: the office (sup), the lead leader 李副市长 (leader), another leader (leader2), A's
liaison and head, B's liaison, C's liaison.

Tasks of the source 2026-ZD, assigned 2026-02-02, signed by A (and B where it helps) on
2026-02-03; today is Tuesday 2026-03-10:

  normal    A leads, B helps; priority 一般, lead leader Li; due 2026-06-30
  high      A leads; priority 重要, lead leader Li; due 2026-06-30
  urgent    A leads; priority 紧急, no lead leader; due 2026-06-30
  late      A leads; due 2026-03-05, so red (overdue) today
  ongoing   A leads; 长期坚持 (no due)
  unsigned  A leads; due 2026-06-30; A has not signed
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign
from luoshi.tasks.services.refresh import lights_refresh_all
from luoshi.tasks.services.sources import source_create

TODAY = dt.date(2026, 3, 10)
ASSIGNED = dt.date(2026, 2, 2)
SIGNED = dt.date(2026, 2, 3)
DUE = dt.date(2026, 6, 30)


def user(username, role, unit=None, full_name="", **extra) -> User:
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, full_name=full_name, **extra
    )


def pdf(name="佐证材料.pdf", body=b"%PDF-1.4\n% evidence\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def build_world() -> SimpleNamespace:
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
        w.sup = user("sup", Role.SUPERVISOR, w.gov, "周督查")
        w.leader = user("leader", Role.LEADER, w.gov, "李副市长")
        w.leader2 = user("leader2", Role.LEADER, w.gov, "王副市长")
        w.liaison_a = user("liaison_a", Role.LIAISON, w.a, "甲联络员")
        w.head_a = user("head_a", Role.UNIT_HEAD, w.a, "甲主任")
        w.liaison_b = user("liaison_b", Role.LIAISON, w.b, "乙联络员")
        w.liaison_c = user("liaison_c", Role.LIAISON, w.c, "丙联络员")
        w.source = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )

        def make(title, **fields):
            fields.setdefault("lead_unit", w.a)
            fields.setdefault("due", DUE)
            fields.setdefault("report_cycle", "none")
            return task_create(actor=w.sup, source=w.source, title=title, **fields)

        w.normal = make("实施重大项目攻坚行动", co_units=[w.b], lead_leader=w.leader)
        w.high = make("推进城市更新行动", priority="high", lead_leader=w.leader)
        w.urgent = make("抢修城区供水管网", priority="urgent")
        w.late = make("推进老旧小区改造", due=dt.date(2026, 3, 5))
        w.ongoing = make("优化营商环境", due=None, ongoing=True)
        w.unsigned = make("编制低空经济发展规划")
        for t in (w.normal, w.high, w.urgent, w.late, w.ongoing, w.unsigned):
            task_assign(actor=w.sup, task=t)
    with clock.pinned_today(SIGNED):
        for t in (w.normal, w.high, w.urgent, w.late, w.ongoing):
            assignment_acknowledge(actor=w.liaison_a, task=t)
        assignment_acknowledge(actor=w.liaison_b, task=w.normal)
    with clock.pinned_today(TODAY):
        lights_refresh_all(today=TODAY)
    for name in vars(w).copy():
        obj = getattr(w, name)
        if hasattr(obj, "refresh_from_db") and getattr(obj, "pk", None):
            obj.refresh_from_db()
    return w


def snapshot() -> dict:
    """Row counts and task fields that a refused action must leave as they were."""
    from luoshi.audit.models import AuditEvent
    from luoshi.extensions.models import ExtensionRequest
    from luoshi.notifications.models import Notification
    from luoshi.rechecks.models import Recheck, RecheckEvidence
    from luoshi.tasks.models import Task, TaskEvent

    return {
        "requests": list(ExtensionRequest.objects.order_by("pk").values()),
        "rechecks": list(Recheck.objects.order_by("pk").values()),
        "evidence": RecheckEvidence.objects.count(),
        "events": TaskEvent.objects.count(),
        # logging in is audited too (auth.*); a refused action writes nothing else
        "audit": AuditEvent.objects.exclude(action__startswith="auth.").count(),
        "notifications": Notification.objects.count(),
        "tasks": list(
            Task.objects.order_by("pk").values(
                "pk", "state", "due", "due_extended", "closed_at", "light", "updated_at"
            )
        ),
    }
