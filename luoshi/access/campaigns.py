"""Who sees and does what in 督查活动 (luoshi.campaigns). Role-level actions are in
policy.ROLE_ACTIONS (campaign.*); the object-level rules are here.

  supervisor  plans and runs the inspections whose supervised units lie in their scope (the
              whole tree when unset), and those where they are on the team
  leader      reads the same inspections (scope, or on the team); changes nothing
  team        the team leader and members (office users) add 督查记录
  liaison, unit_head
              only their own unit's part: the notices sent to it, the findings about it,
              its statements (陈述申辩) and its rectifications. An inspection becomes visible to
              a unit only once a notice was sent to it or a finding about it was recorded — so
              an unannounced check (暗访) is never seen before the visit, and never another
              unit's findings or the team's records
  sysadmin, secadmin, auditor   nothing

Outsiders get 404 (existence not revealed); users who see but may not act get 403 with the
reason in Chinese.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.access.policy import OFFICE_ROLES, OVERSIGHT_ROLES, UNIT_ROLES, _active, scope_units
from luoshi.campaigns.models import (
    Finding,
    Inspection,
    InspectionNotice,
    InspectionPlan,
    InspectionRecord,
    InspectionState,
    RecordFile,
    Statement,
)

RECORDING_STATES = (InspectionState.ACTIVE, InspectionState.REPORTED, InspectionState.RECTIFYING)


def is_unit_side(user) -> bool:
    return _active(user) and user.role in UNIT_ROLES and bool(user.unit_id)


def is_office(user) -> bool:
    return _active(user) and user.role in OFFICE_ROLES


def visible_plans(user, qs: QuerySet[InspectionPlan] | None = None) -> QuerySet[InspectionPlan]:
    """The annual plans: the office and leaders read every plan; nobody else any."""
    qs = InspectionPlan.objects.all() if qs is None else qs
    if not _active(user) or user.role not in OVERSIGHT_ROLES:
        return qs.none()
    return qs


def get_plan_for_user(user, pk: int, *, manage: bool = False) -> InspectionPlan:
    plan = visible_plans(user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("督查计划不存在或您无权查看。"))
    if manage and not is_office(user):
        raise PermissionDenied(_("只有督查室人员可以编制和印发督查计划。"))
    return plan


def _unit_inspections(user, qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    noticed = InspectionNotice.objects.filter(inspection=OuterRef("pk"), unit_id=user.unit_id)
    found = Finding.objects.filter(inspection=OuterRef("pk"), unit_id=user.unit_id)
    return qs.filter(Exists(noticed) | Exists(found))


def visible_inspections(user, qs: QuerySet[Inspection] | None = None) -> QuerySet[Inspection]:
    """Every list of inspections shown to a user is filtered through here."""
    qs = Inspection.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role in OVERSIGHT_ROLES:
        units = scope_units(user)
        if units is None:
            return qs
        on_team = Q(team_leader=user) | Q(team_members=user) | Q(created_by=user)
        subject_in_scope = Exists(
            Inspection.subject_units.through.objects.filter(
                inspection_id=OuterRef("pk"), unit__in=units
            )
        )
        ids = qs.filter(on_team | subject_in_scope).values("pk")
        return qs.filter(pk__in=ids)
    if is_unit_side(user):
        return _unit_inspections(user, qs)
    return qs.none()


def sees_everything(user, inspection: Inspection) -> bool:
    """The office and leaders see every part; a unit only its own."""
    return _active(user) and user.role in OVERSIGHT_ROLES


def on_team(user, inspection: Inspection) -> bool:
    return (
        user.pk == inspection.team_leader_id or inspection.team_members.filter(pk=user.pk).exists()
    )


def may_manage(user, inspection: Inspection) -> bool:
    return is_office(user)


def may_record(user, inspection: Inspection) -> bool:
    if inspection.state not in RECORDING_STATES:
        return False
    return is_office(user) or (_active(user) and on_team(user, inspection))


def get_inspection_for_user(user, pk: int, action: str = "view") -> Inspection:
    """The inspection if the user sees it (else 404) and may do `action` (else 403):
    view, manage (the office runs it), record (the office or the team adds 督查记录)."""
    inspection = (
        visible_inspections(user)
        .select_related("plan_item__plan", "team_leader", "created_by", "source")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404(_("督查活动不存在或您无权查看。"))
    if action == "manage" and not may_manage(user, inspection):
        raise PermissionDenied(_("只有督查室人员可以组织实施督查活动；领导和被督查单位只能查看。"))
    if action == "record" and not may_record(user, inspection):
        if inspection.state not in RECORDING_STATES:
            raise PermissionDenied(
                _("督查活动当前状态为“%(state)s”，不能添加督查记录。")
                % {"state": inspection.get_state_display()}
            )
        raise PermissionDenied(_("只有督查室人员和督查组成员可以添加督查记录。"))
    return inspection


def visible_findings(user, inspection: Inspection, qs=None) -> QuerySet[Finding]:
    qs = inspection.findings.all() if qs is None else qs
    if sees_everything(user, inspection):
        return qs
    if is_unit_side(user):
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def visible_notices(user, inspection: Inspection) -> QuerySet[InspectionNotice]:
    qs = inspection.notices.select_related("unit", "sent_by")
    if sees_everything(user, inspection):
        return qs
    if is_unit_side(user):
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def visible_records(user, inspection: Inspection) -> QuerySet[InspectionRecord]:
    """督查记录 are the team's working papers: the office and leaders only."""
    if sees_everything(user, inspection):
        return inspection.records.all()
    return inspection.records.none()


