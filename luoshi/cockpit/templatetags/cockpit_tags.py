"""The task page's 领导批示 section, one line in tasks/detail.html:
`{% load cockpit_tags %}{% leader_comments_task task %}`. Comments come from access.policy."""

from __future__ import annotations

from django import template

from luoshi.access import policy

register = template.Library()


@register.inclusion_tag("cockpit/_task_comments.html", takes_context=True)
def leader_comments_task(context, task) -> dict:
    user = context["user"]
    comments = list(
        policy.visible_leader_comments(user, task)
        .select_related("author", "report__unit")
        .order_by("-at", "-id")
    )
    may_comment = policy.can(user, "task.comment", task)
    return {
        "task": task,
        "has_subtree": bool(context.get("subtree")),
        "comments": comments,
        "may_comment": may_comment,
        "reports": context.get("reports", []) if may_comment else [],
        "csrf_token": context.get("csrf_token"),
    }
