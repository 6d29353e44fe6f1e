"""Panels of 申请延期 and 回头看 shown on pages owned by other apps, each with one line:
`{% load followup %}{% followup_home %}` on a 工作台, `{% followup_task task %}` on the task
page. Every list comes from access.policy, so no panel shows what its reader may not see."""

from __future__ import annotations

from django import template

from luoshi.access import policy

register = template.Library()

LIMIT = 15


def _bounded(qs) -> tuple[list, bool]:
    rows = list(qs[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


@register.inclusion_tag("extensions/_home_panel.html", takes_context=True)
def followup_home(context) -> dict:
    """工作台: extension requests awaiting the reader's decision; re-checks awaiting the
    office's verdict; re-checks the reader's unit must answer."""
    user = context["user"]
    to_decide, to_decide_more = _bounded(
        policy.extension_requests_to_decide(user)
        .select_related("task", "unit")
        .order_by("requested_at", "id")
    )
    to_verify, to_verify_more = _bounded(
        policy.rechecks_to_verify(user).select_related("task", "unit").order_by("due_on", "id")
    )
    to_answer, to_answer_more = _bounded(
        policy.rechecks_to_answer(user).select_related("task").order_by("due_on", "id")
    )
    return {
        "to_decide": to_decide,
        "to_decide_more": to_decide_more,
        "to_verify": to_verify,
        "to_verify_more": to_verify_more,
        "to_answer": to_answer,
        "to_answer_more": to_answer_more,
    }


@register.inclusion_tag("extensions/_task_card.html", takes_context=True)
def followup_task(context, task) -> dict:
    """The task page: its extension requests and re-checks, for readers of every part."""
    user = context["user"]
    return {
        "task": task,
        "requests": list(
            policy.visible_extension_requests(user, task).select_related("requested_by")
        ),
        "rechecks": list(policy.visible_rechecks(user, task).select_related("requested_by")),
    }
