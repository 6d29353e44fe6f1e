"""Keeping lights and progress current: after every change to one task (task_refresh), and
once a day for every open task (lights_refresh_all, run by `luoshi tick`).

A parent's progress is the mean of its children's (a closed child counts as 100) and its light
is the worst of its own and its open children's lights; closed when all are closed is blue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from luoshi.lib import clock
from luoshi.tasks.lights import LightFacts, compute_light, worst
from luoshi.tasks.models import (
    OPEN_STATES,
    EventKind,
    Light,
    Milestone,
    Task,
    TaskEvent,
    TaskState,
)
from luoshi.workcal.services import WorkCalendar

BATCH = 2000
_FIELDS = (
    "id",
    "parent_id",
    "depth",
    "state",
    "due",
    "ongoing",
    "start_date",
    "assigned_at",
    "progress",
    "report_cycle",
    "report_day",
    "last_report_on",
    "light",
    "light_reasons",
)


@dataclass
class _Row:
    id: int
    parent_id: int | None
    depth: int
    state: str
    due: dt.date | None
    ongoing: bool
    start_date: dt.date | None
    assigned_at: dt.datetime | None
    progress: int
    report_cycle: str
    report_day: int | None
    last_report_on: dt.date | None
    light: str
    light_reasons: list

    def facts(self, milestones: list[dt.date], notices: int) -> LightFacts:
        assigned_on = timezone.localdate(self.assigned_at) if self.assigned_at else None
        return LightFacts(
            state=self.state,
            due=self.due,
            ongoing=self.ongoing,
            start=self.start_date or assigned_on,
            assigned_on=assigned_on,
            percent=self.progress,
            report_cycle=self.report_cycle,
            report_day=self.report_day,
            last_report_on=self.last_report_on,
            open_milestone_dates=milestones,
            overdue_notices=notices,
        )


def overdue_notice_counts(task_ids: list[int] | None, today: dt.date) -> dict[int, int]:
    """Supervision notices (督办单) unanswered past their reply date, per task: one query,
    over every open task when `task_ids` is None or large (the daily run)."""
    from luoshi.supervision.queries import overdue_notice_counts as counts

    return counts(task_ids, today)


def _combine(own: tuple[str, list, int], children: list[_Row]) -> tuple[str, list, int]:
    light, reasons, progress = own
    if not children:
        return own
    live = [c for c in children if c.state not in (TaskState.CANCELLED,)]
    if live:
        progress = round(
            sum(100 if c.state == TaskState.CLOSED else c.progress for c in live) / len(live)
        )
    open_lights = [c.light for c in live if c.light not in (Light.BLUE, Light.NONE)]
    if light not in (Light.BLUE, Light.NONE) and open_lights:
        child_worst = worst(*open_lights)
        if worst(light, child_worst) != light:
            reasons = [*reasons, {"code": "children", "light": child_worst}]
            light = child_worst
    return light, reasons, progress


def _compute_rows(
    rows: dict[int, _Row], today: dt.date, cal: WorkCalendar, only_ids: set[int] | None = None
) -> list[_Row]:
    """Compute lights bottom-up for `rows` (children before parents). Returns changed rows."""
    ids = list(rows)
    milestones: dict[int, list[dt.date]] = defaultdict(list)
    open_ms = Milestone.objects.filter(completed_on__isnull=True)
    if len(ids) <= 5000:
        open_ms = open_ms.filter(task_id__in=ids)
    else:  # the daily run: one query over open tasks rather than a huge IN list
        open_ms = open_ms.filter(task__state__in=OPEN_STATES)
    for task_id, due in open_ms.values_list("task_id", "due"):
        milestones[task_id].append(due)
    notices = overdue_notice_counts(ids, today)
    children: dict[int, list[_Row]] = defaultdict(list)
    for row in rows.values():
        if row.parent_id in rows:
            children[row.parent_id].append(row)
    changed: list[_Row] = []
    for row in sorted(rows.values(), key=lambda r: -r.depth):
        if only_ids is not None and row.id not in only_ids:
            continue
        light, reasons = compute_light(
            row.facts(milestones.get(row.id, []), notices.get(row.id, 0)), today, cal
        )
        light, reasons, progress = _combine((light, reasons, row.progress), children[row.id])
        if (light, reasons, progress) != (row.light, row.light_reasons, row.progress):
            old_light = row.light
            row.light, row.light_reasons, row.progress = light, reasons, progress
            row.old_light = old_light  # type: ignore[attr-defined]
            changed.append(row)
    return changed


def _save(changed: list[_Row], today: dt.date) -> None:
    objs = [
        Task(
            id=r.id,
            light=r.light,
            light_reasons=r.light_reasons,
            progress=r.progress,
            light_computed_on=today,
        )
        for r in changed
    ]
    Task.objects.bulk_update(
        objs, ["light", "light_reasons", "progress", "light_computed_on"], batch_size=BATCH
    )
    now = clock.now()
    events = [
        TaskEvent(
            task_id=r.id,
            kind=EventKind.LIGHT_CHANGED,
            at=now,
            data={"from": r.old_light, "to": r.light, "reasons": r.light_reasons},
        )
        for r in changed
        if r.old_light != r.light  # type: ignore[attr-defined]
    ]
    TaskEvent.objects.bulk_create(events, batch_size=BATCH)


def _load(qs) -> dict[int, _Row]:
    return {v[0]: _Row(*v) for v in qs.values_list(*_FIELDS)}


@transaction.atomic
def task_refresh(task: Task, *, today: dt.date | None = None) -> None:
    """Recompute the light and progress of a task, then of each ancestor in turn."""
    today = today or clock.today()
    cal = WorkCalendar()
    chain_ids = [int(p) for p in task.path.strip("/").split("/") if p] or [task.id]
    rows = _load(
        Task.objects.filter(id__in=chain_ids) | Task.objects.filter(parent_id__in=chain_ids)
    )
    changed = _compute_rows(rows, today, cal, only_ids=set(chain_ids))
    _save(changed, today)
    for row in changed:
        if row.id == task.id:
            task.light, task.light_reasons, task.progress = (
                row.light,
                row.light_reasons,
                row.progress,
            )


def lights_refresh_all(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily recomputation of every task's light (DESIGN.md: once a day)."""
    today = today or clock.today()
    cal = WorkCalendar()
    with transaction.atomic():
        rows = _load(Task.objects.exclude(state=TaskState.DRAFT))
        changed = _compute_rows(rows, today, cal)
        _save(changed, today)
    counts: dict[str, int] = defaultdict(int)
    for row in rows.values():
        counts[str(row.light) or "none"] += 1
    return {"tasks": len(rows), "changed": len(changed), **counts}
