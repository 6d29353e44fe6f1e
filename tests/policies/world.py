"""A small world for 政策体系, built through the services under a pinned clock.

Units: the government with 发改委 (A), 交通局 (B), 财政局 (C). People: the office (sup), the
mayor (whole tree), a vice-mayor whose scope is C (vice), liaisons of A, B and C, the
system administrator.

A goal (2026-ZD-001, A leads) from the work report. Three policies:

  jobs   《关于支持中小企业发展的若干措施》 issued 2026-01-10, serving the goal, with
         1. 奖补 (A leads, due 2026-03-31, indicator 奖补企业数 target 100): closed on time on
            2026-03-20 with 60 reported
         2. 减免 (B leads, due 2026-02-28): signed, reported 50 %, open: overdue on TODAY
         3. 贷款贴息 (A leads, due 2026-06-30): assigned, not signed
  paper  《关于促进夜间经济发展的意见》 issued 2026-02-01, no deliverable
  idle   《关于加快充电设施建设的通知》 issued 2026-02-15, one deliverable (C leads, due
         2026-09-30) assigned, not signed

TODAY is 2026-04-15.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.policies.services import DeliverableRow, policy_create
from luoshi.reports.services import report_submit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
    task_assign,
)
from luoshi.tasks.services.sources import source_create

TODAY = dt.date(2026, 4, 15)
ISSUED = dt.date(2026, 1, 10)


def user(username, role, unit=None, full_name="", **extra) -> User:
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, full_name=full_name, **extra
    )


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    with clock.pinned_today(ISSUED):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)

        def dept(name, short):
            return unit_create(
                actor=None, name=name, short_name=short, kind=UnitKind.DEPARTMENT, parent=w.gov
            )

        w.a = dept("示范市发展和改革委员会", "市发展改革委")
        w.b = dept("示范市交通运输局", "市交通局")
        w.c = dept("示范市财政局", "市财政局")
        w.sup = user("sup", Role.SUPERVISOR, w.gov, "周督查")
        w.mayor = user("mayor", Role.LEADER, w.gov, "周市长")
        w.vice = user("vice", Role.LEADER, w.gov, "王副市长", scope_unit=w.c)
        w.liaison_a = user("liaison_a", Role.LIAISON, w.a, "甲联络员")
        w.liaison_b = user("liaison_b", Role.LIAISON, w.b, "乙联络员")
        w.liaison_c = user("liaison_c", Role.LIAISON, w.c, "丙联络员")
        w.sysadmin = user("sysadmin", Role.SYSADMIN, None, "系统管理员")
        report = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )
        w.goal = task_create(
            actor=w.sup,
            source=report,
            title="中小企业发展壮大",
            lead_unit=w.a,
            due=dt.date(2026, 12, 31),
        )
        task_assign(actor=w.sup, task=w.goal)
        w.jobs = policy_create(
            actor=w.sup,
            title="关于支持中小企业发展的若干措施",
            doc_number="示政发〔2026〕5号",
            issuer="示范市人民政府",
            issued_on=ISSUED,
            category="产业发展",
            goals=[(w.goal, "政策支撑")],
            deliverables=[
                DeliverableRow(
                    promise="对符合条件的企业给予一次性奖补50万元。",
                    lead_unit=w.a,
                    due=dt.date(2026, 3, 31),
                    indicator_name="奖补企业数",
                    measure_unit="家",
                    target=Decimal(100),
                ),
                DeliverableRow(
                    promise="减免小微企业房租三个月。", lead_unit=w.b, due=dt.date(2026, 2, 28)
                ),
                DeliverableRow(
                    promise="开展中小企业贷款贴息。", lead_unit=w.a, due=dt.date(2026, 6, 30)
                ),
            ],
        )
        w.d1, w.d2, w.d3 = list(w.jobs.deliverables.order_by("number"))
        for d in (w.d1, w.d2, w.d3):
            task_assign(actor=w.sup, task=d.task)
    with clock.pinned_today(dt.date(2026, 2, 1)):
        w.paper = policy_create(
            actor=w.sup, title="关于促进夜间经济发展的意见", issued_on=dt.date(2026, 2, 1)
        )
        assignment_acknowledge(actor=w.liaison_a, task=w.d1.task)
        assignment_acknowledge(actor=w.liaison_b, task=w.d2.task)
        report_submit(actor=w.liaison_b, task=w.d2.task, progress_text="已减免一个月。", percent=50)
    with clock.pinned_today(dt.date(2026, 2, 15)):
        w.idle = policy_create(
            actor=w.sup,
            title="关于加快充电设施建设的通知",
            issued_on=dt.date(2026, 2, 15),
            category="城市建设",
            deliverables=[
                DeliverableRow(promise="新建公共充电桩。", lead_unit=w.c, due=dt.date(2026, 9, 30))
            ],
        )
        w.i1 = w.idle.deliverables.get()
        task_assign(actor=w.sup, task=w.i1.task)
    with clock.pinned_today(dt.date(2026, 3, 20)):
        task = w.d1.task
        indicator = task.indicators.get()
        report_submit(
            actor=w.liaison_a,
            task=task,
            progress_text="已奖补60家企业。",
            percent=100,
            indicator_values={indicator.pk: 60},
        )
        closure_request(actor=w.liaison_a, task=task, summary="奖补资金已拨付到位。")
        closure_verify(actor=w.sup, task=task, comment="同意。")
    for d in (w.d1, w.d2, w.d3, w.i1):
        d.task.refresh_from_db()
    return w
