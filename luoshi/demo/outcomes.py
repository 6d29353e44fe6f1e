"""Demo 表彰与问责 and 干部评价: the office has commended the units that closed early and
criticised one that lags, a leader has praised a task, and a cadre review of a few unit heads
is under way (some sheets in, others awaited), so those pages have something to show."""

from __future__ import annotations

import datetime as dt

from luoshi.cadres.models import CadreReview, Dimension
from luoshi.cadres.services import review_create, sheet_submit
from luoshi.demo.people import People
from luoshi.lib import clock
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord
from luoshi.outcomes.services import outcome_record
from luoshi.tasks.models import Light, Task, TaskState


def build_outcomes(*, people: People, today: dt.date) -> None:
    if OutcomeRecord.objects.exists() or CadreReview.objects.exists():  # loaded once
        return
    sup = people.supervisor
    with clock.pinned_today(today):
        _records(sup, people, today)
        _review(sup, people, today)


def _records(sup, people: People, today: dt.date) -> None:
    closed = list(
        Task.objects.filter(state=TaskState.CLOSED, lead_unit__isnull=False, closed_late=False)
        .select_related("lead_unit", "lead_leader")
        .order_by("closed_at", "pk")[:3]
    )
    for n, task in enumerate(closed):
        outcome_record(
            actor=sup,
            kind=OutcomeKind.COMMENDATION,
            unit=task.lead_unit,
            task=task,
            recorded_on=today - dt.timedelta(days=20 - 5 * n),
            text=f"{task.lead_unit.display_name}按期高质量完成“{task.title}”，予以通报表扬。",
            doc_number=f"示督通〔{today.year}〕{n + 3}号",
        )
    if closed and closed[0].lead_leader_id:
        task = closed[0]
        outcome_record(
            actor=task.lead_leader,
            kind=OutcomeKind.LEADER_COMMENDATION,
            unit=task.lead_unit,
            task=task,
            recorded_on=today - dt.timedelta(days=12),
            text="工作抓得实、推进快，值得肯定。",
        )
    red = list(
        Task.objects.filter(light=Light.RED, lead_unit__isnull=False)
        .select_related("lead_unit")
        .order_by("due", "pk")[:2]
    )
    for kind, task in zip((OutcomeKind.PUBLIC_CRITICISM, OutcomeKind.TALK), red, strict=False):
        outcome_record(
            actor=sup,
            kind=kind,
            unit=task.lead_unit,
            task=task,
            recorded_on=today - dt.timedelta(days=6),
            text=f"“{task.title}”逾期未完成，督办后仍无实质进展。"
            if kind == OutcomeKind.PUBLIC_CRITICISM
            else f"就“{task.title}”进度滞后约谈{task.lead_unit.display_name}主要负责同志。",
        )


def _review(sup, people: People, today: dt.date) -> None:
    heads = [h for _code, h in sorted(people.heads.items())][:4]
    reviewers = [people.leaders[k] for k in sorted(people.leaders)][:3]
    if not heads or not reviewers:
        return
    review = review_create(
        actor=sup,
        name=f"{today.year}年单位主要负责人履职评价",
        date_from=dt.date(today.year, 1, 1),
        date_to=dt.date(today.year, 12, 31),
        cadres=heads,
        reviewers=[*reviewers, sup],
    )
    for i, reviewer in enumerate(reviewers):
        for j, head in enumerate(heads[: 3 - i]):
            grade = 9 - (i + j) % 4
            sheet_submit(
                actor=reviewer,
                review=review,
                cadre=head,
                scores={d.value: (max(1, grade - k % 2), "") for k, d in enumerate(Dimension)},
                comment="履职尽责，完成年度重点任务。" if grade >= 8 else "推进力度有待加强。",
            )
