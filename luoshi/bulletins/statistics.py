"""The figures of a 督查通报, computed from live data for a period [date_from, date_to].

Which tasks count (`counted_tasks`): the leaf tasks (a task with sub-tasks rolls up from
them and would count twice) that were assigned by the end of the period, are neither drafts
nor cancelled, and were not already closed before it began.

- by state and by light: those tasks as they stand when the bulletin is generated (`as_of`);
- on time by lead unit: the tasks closed within the period, 按期 / 延期后按期 / 逾期办结
  (extensions.queries.with_timeliness), and those 逾期未办结 at the period's end;
- overdue (`overdue_at_end`): not ongoing, due before the period's last day and not closed by
  then (a suspended task is not chased), with the working days overdue at the period's end,
  counted as the lights count them;
- listed: the tasks the supervision ladder listed for the bulletin (列入通报) within it;
- commended (`tasks_closed_early`): closed within it at least N working days before their
  original due date (the due before any extension).
- outcome records (outcomes.OutcomeRecord, in force, dated within the period, those the
  reader may read): 表彰 and 领导表扬 beside the commended tasks (`outcomes_commended`),
  通报批评, 约谈 and 问责建议 in a section of their own (`outcomes_criticised`). Units and
  tasks only: a bulletin goes to every unit, so it names no person.
- 政策兑现情况 (`policies`) and 考核得分与排名 (`ranking`): see bulletins.sections.

`bulletin_statistics` returns a plain JSON-able dict (the bulletin's snapshot): names and
titles as text, dates in ISO form, states and lights as codes (labelled when shown).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.bulletins.conf import conf
from luoshi.bulletins.sections import policy_delivery, rate, unit_rankings
from luoshi.extensions.queries import Timeliness, with_timeliness
from luoshi.org.models import Unit
from luoshi.tasks.models import OPEN_STATES, EventKind, Light, Task, TaskEvent, TaskState
from luoshi.workcal.services import WorkCalendar

SNAPSHOT_VERSION = 1
STATE_ORDER = (
    TaskState.ASSIGNED,
    TaskState.IN_PROGRESS,
    TaskState.CLOSURE_REQUESTED,
    TaskState.CLOSED,
    TaskState.SUSPENDED,
)
LIGHT_ORDER = (Light.GREEN, Light.YELLOW, Light.RED, Light.BLUE, Light.NONE)


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        """The period's first instant (local midnight, aware)."""
        return timezone.make_aware(dt.datetime.combine(self.date_from, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        """The instant after the period (local midnight after its last day, aware)."""
        day_after = self.date_to + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day_after, dt.time.min))


def counted_tasks(tasks: QuerySet[Task], period: Period) -> QuerySet[Task]:
    """The tasks a bulletin counts (see the module's text)."""
    live_children = Task.objects.filter(parent=OuterRef("pk")).exclude(
        state__in=(TaskState.DRAFT, TaskState.CANCELLED)
    )
    return (
        tasks.exclude(state__in=(TaskState.DRAFT, TaskState.CANCELLED))
        # a task without an assignment time (made straight into work, e.g. by an import)
        # counts from its creation
        .filter(
            Q(assigned_at__lt=period.end) | Q(assigned_at__isnull=True, created_at__lt=period.end)
        )
        .exclude(state=TaskState.CLOSED, closed_at__lt=period.start)
        .exclude(Exists(live_children))
    )


def _closed_in(period: Period) -> Q:
    return Q(state=TaskState.CLOSED, closed_at__gte=period.start, closed_at__lt=period.end)


def overdue_at_end(tasks: QuerySet[Task], period: Period) -> QuerySet[Task]:
    """Tasks past their due at the period's end and not closed by then."""
    still_open = Q(state__in=OPEN_STATES) | Q(state=TaskState.CLOSED, closed_at__gte=period.end)
    return tasks.filter(still_open, ongoing=False, due__lt=period.date_to)


def tasks_closed_early(
    tasks: QuerySet[Task],
    period: Period,
    *,
    min_working_days: int | None = None,
    cal: WorkCalendar | None = None,
) -> list[tuple[Task, int]]:
    """Tasks closed within the period at least `min_working_days` working days (default: the
    BULLETIN_EARLY_WORKING_DAYS setting) before their original due date, with how many
    working days early, the earliest first. A task closed only within an extension, or with
    no due date (长期坚持), is not early."""
    if min_working_days is None:
        min_working_days = conf("BULLETIN_EARLY_WORKING_DAYS")
    cal = cal or WorkCalendar()
    rows = (
        with_timeliness(tasks.filter(_closed_in(period), ongoing=False, due__isnull=False))
        .filter(timeliness=Timeliness.ON_TIME)
        .select_related("lead_unit")
        .order_by("closed_at", "code")
    )
    early = []
    for task in rows:
        days = cal.working_days_between(task.closed_on, task.original_due)
        if days >= min_working_days:
            early.append((task, days))
    early.sort(key=lambda pair: (-pair[1], pair[0].code))
    return early


def _unit_name(task: Task) -> str:
    return task.lead_unit.display_name if task.lead_unit_id else _("（未定牵头单位）")


