"""发现问题 and 陈述申辩: the office records a finding about a supervised unit; that unit may
state its case before the deadline (statement_days working days) and before the report is
issued; the office answers each statement (采纳/部分采纳/不采纳 with a reason). Nothing is
overwritten: a statement is never changed, an answer is given once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.access import campaigns as access
from luoshi.audit.services import audit_log
from luoshi.campaigns.models import (
    Finding,
    Inspection,
    InspectionState,
    Statement,
    StatementAnswer,
)
from luoshi.campaigns.services.common import (
    Errors,
    event_record,
    lock,
    require_office,
    require_state,
)
from luoshi.campaigns.services.notices import unit_people
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import Unit, User
from luoshi.workcal.services import work_calendar

TITLE_MAX = 200
TEXT_MAX = 5000


@transaction.atomic
def finding_add(
    *, actor: User, inspection: Inspection, unit: Unit | None, title: str, detail: str
) -> Finding:
    require_office(actor)
    inspection = lock(inspection)
    require_state(inspection, InspectionState.ACTIVE, doing=_("记录发现的问题"))
    errors = Errors()
    if unit is None:
        errors.add("unit", _("请选择被督查单位。"))
    elif not inspection.subject_units.filter(pk=unit.pk).exists():
        errors.add("unit", _("“%(name)s”不是本次督查的对象。") % {"name": unit.display_name})
    title, detail = " ".join((title or "").split()), (detail or "").strip()
    if not title:
        errors.add("title", _("请概括发现的问题。"))
    elif len(title) > TITLE_MAX:
        errors.add("title", _("问题概括不能超过 %(n)d 字。") % {"n": TITLE_MAX})
    if not detail:
        errors.add("detail", _("请写明具体情况。"))
    elif len(detail) > TEXT_MAX:
        errors.add("detail", _("具体情况不能超过 %(n)d 字。") % {"n": TEXT_MAX})
    errors.raise_if_any()
    today = clock.today()
    due = work_calendar().add_working_days(today, inspection.statement_days)
    number = (
        inspection.findings.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    finding = Finding.objects.create(
        inspection=inspection,
        unit=unit,
        number=number,
        title=title,
        detail=detail,
        statement_due=due,
        created_by=actor,
        created_at=clock.now(),
    )
    data = {"finding": finding.pk, "unit": unit.pk, "statement_due": due.isoformat()}
    event_record(inspection=inspection, kind="finding_added", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.finding_add", obj=finding, data=data)
    notify(
        recipients=unit_people(unit.pk),
        kind=NotificationKind.TASK,
        title=_("督查发现问题：%(title)s") % {"title": title},
        body=_("如有异议，请于 %(date)s 前提交陈述申辩。") % {"date": due.isoformat()},
        url=reverse("campaigns:finding", args=[finding.pk]),
        dedupe_key=f"campaign-finding:{finding.pk}",
    )
    return finding


def statement_open(finding: Finding) -> bool:
    """May the unit still state its case on this finding (today)?"""
    return (
        finding.inspection.state == InspectionState.ACTIVE
        and clock.today() <= finding.statement_due
    )


@transaction.atomic
def statement_submit(*, actor: User, finding: Finding, text: str) -> Statement:
    access.require_statement_author(actor, finding)
    lock(finding.inspection)
    finding = Finding.objects.select_related("inspection").get(pk=finding.pk)
    if finding.inspection.state != InspectionState.ACTIVE:
        raise ValidationError(_("督查报告已印发，不能再提交陈述申辩。"))
    if clock.today() > finding.statement_due:
        raise ValidationError(
            _("陈述申辩的期限（%(date)s）已过。") % {"date": finding.statement_due.isoformat()}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写陈述申辩的内容。")]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [_("陈述申辩不能超过 %(n)d 字。") % {"n": TEXT_MAX}]})
    statement = Statement.objects.create(
        finding=finding, text=text, submitted_by=actor, submitted_at=clock.now()
    )
    data = {"finding": finding.pk, "statement": statement.pk}
    event_record(inspection=finding.inspection, kind="statement_submitted", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.statement_submit", obj=statement, data=data)
    inspection = finding.inspection
    notify(
        recipients=[inspection.team_leader],
        kind=NotificationKind.TASK,
        title=_("%(unit)s 对督查发现的问题提交了陈述申辩：%(title)s")
        % {"unit": finding.unit.display_name, "title": finding.title},
        url=reverse("campaigns:detail", args=[inspection.pk]) + "?tab=findings",
        dedupe_key=f"campaign-statement:{statement.pk}",
    )
    return statement


@transaction.atomic
def statement_answer(*, actor: User, statement: Statement, answer: str, reason: str) -> Statement:
    require_office(actor)
    statement = (
        Statement.objects.select_for_update(no_key=True)
        .select_related("finding")
        .get(pk=statement.pk)
    )
    inspection = lock(statement.finding.inspection)
    require_state(inspection, InspectionState.ACTIVE, doing=_("答复陈述申辩"))
    if statement.answered_at is not None:
        raise ValidationError(_("该陈述申辩已答复，答复不能修改。"))
    errors = Errors()
    if answer not in StatementAnswer.values:
        errors.add("answer", _("请选择采纳、部分采纳或不采纳。"))
    reason = (reason or "").strip()
    if answer != StatementAnswer.ADOPTED and not reason:
        errors.add("answer_reason", _("部分采纳或不采纳须写明理由。"))
    elif len(reason) > TEXT_MAX:
        errors.add("answer_reason", _("理由不能超过 %(n)d 字。") % {"n": TEXT_MAX})
    errors.raise_if_any()
    statement.answer, statement.answer_reason = answer, reason
    statement.answered_by, statement.answered_at = actor, clock.now()
    statement.save(update_fields=["answer", "answer_reason", "answered_by", "answered_at"])
    data = {"statement": statement.pk, "answer": answer}
    event_record(inspection=inspection, kind="statement_answered", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.statement_answer", obj=statement, data=data)
    finding = statement.finding
    notify(
        recipients=unit_people(finding.unit_id),
        kind=NotificationKind.TASK,
        title=_("陈述申辩已答复（%(answer)s）：%(title)s")
        % {"answer": statement.get_answer_display(), "title": finding.title},
        body=reason,
        url=reverse("campaigns:finding", args=[finding.pk]),
        dedupe_key=f"campaign-answer:{statement.pk}",
    )
    return statement
