from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
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
_LIT = (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED)


@dataclass(slots=True)
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
    # (light, light_reasons, progress) as read, kept once the row is changed in memory
    old: tuple | None = None

    def facts(self, milestones: list[dt.date], notices: int, percent: int, tz) -> LightFacts:
        assigned_on = self.assigned_at.astimezone(tz).date() if self.assigned_at else None
        return LightFacts(
            state=self.state,
            due=self.due,
            ongoing=self.ongoing,
            start=self.start_date or assigned_on,
            assigned_on=assigned_on,
            percent=percent,
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


def _rolled_progress(progress: int, children: list[_Row]) -> int:
    """A parent's progress: the mean of its children's (a closed child counts as 100)."""
    live = [c for c in children if c.state != TaskState.CANCELLED]
    if not live:
        return progress
    return round(sum(100 if c.state == TaskState.CLOSED else c.progress for c in live) / len(live))


def _combine(light: str, reasons: list, children: list[_Row]) -> tuple[str, list]:
    """A parent's light: the worst of its own and its open children's."""
    open_lights = [
        c.light
        for c in children
        if c.state != TaskState.CANCELLED and c.light not in (Light.BLUE, Light.NONE)
    ]
    if light not in (Light.BLUE, Light.NONE) and open_lights:
        child_worst = worst(*open_lights)
        if worst(light, child_worst) != light:
            reasons = [*reasons, {"code": "children", "light": child_worst}]
            light = child_worst
    return light, reasons


def _compute_rows(
    rows: dict[int, _Row], today: dt.date, cal: WorkCalendar, only_ids: set[int] | None = None
) -> list[_Row]:
    """Compute lights bottom-up for `rows` (children before parents). Returns changed rows,
    each with `old` set to the values it was read with."""
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
    no_milestones: list[dt.date] = []
    tz = timezone.get_default_timezone()  # dates are Asia/Shanghai dates, whoever asks
    for row in sorted(rows.values(), key=lambda r: -r.depth):
        if only_ids is not None and row.id not in only_ids:
            continue
        own_children = children.get(row.id)
        # the rolled-up progress first: the parent's own lag is judged on it
        progress = _rolled_progress(row.progress, own_children) if own_children else row.progress
        if row.state == TaskState.CLOSED:  # compute_light's first rule, without the facts
            light, reasons = Light.BLUE, []
        elif row.state not in _LIT:
            light, reasons = Light.NONE, []
        else:
            light, reasons = compute_light(
                row.facts(
                    milestones.get(row.id, no_milestones), notices.get(row.id, 0), progress, tz
                ),
                today,
                cal,
            )
        if own_children:
            light, reasons = _combine(light, reasons, own_children)
        if light != row.light or progress != row.progress or reasons != row.light_reasons:
            row.old = (row.light, row.light_reasons, row.progress)
            row.light, row.light_reasons, row.progress = light, reasons, progress
            changed.append(row)
    return changed


def _sql(template: str, table: str) -> str:
    """`template` for this database: a JSON parameter is cast to jsonb on PostgreSQL."""
    json_param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    return template.format(table=connection.ops.quote_name(table), json=json_param)


_UPDATE = (
    "UPDATE {table} SET light = %s, light_reasons = {json}, progress = %s, "
    "light_computed_on = %s WHERE id = %s"
)
_INSERT_EVENT = (
    "INSERT INTO {table} (task_id, kind, at, message, data) VALUES (%s, %s, %s, '', {json})"
)
# PostgreSQL: one statement for a whole batch, from arrays, rather than one per row
_PG_UPDATE = (
    "UPDATE {table} AS t SET light = v.light, light_reasons = v.reasons::jsonb, "
    "progress = v.progress, light_computed_on = %s "
    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::int[]) "
    "AS v(id, light, reasons, progress) WHERE t.id = v.id"
)
_PG_INSERT_EVENT = (
    "INSERT INTO {table} (task_id, kind, at, message, data) "
    "SELECT v.task_id, %s, %s, '', v.data::jsonb "
    "FROM unnest(%s::bigint[], %s::text[]) AS v(task_id, data)"
)


def _write(cursor, rows: list[_Row], computed_on, now) -> None:
    """UPDATE the rows' light, reasons and progress; INSERT a history event where the light
    changed."""
    tasks, events = Task._meta.db_table, TaskEvent._meta.db_table
    kind = str(EventKind.LIGHT_CHANGED)
    lit = [r for r in rows if r.old[0] != r.light]
    event_data = [
        json.dumps({"from": r.old[0], "to": r.light, "reasons": r.light_reasons}) for r in lit
    ]
    if connection.vendor == "postgresql":
        cursor.execute(
            _sql(_PG_UPDATE, tasks),
            [
                computed_on,
                [r.id for r in rows],
                [r.light for r in rows],
                [json.dumps(r.light_reasons) for r in rows],
                [r.progress for r in rows],
            ],
        )
        if lit:
            cursor.execute(
                _sql(_PG_INSERT_EVENT, events), [kind, now, [r.id for r in lit], event_data]
            )
        return
    cursor.executemany(
        _sql(_UPDATE, tasks),
        [(r.light, json.dumps(r.light_reasons), r.progress, computed_on, r.id) for r in rows],
    )
    if lit:
        cursor.executemany(
            _sql(_INSERT_EVENT, events),
            [(r.id, kind, now, data) for r, data in zip(lit, event_data, strict=True)],
        )


def _save(changed: list[_Row], today: dt.date) -> int:
    """Write the changed rows in short transactions of BATCH rows, each writing only the rows
    that still hold what was read: a second worker that computed the same day at the same time,
    or a task changed meanwhile (whose own refresh is then the newer), leaves that row alone, so
    no change and no history event is ever written twice. Returns how many rows were written.

    Rows are locked before they are compared (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    IMMEDIATE transaction holds the write lock), and a batch is short so that the web pages'
    writes are not held up for long. Plain parameterised SQL writes the rows (_write): the
    ORM's bulk_update and bulk_create cost more than the whole computation."""
    computed_on = connection.ops.adapt_datefield_value(today)
    written = 0
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        with transaction.atomic():
            current = {
                pk: (light, reasons, progress)
                for pk, light, reasons, progress in Task.objects.select_for_update(no_key=True)
                .filter(id__in=[r.id for r in batch])
                .order_by("id")  # two workers lock rows in one order: no deadlock
                .values_list("id", "light", "light_reasons", "progress")
            }
            batch = [r for r in batch if current.get(r.id) == r.old]
            if not batch:
                continue
            now = connection.ops.adapt_datetimefield_value(clock.now())
            with connection.cursor() as cursor:
                _write(cursor, batch, computed_on, now)
            written += len(batch)
    return written


def _load(qs) -> dict[int, _Row]:
    return {v[0]: _Row(*v) for v in qs.order_by().values_list(*_FIELDS)}


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
    """The daily recomputation of every task's light (DESIGN.md: once a day).

    Reads every task once (no lock: SQLite's WAL and PostgreSQL let pages go on reading and
    writing), computes in memory, then writes the changed rows in short batches (_save)."""
    today = today or clock.today()
    cal = WorkCalendar()
    rows = _load(Task.objects.exclude(state=TaskState.DRAFT))
    changed = _compute_rows(rows, today, cal)
    written = _save(changed, today)
    counts: dict[str, int] = defaultdict(int)
    for row in rows.values():
        counts[str(row.light) or "none"] += 1
    return {"tasks": len(rows), "changed": written, **counts}
