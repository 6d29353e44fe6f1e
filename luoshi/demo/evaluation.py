"""Demo 考核评价: the office has graded a few closed tasks, scored and published last month,
and scored this month so far (a draft), with the default scheme shipped by the migration."""

from __future__ import annotations

import datetime as dt

from luoshi.demo.people import People
from luoshi.evaluation.models import EvaluationPeriod, EvaluationScheme
from luoshi.evaluation.services import (
    period_create,
    period_freeze,
    period_score,
    quality_grade_set,
)
from luoshi.lib import clock
from luoshi.tasks.models import Task, TaskState


def build_evaluation(*, people: People, today: dt.date) -> None:
    if EvaluationPeriod.objects.exists():  # loaded once; a second run adds nothing
        return
    scheme = EvaluationScheme.objects.filter(is_active=True).order_by("id").first()
    if scheme is None:
        return
    sup = people.supervisor
    with clock.pinned_today(today):
        closed = Task.objects.filter(state=TaskState.CLOSED).order_by("closed_at", "pk")[:6]
        for task, grade in zip(closed, "ABABCD", strict=False):
            quality_grade_set(actor=sup, task=task, grade=grade)
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        previous = period_create(actor=sup, scheme=scheme, kind="month", start=last_month)
        period_score(actor=sup, period=previous, as_of=today)
        period_freeze(actor=sup, period=previous)
        current = period_create(actor=sup, scheme=scheme, kind="month", start=today)
        period_score(actor=sup, period=current, as_of=today)