def get_finding_for_user(user, pk: int) -> Finding:
    finding = Finding.objects.select_related("inspection", "unit").filter(pk=pk).first()
    if finding is None or not visible_inspections(user).filter(pk=finding.inspection_id).exists():
        raise Http404(_("问题不存在或您无权查看。"))
    if not visible_findings(user, finding.inspection).filter(pk=pk).exists():
        raise Http404(_("问题不存在或您无权查看。"))
    return finding


def require_statement_author(user, finding: Finding) -> None:
    """Only the liaison or head of the unit the finding is about may submit a statement."""
    if not (is_unit_side(user) and user.unit_id == finding.unit_id):
        raise PermissionDenied(_("只有被督查单位的联络员或负责人可以提交陈述申辩。"))


def get_statement_for_user(user, pk: int, *, answer: bool = False) -> Statement:
    statement = Statement.objects.select_related("finding__inspection").filter(pk=pk).first()
    if statement is None:
        raise Http404(_("陈述申辩不存在或您无权查看。"))
    get_finding_for_user(user, statement.finding_id)
    if answer and not is_office(user):
        raise PermissionDenied(_("只有督查室人员可以答复陈述申辩。"))
    return statement


def get_notice_for_user(user, pk: int) -> InspectionNotice:
    notice = InspectionNotice.objects.select_related("inspection", "unit").filter(pk=pk).first()
    if notice is None or not visible_inspections(user).filter(pk=notice.inspection_id).exists():
        raise Http404(_("督查通知不存在或您无权查看。"))
    if not visible_notices(user, notice.inspection).filter(pk=pk).exists():
        raise Http404(_("督查通知不存在或您无权查看。"))
    return notice


def get_record_file_for_user(user, pk: int) -> RecordFile:
    item = RecordFile.objects.select_related("record__inspection").filter(pk=pk).first()
    if item is None:
        raise Http404(_("附件不存在。"))
    inspection = item.record.inspection
    if not visible_inspections(user).filter(pk=inspection.pk).exists():
        raise Http404(_("附件不存在。"))
    if not sees_everything(user, inspection):
        raise Http404(_("附件不存在。"))
    return item


def get_report_for_user(user, pk: int):
    """The issued report of an inspection: the office and leaders. It names every unit's
    findings, so a supervised unit may not download it (403; it sees its own findings)."""
    inspection = get_inspection_for_user(user, pk)
    if not sees_everything(user, inspection):
        raise PermissionDenied(_("督查报告载有各单位的问题，只对督查室人员和领导开放。"))
    report = getattr(inspection, "report", None)
    if report is None:
        raise Http404(_("督查报告尚未印发。"))
    return inspection, report
