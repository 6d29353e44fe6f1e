"""Demo 领导批示: the lead leaders have commented on two red tasks of their portfolio and on
one progress report, so the task pages (and the units' inboxes) show the 领导批示 card. The
cockpit itself needs nothing more: its panels read the tasks, lights and history the story
made."""

from __future__ import annotations

import datetime as dt

from luoshi.cockpit.models import LeaderComment
from luoshi.cockpit.services import leader_comment_add
from luoshi.demo.people import People
from luoshi.lib import clock
from luoshi.reports.models import ProgressReport
from luoshi.tasks.models import Light, Task

TEXTS = (
    "请{unit}倒排工期、挂图作战，本月底前把进度赶上来。",
    "此事群众关注度高，请{unit}主要负责同志亲自过问，每周报告进展。",
)


def build_comments(*, people: People, today: dt.date) -> None:
    if LeaderComment.objects.exists():  # loaded once
        return
    with clock.pinned_today(today):
        red = list(
            Task.objects.filter(light=Light.RED, lead_leader__isnull=False, lead_unit__isnull=False)
            .select_related("lead_leader", "lead_unit")
            .order_by("due", "pk")[: len(TEXTS)]
        )
        for task, text in zip(red, TEXTS, strict=False):
            leader_comment_add(
                actor=task.lead_leader,
                task=task,
                text=text.format(unit=task.lead_unit.display_name),
            )
        report = (
            ProgressReport.objects.filter(task__lead_leader__isnull=False, task__light=Light.GREEN)
            .select_related("task__lead_leader")
            .order_by("-submitted_at", "-pk")
            .first()
        )
        if report is not None:
            leader_comment_add(
                actor=report.task.lead_leader,
                task=report.task,
                report=report,
                text="进展扎实，请继续保持，注意总结可复制的经验做法。",
            )
