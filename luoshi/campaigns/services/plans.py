"""督查计划: the annual plan, drafted item by item and then issued (印发)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.campaigns.models import InspectionKind, InspectionPlan, PlanItem, PlanState
from luoshi.campaigns.services.common import Errors, check_units_in_scope, require_office
from luoshi.lib import clock
from luoshi.org.models import Unit, User

TITLE_MAX = 200


@transaction.atomic
def plan_create(
    *, actor: User, year: int | None, title: str, doc_number: str = ""
) -> InspectionPlan:
    require_office(actor)
    errors = Errors()
    this_year = clock.today().year
    if year is None:
        errors.add("year", _("请填写年度。"))
    elif not this_year - 1 <= year <= this_year + 1:
        errors.add(
            "year", _("年度须在 %(a)d 至 %(b)d 之间。") % {"a": this_year - 1, "b": this_year + 1}
        )
    title = " ".join((title or "").split())
    if not title:
        errors.add("title", _("请填写计划标题。"))
    elif len(title) > TITLE_MAX:
        errors.add("title", _("标题不能超过 %(n)d 字。") % {"n": TITLE_MAX})
    errors.raise_if_any()
    plan = InspectionPlan.objects.create(
        year=year,
        title=title,
        doc_number=(doc_number or "").strip()[:100],
        created_by=actor,
        created_at=clock.now(),
    )
    audit_log(actor=actor, action="campaigns.plan_create", obj=plan, data={"year": year})
    return plan


@transaction.atomic
def plan_item_add(
    *,
    actor: User,
    plan: InspectionPlan,
    topic: str,
    kind: str,
    subject_units: Sequence[Unit],
    planned_month: int | None,
    lead_team: str = "",
) -> PlanItem:
    require_office(actor)
    plan = InspectionPlan.objects.select_for_update(no_key=True).get(pk=plan.pk)
    errors = Errors()
    if plan.state != PlanState.DRAFT:
        errors.add("__all__", _("计划已印发，不能再增加事项。"))
    topic = " ".join((topic or "").split())
    if not topic:
        errors.add("topic", _("请填写督查事项。"))
    elif len(topic) > TITLE_MAX:
        errors.add("topic", _("督查事项不能超过 %(n)d 字。") % {"n": TITLE_MAX})
    if kind not in InspectionKind.values:
        errors.add("kind", _("请选择督查类型：综合督查、专项督查或事件督查。"))
    units = list(subject_units)
    if not units:
        errors.add("subject_units", _("请选择至少一个督查对象。"))
    check_units_in_scope(actor, units, errors, "subject_units")
    if planned_month is None or not 1 <= planned_month <= 12:
        errors.add("planned_month", _("计划月份须在 1 至 12 之间。"))
    errors.raise_if_any()
    item = PlanItem.objects.create(
        plan=plan,
        topic=topic,
        kind=kind,
        planned_month=planned_month,
        lead_team=(lead_team or "").strip()[:200],
        sort_order=plan.items.count(),
        created_at=clock.now(),
    )
    item.subject_units.set(units)
    audit_log(
        actor=actor,
        action="campaigns.plan_item_add",
        obj=item,
        data={"plan": plan.pk, "topic": topic, "units": [u.pk for u in units]},
    )
    return item


@transaction.atomic
def plan_issue(*, actor: User, plan: InspectionPlan, doc_number: str = "") -> InspectionPlan:
    """印发: the plan is fixed; inspections may now be created from its items."""
    require_office(actor)
    plan = InspectionPlan.objects.select_for_update(no_key=True).get(pk=plan.pk)
    if plan.state != PlanState.DRAFT:
        raise ValidationError(_("计划已印发，不能重复印发。"))
    if not plan.items.exists():
        raise ValidationError(_("计划还没有事项，不能印发。"))
    plan.state = PlanState.ISSUED
    plan.issued_by, plan.issued_at = actor, clock.now()
    if doc_number.strip():
        plan.doc_number = doc_number.strip()[:100]
    plan.save(update_fields=["state", "issued_by", "issued_at", "doc_number"])
    audit_log(actor=actor, action="campaigns.plan_issue", obj=plan, data={"doc": plan.doc_number})
    return plan
