"""结果运用: 通报, 表扬, 约谈, 问责建议 from an inspection, recorded through
luoshi.outcomes.services.outcome_record (so evaluation scores them) and linked to the
inspection (InspectionOutcome)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.campaigns.models import Finding, Inspection, InspectionOutcome, InspectionState
from luoshi.campaigns.services.common import (
    Errors,
    event_record,
    lock,
    require_office,
    require_state,
)
from luoshi.org.models import Unit, User
from luoshi.outcomes.models import OutcomeKind
from luoshi.outcomes.services import outcome_record

RESULT_KINDS = (
    OutcomeKind.COMMENDATION,
    OutcomeKind.PUBLIC_CRITICISM,
    OutcomeKind.TALK,
    OutcomeKind.ACCOUNTABILITY,
)


@transaction.atomic
def inspection_outcome_record(
    *,
    actor: User,
    inspection: Inspection,
    kind: str,
    unit: Unit | None,
    text: str,
    recorded_on: dt.date | None,
    doc_number: str = "",
    finding: Finding | None = None,
    cadre: User | None = None,
) -> InspectionOutcome:
    require_office(actor)
    inspection = lock(inspection)
    require_state(
        inspection,
        InspectionState.REPORTED,
        InspectionState.RECTIFYING,
        InspectionState.FINISHED,
        doing=_("记录结果运用"),
    )
    errors = Errors()
    if kind not in RESULT_KINDS:
        errors.add("kind", _("请选择通报批评、表彰、约谈或问责建议。"))
    if unit is None:
        errors.add("unit", _("请选择单位。"))
    elif not inspection.subject_units.filter(pk=unit.pk).exists():
        errors.add("unit", _("“%(name)s”不是本次督查的对象。") % {"name": unit.display_name})
    if finding is not None and (
        finding.inspection_id != inspection.pk or (unit is not None and finding.unit_id != unit.pk)
    ):
        errors.add("finding", _("所选问题不属于该单位或本次督查。"))
    errors.raise_if_any()
    rectification = getattr(finding, "rectification", None) if finding is not None else None
    record = outcome_record(
        actor=actor,
        kind=kind,
        unit=unit,
        task=rectification.task if rectification is not None else None,
        cadre=cadre,
        recorded_on=recorded_on,
        text=text,
        doc_number=doc_number,
    )
    link = InspectionOutcome.objects.create(inspection=inspection, finding=finding, outcome=record)
    data = {"outcome": record.pk, "kind": kind, "unit": unit.pk}
    event_record(inspection=inspection, kind="outcome_recorded", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.outcome_record", obj=inspection, data=data)
    return link
