"""整改事项: a finding the office decides must be fixed becomes a real Task — under one
督查发现 Source per inspection, led by the supervised unit, with a due date, an owner and the
evidence required — and is assigned (交办) at once. From then on it is tracked like any task:
lights, urging, 督办单, extensions, closure (办结/销号) and 回头看 work unchanged."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.campaigns.models import Finding, Inspection, InspectionState, Rectification
from luoshi.campaigns.services.common import (
    Errors,
    event_record,
    lock,
    require_office,
    require_state,
)
from luoshi.lib import clock
from luoshi.org.models import User
from luoshi.tasks.models import ReportCycle, Source, SourceKind
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import task_assign
from luoshi.tasks.services.sources import source_create

EVIDENCE_MAX = 2000
RECTIFYING_STATES = (InspectionState.ACTIVE, InspectionState.REPORTED, InspectionState.RECTIFYING)


def _source_for(actor: User, inspection: Inspection) -> Source:
    """The inspection's 督查发现 source, made with its first rectification."""
    if inspection.source_id:
        return inspection.source
    source = source_create(
        actor=actor,
        kind=SourceKind.FINDING,
        code=inspection.code,
        title=_("%(title)s发现问题整改") % {"title": inspection.title},
        issued_on=clock.today(),
        issuer=_("督查室"),
        content=inspection.scope,
    )
    inspection.source = source
    inspection.save(update_fields=["source"])
    return source


@transaction.atomic
def rectification_create(
    *,
    actor: User,
    finding: Finding,
    due: dt.date | None,
    owner: User | None,
    required_evidence: str,
    lead_leader: User | None = None,
    report_cycle: str = ReportCycle.MONTHLY,
) -> Rectification:
    require_office(actor)
    inspection = lock(finding.inspection)
    require_state(inspection, *RECTIFYING_STATES, doing=_("交办整改事项"))
    finding = Finding.objects.select_related("unit").get(pk=finding.pk)
    errors = Errors()
    if Rectification.objects.filter(finding=finding).exists():
        errors.add("__all__", _("该问题已列为整改事项。"))
    today = clock.today()
    if due is None:
        errors.add("due", _("请填写整改时限。"))
    elif due <= today:
        errors.add("due", _("整改时限须晚于今天。"))
    if owner is None:
        errors.add("owner", _("请选择整改责任人。"))
    elif owner.unit_id != finding.unit_id:
        errors.add(
            "owner",
            _("整改责任人须是被督查单位“%(name)s”的人员。") % {"name": finding.unit.display_name},
        )
    required_evidence = (required_evidence or "").strip()
    if not required_evidence:
        errors.add("required_evidence", _("请写明整改须提交的佐证材料。"))
    elif len(required_evidence) > EVIDENCE_MAX:
        errors.add("required_evidence", _("佐证材料要求不能超过 %(n)d 字。") % {"n": EVIDENCE_MAX})
    errors.raise_if_any()
    source = _source_for(actor, inspection)
    content = _("%(detail)s\n\n整改要求：请于 %(due)s 前完成整改，并提交佐证材料：%(evidence)s") % {
        "detail": finding.detail,
        "due": due.isoformat(),
        "evidence": required_evidence,
    }
    task = task_create(
        actor=actor,
        source=source,
        title=_("整改：%(title)s") % {"title": finding.title},
        content=content,
        category=_("督查整改"),
        lead_unit=finding.unit,
        owner=owner,
        lead_leader=lead_leader,
        start_date=today,
        due=due,
        report_cycle=report_cycle,
    )
    task_assign(actor=actor, task=task)
    task.refresh_from_db()
    rectification = Rectification.objects.create(
        finding=finding,
        task=task,
        required_evidence=required_evidence,
        created_by=actor,
        created_at=clock.now(),
    )
    if inspection.state == InspectionState.REPORTED:
        inspection.state = InspectionState.RECTIFYING
        inspection.save(update_fields=["state"])
    data = {"finding": finding.pk, "task": task.pk, "code": task.code, "due": due.isoformat()}
    event_record(inspection=inspection, kind="rectification_created", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.rectification_create", obj=rectification, data=data)
    return rectification
