"""督查方案 and the inspection's life cycle: create (from a plan item or ad hoc), edit while
a draft, launch (实施), finish (完结, once every rectification task is closed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.access.policy import OVERSIGHT_ROLES
from luoshi.audit.services import audit_log
from luoshi.campaigns.models import (
    METHOD_CHOICES,
    Inspection,
    InspectionKind,
    InspectionState,
    PlanItem,
    PlanState,
)
from luoshi.campaigns.services.common import (
    Errors,
    check_units_in_scope,
    default_notice_days,
    default_statement_days,
    event_record,
    lock,
    require_office,
    require_state,
)
from luoshi.lib import clock
from luoshi.org.models import Unit, User
from luoshi.tasks.models import TaskState

TITLE_MAX = 200
SCOPE_MAX = 5000
MATERIALS_MAX = 2000
MAX_DAYS = 30
# How long one inspection may last on the ground (calendar days).
MAX_SPAN_DAYS = 180


def next_inspection_code(year: int) -> str:
    prefix = f"{year}-DC-"
    taken = set(Inspection.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def _validate_scheme(
    *,
    actor: User,
    title: str,
    kind: str,
    scope: str,
    subject_units: list[Unit],
    methods: list[str],
    team_leader: User | None,
    team_members: list[User],
    start_date: dt.date | None,
    end_date: dt.date | None,
    notice_days_ahead: int | None,
    statement_days: int | None,
    materials: str,
) -> Errors:
    errors = Errors()
    if not title:
        errors.add("title", _("请填写督查事项。"))
    elif len(title) > TITLE_MAX:
        errors.add("title", _("督查事项不能超过 %(n)d 字。") % {"n": TITLE_MAX})
    if kind not in InspectionKind.values:
        errors.add("kind", _("请选择督查类型：综合督查、专项督查或事件督查。"))
    if not scope:
        errors.add("scope", _("请填写督查内容与范围。"))
    elif len(scope) > SCOPE_MAX:
        errors.add("scope", _("督查内容不能超过 %(n)d 字。") % {"n": SCOPE_MAX})
    if not subject_units:
        errors.add("subject_units", _("请选择至少一个督查对象。"))
    if len({u.pk for u in subject_units}) != len(subject_units):
        errors.add("subject_units", _("督查对象有重复。"))
    check_units_in_scope(actor, subject_units, errors, "subject_units")
    known = {m for m, _label in METHOD_CHOICES}
    if not methods:
        errors.add("methods", _("请选择至少一种督查方式。"))
    elif any(m not in known for m in methods):
        errors.add("methods", _("督查方式无效。"))
    if team_leader is None:
        errors.add("team_leader", _("请选择督查组组长。"))
    for person in [p for p in [team_leader, *team_members] if p is not None]:
        if not person.is_active or person.role not in OVERSIGHT_ROLES:
            errors.add(
                "team_members",
                _("“%(name)s”不是督查室人员或领导，不能加入督查组。")
                % {"name": person.display_name},
            )
    if team_leader is not None and any(m.pk == team_leader.pk for m in team_members):
        errors.add("team_members", _("组长不必再列为成员。"))
    if start_date is None:
        errors.add("start_date", _("请填写开始日期。"))
    if end_date is None:
        errors.add("end_date", _("请填写结束日期。"))
    if start_date and end_date:
        if end_date < start_date:
            errors.add("end_date", _("结束日期不能早于开始日期。"))
        elif (end_date - start_date).days > MAX_SPAN_DAYS:
            errors.add("end_date", _("一次督查不能超过 %(n)d 天。") % {"n": MAX_SPAN_DAYS})
    for field, value in (
        ("notice_days_ahead", notice_days_ahead),
        ("statement_days", statement_days),
    ):
        if value is None or not 1 <= value <= MAX_DAYS:
            errors.add(field, _("工作日数须在 1 至 %(n)d 之间。") % {"n": MAX_DAYS})
    if len(materials) > MATERIALS_MAX:
        errors.add("materials", _("材料清单不能超过 %(n)d 字。") % {"n": MATERIALS_MAX})
    return errors


def _clean(text: str) -> str:
    return (text or "").strip()


@transaction.atomic
def inspection_create(
    *,
    actor: User,
    plan_item: PlanItem | None = None,
    title: str,
    kind: str,
    scope: str,
    subject_units: Sequence[Unit],
    methods: Sequence[str],
    team_leader: User | None,
    team_members: Sequence[User] = (),
    start_date: dt.date | None,
    end_date: dt.date | None,
    notice_days_ahead: int | None = None,
    statement_days: int | None = None,
    unannounced: bool = False,
    materials: str = "",
) -> Inspection:
    """A new inspection (草拟) with its scheme, from a plan item of an issued plan or ad hoc."""
    require_office(actor)
    notice_days_ahead = default_notice_days() if notice_days_ahead is None else notice_days_ahead
    statement_days = default_statement_days() if statement_days is None else statement_days
    title = " ".join(_clean(title).split())
    units, members = list(subject_units), list(team_members)
    errors = _validate_scheme(
        actor=actor,
        title=title,
        kind=kind,
        scope=_clean(scope),
        subject_units=units,
        methods=list(methods),
        team_leader=team_leader,
        team_members=members,
        start_date=start_date,
        end_date=end_date,
        notice_days_ahead=notice_days_ahead,
        statement_days=statement_days,
        materials=_clean(materials),
    )
    if plan_item is not None:
        plan_item = PlanItem.objects.select_related("plan").get(pk=plan_item.pk)
    if plan_item is not None and plan_item.plan.state != PlanState.ISSUED:
        errors.add("plan_item", _("督查计划尚未印发，不能据此开展督查。"))
    errors.raise_if_any()
    year = start_date.year
    inspection = Inspection.objects.create(
        plan_item=plan_item,
        code=next_inspection_code(year),
        year=year,
        title=title,
        kind=kind,
        scope=_clean(scope),
        methods=list(dict.fromkeys(methods)),
        team_leader=team_leader,
        start_date=start_date,
        end_date=end_date,
        notice_days_ahead=notice_days_ahead,
        statement_days=statement_days,
        unannounced=bool(unannounced),
        materials=_clean(materials),
        created_by=actor,
        created_at=clock.now(),
    )
    inspection.subject_units.set(units)
    inspection.team_members.set(members)
    data = {
        "code": inspection.code,
        "plan_item": plan_item.pk if plan_item else None,
        "units": [u.pk for u in units],
        "unannounced": inspection.unannounced,
    }
    event_record(inspection=inspection, kind="created", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.inspection_create", obj=inspection, data=data)
    return inspection


@transaction.atomic
def inspection_update(
    *,
    actor: User,
    inspection: Inspection,
    title: str,
    kind: str,
    scope: str,
    subject_units: Sequence[Unit],
    methods: Sequence[str],
    team_leader: User | None,
    team_members: Sequence[User] = (),
    start_date: dt.date | None,
    end_date: dt.date | None,
    notice_days_ahead: int | None,
    statement_days: int | None,
    unannounced: bool,
    materials: str = "",
) -> Inspection:
    """Edit the scheme while it is a draft. The change is kept in the history."""
    require_office(actor)
    inspection = lock(inspection)
    require_state(inspection, InspectionState.DRAFT, doing=_("修改督查方案"))
    title = " ".join(_clean(title).split())
    units, members = list(subject_units), list(team_members)
    errors = _validate_scheme(
        actor=actor,
        title=title,
        kind=kind,
        scope=_clean(scope),
        subject_units=units,
        methods=list(methods),
        team_leader=team_leader,
        team_members=members,
        start_date=start_date,
        end_date=end_date,
        notice_days_ahead=notice_days_ahead,
        statement_days=statement_days,
        materials=_clean(materials),
    )
    errors.raise_if_any()
    before = _snapshot(inspection)
    inspection.title, inspection.kind, inspection.scope = title, kind, _clean(scope)
    inspection.methods = list(dict.fromkeys(methods))
    inspection.team_leader = team_leader
    inspection.start_date, inspection.end_date = start_date, end_date
    inspection.notice_days_ahead, inspection.statement_days = notice_days_ahead, statement_days
    inspection.unannounced, inspection.materials = bool(unannounced), _clean(materials)
    inspection.year = start_date.year
    inspection.save()
    inspection.subject_units.set(units)
    inspection.team_members.set(members)
    after = _snapshot(inspection)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    event_record(inspection=inspection, kind="scheme_changed", actor=actor, data=changed)
    audit_log(actor=actor, action="campaigns.inspection_update", obj=inspection, data=changed)
    return inspection


def _snapshot(inspection: Inspection) -> dict:
    return {
        "title": inspection.title,
        "kind": inspection.kind,
        "scope": inspection.scope,
        "methods": list(inspection.methods),
        "team_leader": inspection.team_leader_id,
        "team_members": sorted(inspection.team_members.values_list("pk", flat=True)),
        "units": sorted(inspection.subject_units.values_list("pk", flat=True)),
        "start_date": inspection.start_date.isoformat(),
        "end_date": inspection.end_date.isoformat(),
        "notice_days_ahead": inspection.notice_days_ahead,
        "statement_days": inspection.statement_days,
        "unannounced": inspection.unannounced,
        "materials": inspection.materials,
    }


@transaction.atomic
def inspection_launch(*, actor: User, inspection: Inspection) -> Inspection:
    """实施: the scheme is fixed. Notices go out on their date (the daily tick), or at once
    when that date has already come; an unannounced check gets none."""
    from luoshi.campaigns.models import NoticeWay
    from luoshi.campaigns.services.notices import notice_date, notices_send

    require_office(actor)
    inspection = lock(inspection)
    require_state(inspection, InspectionState.DRAFT, doing=_("启动实施"))
    today = clock.today()
    if inspection.end_date < today:
        raise ValidationError(_("督查结束日期已过，请先修改督查方案的日期。"))
    inspection.state = InspectionState.ACTIVE
    inspection.save(update_fields=["state"])
    due = notice_date(inspection)
    data = {"notice_on": due.isoformat() if due else None}
    event_record(inspection=inspection, kind="launched", actor=actor, data=data)
    audit_log(actor=actor, action="campaigns.inspection_launch", obj=inspection, data=data)
    if due is not None and due <= today:
        notices_send(actor=None, inspection=inspection, way=NoticeWay.AUTO)
    return inspection


def open_rectifications(inspection: Inspection) -> list:
    return [
        r
        for r in inspection_rectifications(inspection)
        if r.task.state not in (TaskState.CLOSED, TaskState.CANCELLED)
    ]


def inspection_rectifications(inspection: Inspection) -> list:
    from luoshi.campaigns.models import Rectification

    return list(
        Rectification.objects.filter(finding__inspection=inspection).select_related(
            "task", "finding", "task__lead_unit", "task__owner"
        )
    )


@transaction.atomic
def inspection_finish(*, actor: User, inspection: Inspection) -> Inspection:
    """完结: the report is out and every rectification task is closed (销号) or cancelled."""
    require_office(actor)
    inspection = lock(inspection)
    require_state(inspection, InspectionState.REPORTED, InspectionState.RECTIFYING, doing=_("完结"))
    still_open = open_rectifications(inspection)
    if still_open:
        raise ValidationError(
            _("还有 %(n)d 项整改事项未办结（%(codes)s），不能完结。")
            % {"n": len(still_open), "codes": "、".join(r.task.code for r in still_open)}
        )
    inspection.state = InspectionState.FINISHED
    inspection.save(update_fields=["state"])
    event_record(inspection=inspection, kind="finished", actor=actor)
    audit_log(actor=actor, action="campaigns.inspection_finish", obj=inspection)
    return inspection
