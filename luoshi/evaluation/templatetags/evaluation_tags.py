"""The quality grade panel of a closed task, shown on the task page with one line:
`{% load evaluation_tags %}{% task_quality task %}`."""

from __future__ import annotations

from django import template

from luoshi.access import policy
from luoshi.evaluation.models import Grade, QualityGrade
from luoshi.tasks.models import TaskState

register = template.Library()


@register.inclusion_tag("evaluation/_task_quality.html", takes_context=True)
def task_quality(context, task) -> dict:
    user = context["user"]
    closed = task.state == TaskState.CLOSED
    may_grade = closed and policy.allowed(user, "evaluation.manage")
    grades = []
    if closed and (may_grade or policy.allowed(user, "evaluation.view")):
        grades = list(
            QualityGrade.objects.filter(task=task).select_related("by").order_by("-at", "-id")
        )
    return {
        "show": bool(grades) or may_grade,
        "task": task,
        "grades": grades,
        "current": grades[0] if grades else None,
        "may_grade": may_grade,
        "choices": Grade.choices,
        "csrf_token": context.get("csrf_token"),
    }
