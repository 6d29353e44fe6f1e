"""督查报告: issued once, numbered 督查报告〔2026〕N号, its .docx kept exactly as issued.

Issuing needs: at least one 督查记录; every statement answered; every finding's statement
window closed (its deadline passed, or a statement answered) — the unit's right to state its
case comes before the report is final."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.campaigns.models import Inspection, InspectionReport, InspectionState, Rectification
from luoshi.campaigns.report_docx import report_docx
from luoshi.campaigns.services.common import event_record, lock, require_office, require_state
from luoshi.campaigns.services.notices import unit_people
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify

SUMMARY_MAX = 5000


def report_problems(inspection: Inspection) -> list[str]:
    """Why the report may not be issued yet (empty: it may)."""
    problems = []
    if not inspection.records.exists():
        problems.append(_("还没有督查记录。"))
    today = clock.today()
    for finding in inspection.findings.prefetch_related("statements"):
        statements = list(finding.statements.all())
        unanswered = [s for s in statements if s.answered_at is None]
        if unanswered:
            problems.append(_("问题 %(n)d 的陈述申辩尚未答复。") % {"n": finding.number})
        elif not statements and today <= finding.statement_due:
            problems.append(
                _("问题 %(n)d 的陈述申辩期限至 %(date)s，期满后方可印发报告。")
                % {"n": finding.number, "date": finding.statement_due.isoformat()}
            )
    return problems


@transaction.atomic
def report_issue(*, actor, inspection: Inspection, summary: str) -> InspectionReport:
    require_office(actor)
    inspection = lock(inspection)
    require_state(inspection, InspectionState.ACTIVE, doing=_("印发督查报告"))
    summary = (summary or "").strip()
    problems = report_problems(inspection)
    if len(summary) > SUMMARY_MAX:
        problems.append(_("总体评价不能超过 %(n)d 字。") % {"n": SUMMARY_MAX})
    if problems:
        raise ValidationError(problems)
    today = clock.today()
    year = today.year
    seq = (InspectionReport.objects.filter(year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
    number = _("督查报告〔%(year)d〕%(seq)d号") % {"year": year, "seq": seq}
    content = report_docx(inspection=inspection, number=number, summary=summary, dated=today)
    report = InspectionReport(
        inspection=inspection,
        number=number,
        seq=seq,
        year=year,
        original_name=f"{inspection.code}-督查报告.docx",
        sha256=hashlib.sha256(content).hexdigest(),
        summary=summary,
        issued_by=actor,
        issued_at=clock.now(),
    )
    report.file.save(report.original_name, ContentFile(content), save=False)
    report.save()
    has_rectifications = Rectification.objects.filter(finding__inspection=inspection).exists()
    inspection.state = (
        InspectionState.RECTIFYING if has_rectifications else InspectionState.REPORTED
    )
    inspection.save(update_fields=["state"])
    data = {"number": number, "sha256": report.sha256}
    event_record(inspection=inspection, kind="report_issued", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.report_issue", obj=report, data=data)
    for unit in inspection.subject_units.all():
        notify(
            recipients=unit_people(unit.pk),
            kind=NotificationKind.TASK,
            title=_("督查报告已印发：%(title)s（%(number)s）")
            % {"title": inspection.title, "number": number},
            body=_("本单位的问题和整改事项请在“督查通知与整改”中查看。"),
            url=reverse("campaigns:unit_home"),
            dedupe_key=f"campaign-report:{inspection.pk}:{unit.pk}",
        )
    return report
