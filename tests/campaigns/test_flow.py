"""The whole campaign through the services: plan → inspection → notice → record → finding →
statement → answer → rectification (a real task) → report → urge, close, recheck → outcome
→ finish."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from luoshi.campaigns.models import (
    InspectionEvent,
    InspectionNotice,
    InspectionState,
    Rectification,
)
from luoshi.campaigns.services.findings import statement_answer, statement_submit
from luoshi.campaigns.services.inspections import inspection_finish
from luoshi.campaigns.services.plans import plan_create, plan_issue, plan_item_add
from luoshi.campaigns.services.rectifications import rectification_create
from luoshi.campaigns.services.reporting import report_issue
from luoshi.campaigns.services.results import inspection_outcome_record
from luoshi.lib import clock
from luoshi.outcomes.models import OutcomeRecord
from luoshi.tasks.models import SourceKind, TaskState
from luoshi.tasks.services.refresh import lights_refresh_all
from tests.campaigns.world import START

pytestmark = pytest.mark.django_db


def test_plan_item_to_inspection_to_finish(world):
    w = world
    with clock.pinned_today(dt.date(2026, 9, 21)):
        plan = plan_create(actor=w.sup, year=2026, title="2026年度督查计划")
        item = plan_item_add(
            actor=w.sup,
            plan=plan,
            topic="优化营商环境专项督查",
            kind="special",
            subject_units=[w.a, w.b],
            planned_month=10,
            lead_team="督查一组",
        )
        with pytest.raises(ValidationError):  # not issued yet
            w.make(plan_item=item)
        plan_issue(actor=w.sup, plan=plan, doc_number="督查〔2026〕1号")
    inspection = w.make(plan_item=item)
    assert inspection.state == InspectionState.ACTIVE
    assert inspection.code == "2026-DC-001"

    finding = w.visited(inspection)
    assert finding.statement_due == dt.date(2026, 10, 19)  # 5 working days after Mon 10-12
    with clock.pinned_today(dt.date(2026, 10, 14)):
        st = statement_submit(actor=w.liaison_a, finding=finding, text="部分超时因材料不全。")
        with pytest.raises(ValidationError):  # the report waits for the answer
            report_issue(actor=w.sup, inspection=inspection, summary="总体较好。")
        statement_answer(actor=w.sup, statement=st, answer="partly", reason="材料不全不是理由。")
        with pytest.raises(ValidationError):  # an answer is given once
            statement_answer(actor=w.sup, statement=st, answer="adopted", reason="")
        rect = rectification_create(
            actor=w.sup,
            finding=finding,
            due=dt.date(2026, 11, 30),
            owner=w.liaison_a,
            required_evidence="整改报告和抽查台账。",
        )
        report = report_issue(actor=w.sup, inspection=inspection, summary="总体较好。")
    inspection.refresh_from_db()
    assert report.number == "督查报告〔2026〕1号"
    assert inspection.state == InspectionState.RECTIFYING

    text = "\n".join(p.text for p in Document(io.BytesIO(report.file.open("rb").read())).paragraphs)
    assert "督查报告〔2026〕1号" in text
    assert "审批时限超过承诺" in text and "部分超时因材料不全" in text and "部分采纳" in text

    task = rect.task
    assert task.source.kind == SourceKind.FINDING
    assert task.source.code == inspection.code
    assert task.code.startswith("2026-DC-001-")
    assert task.lead_unit == w.a and task.owner == w.liaison_a
    assert task.state == TaskState.ASSIGNED

    # lights: near the due date the task turns yellow, past it red
    lights_refresh_all(today=dt.date(2026, 11, 27))
    task.refresh_from_db()
    assert task.light == "yellow"
    lights_refresh_all(today=dt.date(2026, 12, 2))
    task.refresh_from_db()
    assert task.light == "red"

    with clock.pinned_today(dt.date(2026, 11, 2)), pytest.raises(ValidationError):
        inspection_finish(actor=w.sup, inspection=inspection)  # the task is still open

    _close(w, task)
    with clock.pinned_today(dt.date(2026, 12, 3)):
        link = inspection_outcome_record(
            actor=w.sup,
            inspection=inspection,
            kind="public_criticism",
            unit=w.a,
            text="审批超时，予以通报批评。",
            recorded_on=dt.date(2026, 12, 3),
            finding=finding,
        )
        inspection_finish(actor=w.sup, inspection=inspection)
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.FINISHED
    record = OutcomeRecord.objects.get(pk=link.outcome_id)
    assert record.task_id == task.pk and record.unit == w.a
    assert OutcomeRecord.objects.in_force().criticising().filter(unit=w.a).count() == 1
    kinds = list(
        InspectionEvent.objects.filter(inspection=inspection).values_list("kind", flat=True)
    )
    assert kinds[:3] == ["created", "launched", "notices_sent"] or "notices_sent" not in kinds
    assert "report_issued" in kinds and kinds[-1] == "finished"
    assert Rectification.objects.get(finding=finding).task_id == task.pk


def _close(w, task):
    from luoshi.tasks.services.lifecycle import (
        assignment_acknowledge,
        closure_request,
        closure_verify,
    )

    with clock.pinned_today(dt.date(2026, 11, 3)):
        assignment_acknowledge(actor=w.liaison_a, task=task)
        closure_request(actor=w.liaison_a, task=task, summary="已整改，附台账。")
        closure_verify(actor=w.sup, task=task, comment="同意销号。")
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED


def test_rectification_task_can_be_urged_and_rechecked(world):
    from luoshi.rechecks.services import recheck_schedule
    from luoshi.supervision.services import urge_tasks

    w = world
    inspection = w.make()
    finding = w.visited(inspection)
    with clock.pinned_today(dt.date(2026, 10, 14)):
        rect = rectification_create(
            actor=w.sup,
            finding=finding,
            due=dt.date(2026, 11, 30),
            owner=w.liaison_a,
            required_evidence="整改报告。",
        )
        (urge,) = urge_tasks(actor=w.sup, tasks=[rect.task], message="请抓紧整改。")
    assert urge.task_id == rect.task_id
    _close(w, rect.task)
    with clock.pinned_today(dt.date(2026, 11, 4)):
        recheck = recheck_schedule(
            actor=w.sup, task=rect.task, due_on=dt.date(2027, 2, 1), note="整改效果回头看"
        )
    assert recheck.task_id == rect.task_id


def test_announced_start_gets_no_notice_before_its_date(world):
    inspection = world.make()
    assert not InspectionNotice.objects.filter(inspection=inspection).exists()
    assert inspection.start_date == START
