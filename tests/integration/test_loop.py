"""The whole loop through the services, no HTTP: 立项 → 分解 → 交办 → 签收 (each unit) → 填报
(lead and co-units) → 申请办结 → 退回 → 填报 again → 申请办结 → 审核通过 (blue).

At each step: the task's history (TaskEvent) and the audit log gain exactly the expected
rows; the parent's progress and light roll up from its children; nothing earlier is deleted
or overwritten; and the audit chain verifies at the end.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_verify
from luoshi.lib import clock
from luoshi.reports.models import Attachment, IndicatorValue, ProgressReport
from luoshi.reports.services import report_submit
from luoshi.tasks.models import (
    AssignmentRole,
    ClosureDecision,
    ClosureRequest,
    EventKind,
    Light,
    ReportCycle,
    Task,
    TaskEvent,
    TaskState,
)
from luoshi.tasks.services.editing import (
    milestone_complete,
    task_create,
    tasks_create_children,
)
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_return,
    closure_verify,
    task_assign,
    task_cancel,
)
from luoshi.tasks.services.refresh import lights_refresh_all

D = dt.date
PDF = b"%PDF-1.4\n% evidence\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class Journal:
    """What each step wrote: the new TaskEvents (code, kind, unit) and audit actions."""

    def __init__(self):
        self.mark()

    def mark(self) -> None:
        self.event_mark = TaskEvent.objects.order_by("-id").values_list("id", flat=True).first()
        self.audit_mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    def step(self, *, lights: bool = False) -> tuple[list, list]:
        events = TaskEvent.objects.filter(id__gt=self.event_mark or 0).order_by("id")
        if not lights:
            events = events.exclude(kind=EventKind.LIGHT_CHANGED)
        audit = AuditEvent.objects.filter(id__gt=self.audit_mark or 0).order_by("id")
        rows = [(e.task.code, e.kind, e.unit.short_name if e.unit else None) for e in events]
        actions = [(a.action, a.actor_name) for a in audit]
        self.mark()
        return rows, actions


def frozen(qs, *fields):
    """The rows as they are now, to compare later: nothing may change or disappear."""
    return {row[0]: row for row in qs.order_by("id").values_list("id", *fields)}


def refreshed(*objs):
    for obj in objs:
        obj.refresh_from_db()
    return objs


@pytest.mark.django_db
def test_the_whole_loop(people):
    w = people
    j = Journal()

    # --- 立项 and 分解 (Monday 2 March) ---------------------------------------------------------
    with clock.pinned_today(D(2026, 3, 2)):
        parent = task_create(
            actor=w.sup,
            source=w.source,
            title="实施城市更新行动",
            lead_unit=w.a,
            co_units=[w.b],
            lead_leader=w.leader,
            due=D(2026, 12, 31),
            report_cycle=ReportCycle.NONE,
            indicators=[{"name": "改造老旧小区", "measure_unit": "个", "target": 50}],
        )
        plan, money = tasks_create_children(
            actor=w.sup,
            parent=parent,
            rows=[
                {
                    "title": "完成改造方案",
                    "lead_unit": w.a,
                    "co_units": [w.b],
                    "due": D(2026, 6, 30),
                    "report_cycle": ReportCycle.MONTHLY,
                    "milestones": [{"title": "方案初稿", "due": D(2026, 4, 15)}],
                },
                {
                    "title": "落实改造资金",
                    "lead_unit": w.c,
                    "due": D(2026, 4, 30),
                    "report_cycle": ReportCycle.MONTHLY,
                },
            ],
        )
    assert (parent.code, plan.code, money.code) == (
        "2026-ZD-001",
        "2026-ZD-001-01",
        "2026-ZD-001-02",
    )
    assert {t.state for t in (parent, plan, money)} == {TaskState.DRAFT}
    assert plan.parent == parent and plan.path == f"{parent.path}{plan.pk}/" and plan.depth == 1
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001", EventKind.CREATED, None),
        ("2026-ZD-001-01", EventKind.CREATED, None),
        ("2026-ZD-001-02", EventKind.CREATED, None),
        ("2026-ZD-001", EventKind.UPDATED, None),  # 分解出 2 项子任务
    ]
    assert TaskEvent.objects.filter(task=parent, kind=EventKind.UPDATED).get().data == {
        "children": ["2026-ZD-001-01", "2026-ZD-001-02"]
    }
    assert audit == [("task.create", "周督查")] * 3

    # --- 交办: the parent and every draft below it ----------------------------------------------
    with clock.pinned_today(D(2026, 3, 2)):
        assigned = task_assign(actor=w.sup, task=parent)
    assert [t.code for t in assigned] == [parent.code, plan.code, money.code]
    refreshed(parent, plan, money)
    for task in (parent, plan, money):
        assert task.state == TaskState.ASSIGNED
        assert task.start_date == D(2026, 3, 2) and task.assigned_at is not None
        assert task.light == Light.GREEN
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001", EventKind.ASSIGNED, None),
        ("2026-ZD-001-01", EventKind.ASSIGNED, None),
        ("2026-ZD-001-02", EventKind.ASSIGNED, None),
    ]
    assert TaskEvent.objects.get(task=plan, kind=EventKind.ASSIGNED).data == {
        "units": [w.a.name, w.b.name]
    }
    assert audit == [("task.assign", "周督查")] * 3
    first_history = frozen(
        TaskEvent.objects.all(), "task", "kind", "at", "actor", "message", "data"
    )

    # --- 签收, per unit (Tuesday 3 March) -----------------------------------------------------
    with clock.pinned_today(D(2026, 3, 3)):
        assignment_acknowledge(actor=w.liaison_b, task=plan)  # a co-unit signs first…
        plan.refresh_from_db()
        assert plan.state == TaskState.ASSIGNED  # …which does not start the task
        assignment_acknowledge(actor=w.head_a, task=plan)  # the lead unit's head signs
        assignment_acknowledge(actor=w.liaison_a, task=parent)
        assignment_acknowledge(actor=w.liaison_b, task=parent)
        assignment_acknowledge(actor=w.liaison_c, task=money)
    refreshed(parent, plan, money)
    assert {t.state for t in (parent, plan, money)} == {TaskState.IN_PROGRESS}
    signed = {
        (a.unit.short_name, a.role, a.acknowledged_by.username) for a in plan.assignments.all()
    }
    assert signed == {
        ("市发展改革委", AssignmentRole.LEAD, "head_a"),
        ("市交通局", AssignmentRole.CO, "liaison_b"),
    }
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001-01", EventKind.ACKNOWLEDGED, "市交通局"),
        ("2026-ZD-001-01", EventKind.ACKNOWLEDGED, "市发展改革委"),
        ("2026-ZD-001", EventKind.ACKNOWLEDGED, "市发展改革委"),
        ("2026-ZD-001", EventKind.ACKNOWLEDGED, "市交通局"),
        ("2026-ZD-001-02", EventKind.ACKNOWLEDGED, "市财政局"),
    ]
    assert [a for a, _ in audit] == ["task.acknowledge"] * 5
    assert [n for _, n in audit] == ["乙联络员", "甲主任", "甲联络员", "乙联络员", "丙联络员"]

    # --- 填报: the lead unit, a co-unit, another lead unit (Friday 20 March) ----------------
    with clock.pinned_today(D(2026, 3, 20)):
        lead_report = report_submit(
            actor=w.liaison_a,
            task=plan,
            progress_text="方案初稿已完成，正在征求意见。",
            problems="部分街道意见分歧较大。",
            next_steps="召开专题协调会。",
            percent=40,
            files=[pdf("方案初稿.pdf")],
        )
        co_report = report_submit(
            actor=w.liaison_b, task=plan, progress_text="完成交通配套调研。", percent=30
        )
        money_report = report_submit(
            actor=w.liaison_c, task=money, progress_text="已拨付首批资金。", percent=50
        )
        parent_report = report_submit(
            actor=w.liaison_a,
            task=parent,
            progress_text="总体推进顺利。",
            percent=10,
            indicator_values={parent.indicators.get().pk: "12"},
        )
    refreshed(parent, plan, money)
    # the co-unit's report is its own part: the task's progress is the lead unit's
    assert (co_report.unit, co_report.percent) == (w.b, 30)
    assert plan.progress == 40 and plan.last_report_on == D(2026, 3, 20)
    parts = {a.unit.short_name: (a.progress, a.last_report_on) for a in plan.assignments.all()}
    assert parts == {"市发展改革委": (40, D(2026, 3, 20)), "市交通局": (30, D(2026, 3, 20))}
    assert lead_report.attachments.get().original_name == "方案初稿.pdf"
    assert money.progress == 50
    # the parent's progress is the mean of its children's, whatever its lead unit reports
    assert parent.progress == 45
    assert parent.indicators.get().current == 12
    assert IndicatorValue.objects.get(report=parent_report).value == 12
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001-01", EventKind.REPORTED, "市发展改革委"),
        ("2026-ZD-001-01", EventKind.REPORTED, "市交通局"),
        ("2026-ZD-001-02", EventKind.REPORTED, "市财政局"),
        ("2026-ZD-001", EventKind.REPORTED, "市发展改革委"),
    ]
    assert TaskEvent.objects.filter(task=plan, kind=EventKind.REPORTED).last().data == {
        "report": co_report.pk,
        "percent": 30,
        "role": AssignmentRole.CO,
    }
    assert [a for a, _ in audit] == ["report.submit"] * 4
    first_reports = frozen(
        ProgressReport.objects.all(), "unit", "report_date", "percent", "progress_text"
    )
    assert set(first_reports) == {lead_report.pk, co_report.pk, money_report.pk, parent_report.pk}

    # --- a child's yellow light rolls up (Monday 27 April: 落实改造资金 is due Thursday 30) ----
    with clock.pinned_today(D(2026, 4, 27)):
        lights_refresh_all(today=D(2026, 4, 27))
    refreshed(parent, plan, money)
    assert money.light == Light.YELLOW
    assert {"code": "due_soon", "days": 3} in money.light_reasons
    # 方案初稿 (15 April) is still open: the plan is red, and so is the parent
    assert plan.light == Light.RED
    assert plan.light_reasons[0] == {"code": "milestone_overdue", "date": "2026-04-15"}
    assert parent.light == Light.RED
    assert parent.light_reasons == [{"code": "children", "light": "red"}]
    events, _ = j.step(lights=True)
    assert sorted(events) == [
        ("2026-ZD-001", EventKind.LIGHT_CHANGED, None),
        ("2026-ZD-001-01", EventKind.LIGHT_CHANGED, None),
        ("2026-ZD-001-02", EventKind.LIGHT_CHANGED, None),
    ]
    with clock.pinned_today(D(2026, 4, 27)):
        milestone_complete(actor=w.liaison_a, milestone=plan.milestones.get(), on=D(2026, 4, 14))
    refreshed(parent, plan)
    assert plan.light == Light.GREEN
    assert parent.light == Light.YELLOW  # now the worst child is the money, yellow
    assert parent.light_reasons == [{"code": "children", "light": "yellow"}]
    events, audit = j.step()
    assert events == [("2026-ZD-001-01", EventKind.MILESTONE_DONE, None)]
    assert audit == [("task.milestone.complete", "甲联络员")]

    # --- 申请办结 with evidence, then 退回 with a reason ------------------------------------------
    with clock.pinned_today(D(2026, 4, 28)):
        first_request = closure_request(
            actor=w.liaison_c,
            task=money,
            summary="改造资金已全部落实。",
            files=[pdf("资金文件.pdf")],
        )
    money.refresh_from_db()
    assert money.state == TaskState.CLOSURE_REQUESTED
    assert first_request.decision == ClosureDecision.PENDING
    assert first_request.attachments.get().original_name == "资金文件.pdf"
    with clock.pinned_today(D(2026, 4, 29)):
        closure_return(actor=w.sup, task=money, reason="佐证材料不足，请补充资金拨付凭证。")
    money.refresh_from_db()
    first_request.refresh_from_db()
    assert money.state == TaskState.IN_PROGRESS and money.returned_at is not None
    assert first_request.decision == ClosureDecision.RETURNED
    assert first_request.comment == "佐证材料不足，请补充资金拨付凭证。"
    assert first_request.decided_by == w.sup
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001-02", EventKind.CLOSURE_REQUESTED, "市财政局"),
        ("2026-ZD-001-02", EventKind.RETURNED, None),
    ]
    returned = TaskEvent.objects.get(task=money, kind=EventKind.RETURNED)
    assert returned.message == "佐证材料不足，请补充资金拨付凭证。" and returned.actor == w.sup
    assert [a for a, _ in audit] == ["task.closure.request", "task.closure.return"]

    # --- report again, ask again, 审核通过 ----------------------------------------------------
    with clock.pinned_today(D(2026, 4, 29)):
        second_report = report_submit(
            actor=w.liaison_c,
            task=money,
            progress_text="资金已全部拨付到位，凭证已上传。",
            percent=100,
            files=[pdf("拨付凭证.pdf")],
        )
        second_request = closure_request(
            actor=w.liaison_c, task=money, summary="已补充拨付凭证。", files=[pdf("凭证.pdf")]
        )
    money.refresh_from_db()
    assert money.returned_at is None  # no longer shown as returned
    with clock.pinned_today(D(2026, 4, 30)):
        closure_verify(actor=w.sup, task=money, comment="材料齐全，同意销号。")
    refreshed(parent, plan, money, first_request, second_request)
    assert money.state == TaskState.CLOSED and money.light == Light.BLUE
    assert money.progress == 100 and money.closed_late is False
    assert second_request.decision == ClosureDecision.APPROVED
    assert first_request.decision == ClosureDecision.RETURNED  # the returned one is kept
    assert list(ClosureRequest.objects.filter(task=money).order_by("id")) == [
        first_request,
        second_request,
    ]
    assert list(ProgressReport.objects.filter(task=money).order_by("id")) == [
        money_report,
        second_report,
    ]
    # a closed child counts 100 and its blue does not colour the parent
    assert parent.progress == 70  # (40 + 100) / 2
    assert parent.light == Light.GREEN and parent.light_reasons == []
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001-02", EventKind.REPORTED, "市财政局"),
        ("2026-ZD-001-02", EventKind.CLOSURE_REQUESTED, "市财政局"),
        ("2026-ZD-001-02", EventKind.CLOSED, None),
    ]
    assert TaskEvent.objects.get(task=money, kind=EventKind.CLOSED).data == {
        "request": second_request.pk,
        "late": False,
    }
    assert audit == [
        ("report.submit", "丙联络员"),
        ("task.closure.request", "丙联络员"),
        ("task.closure.approve", "周督查"),
    ]

    # --- the plan runs late: red, and the parent with it; closed late ---------------------------
    with clock.pinned_today(D(2026, 7, 1)):
        lights_refresh_all(today=D(2026, 7, 1))
    refreshed(parent, plan)
    assert plan.light == Light.RED and plan.light_reasons[0] == {"code": "overdue", "days": 1}
    assert parent.light == Light.RED and parent.light_reasons == [
        {"code": "children", "light": "red"}
    ]
    with clock.pinned_today(D(2026, 7, 2)):
        report_submit(actor=w.liaison_a, task=plan, progress_text="方案已印发。", percent=100)
        closure_request(actor=w.liaison_a, task=plan, summary="方案已印发实施。")
    with clock.pinned_today(D(2026, 7, 3)):
        closure_verify(actor=w.sup, task=plan)
    refreshed(parent, plan)
    assert plan.state == TaskState.CLOSED and plan.light == Light.BLUE
    assert plan.closed_late is True
    assert parent.progress == 100 and parent.light == Light.GREEN
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001-01", EventKind.REPORTED, "市发展改革委"),
        ("2026-ZD-001-01", EventKind.CLOSURE_REQUESTED, "市发展改革委"),
        ("2026-ZD-001-01", EventKind.CLOSED, None),
    ]
    assert TaskEvent.objects.get(task=plan, kind=EventKind.CLOSED).data["late"] is True
    assert AuditEvent.objects.get(action="task.closure.approve", object_id=str(plan.pk)).data == {
        "request": plan.closure_requests.get().pk,
        "late": True,
    }

    # --- the parent, once every child is closed -------------------------------------------------
    with clock.pinned_today(D(2026, 7, 3)):
        closure_request(actor=w.liaison_a, task=parent, summary="城市更新行动各项任务已完成。")
    with clock.pinned_today(D(2026, 7, 6)):
        closure_verify(actor=w.sup, task=parent)
    parent.refresh_from_db()
    assert (parent.state, parent.light, parent.progress) == (TaskState.CLOSED, Light.BLUE, 100)
    assert parent.closed_late is False
    events, audit = j.step()
    assert events == [
        ("2026-ZD-001", EventKind.CLOSURE_REQUESTED, "市发展改革委"),
        ("2026-ZD-001", EventKind.CLOSED, None),
    ]
    assert [a for a, _ in audit] == ["task.closure.request", "task.closure.approve"]

    # --- the record: complete, untouched, verifiable --------------------------------------------
    kinds = list(
        TaskEvent.objects.filter(task=money)
        .exclude(kind=EventKind.LIGHT_CHANGED)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.ACKNOWLEDGED,
        EventKind.REPORTED,
        EventKind.CLOSURE_REQUESTED,
        EventKind.RETURNED,
        EventKind.REPORTED,
        EventKind.CLOSURE_REQUESTED,
        EventKind.CLOSED,
    ]
    now_history = frozen(TaskEvent.objects.all(), "task", "kind", "at", "actor", "message", "data")
    assert {k: now_history.get(k) for k in first_history} == first_history
    now_reports = frozen(
        ProgressReport.objects.all(), "unit", "report_date", "percent", "progress_text"
    )
    assert {k: now_reports.get(k) for k in first_reports} == first_reports
    assert ProgressReport.objects.count() == 6
    assert Attachment.objects.count() == 4
    assert all(a.file.storage.exists(a.file.name) for a in Attachment.objects.all())
    assert Task.objects.count() == 3
    assert audit_verify() == []


@pytest.mark.django_db
def test_roll_up_ignores_cancelled_children_and_counts_closed_ones_as_done(people):
    """Progress: the mean over children not cancelled (closed = 100). Light: the worst of the
    parent's own and its open children's."""
    w = people
    with clock.pinned_today(D(2026, 3, 2)):
        parent = task_create(
            actor=w.sup,
            source=w.source,
            title="优化营商环境",
            lead_unit=w.a,
            due=D(2026, 12, 31),
            report_cycle=ReportCycle.NONE,
        )
        rows = [
            {"title": title, "lead_unit": unit, "due": due, "report_cycle": ReportCycle.NONE}
            for title, unit, due in (
                ("压减审批时限", w.a, D(2026, 3, 6)),
                ("清理拖欠账款", w.c, D(2026, 12, 31)),
                ("取消的事项", w.c, D(2026, 12, 31)),
            )
        ]
        fast, debts, dropped = tasks_create_children(actor=w.sup, parent=parent, rows=rows)
        task_assign(actor=w.sup, task=parent)
    with clock.pinned_today(D(2026, 3, 3)):
        for liaison, task in ((w.liaison_a, parent), (w.liaison_a, fast), (w.liaison_c, debts)):
            assignment_acknowledge(actor=liaison, task=task)
        report_submit(actor=w.liaison_c, task=debts, progress_text="已清理一半。", percent=60)
        report_submit(actor=w.liaison_a, task=fast, progress_text="已压减。", percent=20)
    parent.refresh_from_db()
    assert parent.progress == round((20 + 60 + 0) / 3)
    with clock.pinned_today(D(2026, 3, 4)):
        task_cancel(actor=w.sup, task=dropped, reason="并入其他任务。")
    parent.refresh_from_db()
    assert parent.progress == 40  # (20 + 60) / 2: the cancelled child no longer counts
    # 压减审批时限 is due Friday 6 March: yellow on the 4th; overdue on Monday the 9th
    assert parent.light == Light.YELLOW
    assert parent.light_reasons == [{"code": "children", "light": "yellow"}]
    with clock.pinned_today(D(2026, 3, 9)):
        lights_refresh_all(today=D(2026, 3, 9))
    parent.refresh_from_db()
    assert parent.light == Light.RED
    with clock.pinned_today(D(2026, 3, 9)):
        closure_request(actor=w.liaison_a, task=fast, summary="审批时限已压减。")
        closure_verify(actor=w.sup, task=fast)
    parent.refresh_from_db()
    assert parent.progress == 80  # (100 + 60) / 2
    assert parent.light == Light.GREEN and parent.light_reasons == []
    fast.refresh_from_db()
    assert fast.closed_late is True


@pytest.mark.django_db
def test_a_parent_red_on_its_own_stays_red_whatever_its_children(people):
    w = people
    with clock.pinned_today(D(2026, 3, 2)):
        parent = task_create(
            actor=w.sup,
            source=w.source,
            title="推进项目建设",
            lead_unit=w.a,
            due=D(2026, 3, 31),
            report_cycle=ReportCycle.NONE,
        )
        tasks_create_children(
            actor=w.sup,
            parent=parent,
            rows=[
                {"title": "子项", "lead_unit": w.c, "due": D(2026, 3, 31), "report_cycle": "none"}
            ],
        )
        task_assign(actor=w.sup, task=parent)
    with clock.pinned_today(D(2026, 4, 1)):
        lights_refresh_all(today=D(2026, 4, 1))
    parent.refresh_from_db()
    assert parent.light == Light.RED
    assert parent.light_reasons == [{"code": "overdue", "days": 1}]  # own reason, no "children"
