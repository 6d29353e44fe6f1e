"""The task page: facts, time nodes, indicators, sub-tasks, progress reports, closure
requests and history, with the actions the user may take on it."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from luoshi.access import policy
from luoshi.access.views import object_rule
from luoshi.lib import clock
from luoshi.tasks import queries


@object_rule("task.view")
@require_safe
def task_detail(request, pk: int):
    task = policy.get_task_for_user(request.user, pk)
    context = {
        "task": task,
        "actions": policy.task_actions(request.user, task),
        "today": clock.today(),
        **queries.task_page(request.user, task, today=clock.today()),
    }
    return render(request, "tasks/detail.html", context)