def _by_unit(counted: QuerySet[Task], overdue: Counter, period: Period) -> dict:
    """`overdue`: how many tasks of each lead unit (id) are 逾期未办结 at the period's end."""
    closed = (
        with_timeliness(counted.filter(_closed_in(period)))
        .values("lead_unit_id", "timeliness")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[int | None, dict[str, int]] = {}

    def cell(unit_id):
        return cells.setdefault(unit_id, {"on_time": 0, "extended": 0, "late": 0, "overdue": 0})

    for row in closed:
        cell(row["lead_unit_id"])[row["timeliness"]] += row["n"]
    for unit_id, n in overdue.items():
        cell(unit_id)["overdue"] += n
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[k for k in cells if k is not None])}
    rows = []
    for unit_id, counts in cells.items():
        unit = units.get(unit_id)
        total = sum(counts.values())
        rows.append(
            {
                "unit": unit.display_name if unit else _("（未定牵头单位）"),
                "path": unit.path if unit else "~",
                **counts,
                "total": total,
                "rate": rate(counts["on_time"] + counts["extended"], total),
            }
        )
    rows.sort(key=lambda r: r["path"])
    for r in rows:
        del r["path"]
    sums = {k: sum(r[k] for r in rows) for k in ("on_time", "extended", "late", "overdue", "total")}
    sums["rate"] = rate(sums["on_time"] + sums["extended"], sums["total"])
    return {"rows": rows, "total": sums}


def _listed(tasks: QuerySet[Task], period: Period) -> list[dict]:
    """The tasks the ladder listed for the bulletin within the period (first listing)."""
    events = (
        TaskEvent.objects.filter(
            kind=EventKind.BULLETIN_LISTED,
            at__gte=period.start,
            at__lt=period.end,
            task__in=tasks,
        )
        .select_related("task__lead_unit")
        .order_by("at", "id")
    )
    seen: dict[int, dict] = {}
    for event in events:
        if event.task_id in seen:
            continue
        task = event.task
        seen[event.task_id] = {
            "code": task.code,
            "title": task.title,
            "unit": _unit_name(task),
            "due": task.due.isoformat() if task.due else None,
            "listed_on": timezone.localdate(event.at).isoformat(),
            "state": task.state,
        }
    return list(seen.values())


def _outcomes(records, period: Period) -> tuple[list[dict], list[dict]]:
    """The period's outcome records in force: (commending, criticising), by date."""
    from luoshi.outcomes.models import COMMENDING_KINDS, OutcomeRecord

    if records is None:
        records = OutcomeRecord.objects.all()
    rows = (
        records.in_force()
        .recorded_between(period.date_from, period.date_to)
        .select_related("unit", "task")
        .order_by("recorded_on", "id")
    )
    commending, criticising = [], []
    for r in rows:
        row = {
            "kind": r.kind,
            "unit": r.unit.display_name,
            "code": r.task.code if r.task_id else "",
            "title": r.task.title if r.task_id else "",
            "text": r.text,
            "doc_number": r.doc_number,
            "recorded_on": r.recorded_on.isoformat(),
        }
        (commending if r.kind in COMMENDING_KINDS else criticising).append(row)
    return commending, criticising


def bulletin_statistics(
    tasks: QuerySet[Task],
    date_from: dt.date,
    date_to: dt.date,
    *,
    as_of: dt.date,
    cal: WorkCalendar | None = None,
    outcomes=None,
    scores=None,
) -> dict:
    """Every figure of a bulletin over `tasks` (already limited to what the user may see);
    `outcomes`, `scores`: the outcome records and unit scores the user may read (None: every
    one)."""
    cal = cal or WorkCalendar()
    period = Period(date_from, date_to)
    counted = counted_tasks(tasks, period)
    states: Counter = Counter()
    lights: Counter = Counter()
    for state, light, n in counted.values_list("state", "light").annotate(n=Count("pk")).order_by():
        states[state] += n
        lights[light] += n
    overdue = overdue_at_end(counted, period)
    overdue_rows = []
    overdue_by_unit: Counter = Counter()
    for task in overdue.select_related("lead_unit").order_by("due", "code"):
        overdue_by_unit[task.lead_unit_id] += 1
        overdue_rows.append(
            {
                "code": task.code,
                "title": task.title,
                "unit": _unit_name(task),
                "due": task.due.isoformat(),
                "days": cal.working_days_between(task.due, date_to),
            }
        )
    overdue_rows.sort(key=lambda r: (-r["days"], r["code"]))
    min_days = conf("BULLETIN_EARLY_WORKING_DAYS")
    commended = [
        {
            "code": task.code,
            "title": task.title,
            "unit": _unit_name(task),
            "due": task.original_due.isoformat(),
            "closed_on": task.closed_on.isoformat(),
            "days_early": days,
        }
        for task, days in tasks_closed_early(counted, period, min_working_days=min_days, cal=cal)
    ]
    praised, criticised = _outcomes(outcomes, period)
    return {
        "version": SNAPSHOT_VERSION,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "as_of": as_of.isoformat(),
        "total": sum(states.values()),
        "by_state": [{"code": s.value, "count": states.get(s.value, 0)} for s in STATE_ORDER],
        "by_light": [{"code": li.value, "count": lights.get(li.value, 0)} for li in LIGHT_ORDER],
        "units": _by_unit(counted, overdue_by_unit, period),
        "overdue": overdue_rows,
        "listed": _listed(tasks, period),
        "early_days": min_days,
        "commended": commended,
        "outcomes_commended": praised,
        "outcomes_criticised": criticised,
        "policies": policy_delivery(tasks, date_to, period.end),
        "ranking": unit_rankings(scores, date_from, date_to),
    }
