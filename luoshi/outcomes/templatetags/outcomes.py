"""The task page's 表彰与问责 section, one line in tasks/detail.html:
`{% load outcomes %}{% outcomes_task task %}`. Records come from access.policy."""

from __future__ import annotations

from django import template

from luoshi.access import policy
from luoshi.outcomes.models import OutcomeKind

register = template.Library()


@register.inclusion_tag("outcomes/_task_card.html", takes_context=True)
def outcomes_task(context, task) -> dict:
    user = context["user"]
    records = list(
        policy.visible_outcomes(user)
        .filter(task=task)
        .select_related("unit", "cadre", "recorded_by")
        .order_by("-recorded_on", "-id")
    )
    may_office = policy.may_record_outcome(user, OutcomeKind.COMMENDATION, None, task)
    may_leader = policy.may_record_outcome(user, OutcomeKind.LEADER_COMMENDATION, None, task)
    return {
        "task": task,
        "records": records,
        "may_record": may_office,
        "may_praise": may_leader and not may_office,
    }
