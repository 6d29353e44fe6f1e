"""Read-side queries for the pages: the ledger (台账) with its filters and sorting, and the
lists of the home page (工作台). Every list starts from policy.visible_tasks, so no page can
show a task its user may not see. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from luoshi.access import policy
from luoshi.org.models import Unit, User
from luoshi.tasks.cycles import FIRST_REPORT_GRACE_DAYS, missed_windows, window_containing
from luoshi.tasks.lights import SEVERITY
from luoshi.tasks.models import (
    OPEN_STATES,
    AssignmentRole,
    ClosureDecision,
    ClosureRequest,
    Light,
    ReportCycle,
    Source,
    Task,
    TaskState,
    TaskUnit,
)
from luoshi.workcal.services import WorkCalendar

LIGHT_ORDER = (Light.RED, Light.YELLOW, Light.GREEN, Light.BLUE)
OPEN = "open"  # the ledger's state filter value for 在办 (assigned, in progress, closure asked)

# --- the ledger -----------------------------------------------------------------------------


@dataclass
class LedgerFilter:
    """What the ledger is narrowed to; every field comes from the page's GET parameters."""

    unit: Unit | None = None
    unit_role: str = ""  # "" any part, "lead" or "co"
    source: Source | None = None
    light: str | None = None  # a Light value; "none" for no light
    state: str = ""  # a TaskState value or OPEN
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    q: str = ""
    category: str = ""
    priority: str = ""
    leader: User | None = None
    todo: str = ""  # for unit users: "ack", "report", "returned"
    sort: str = "code"


_severity = Case(
    *[When(light=value, then=Value(rank)) for value, rank in SEVERITY.items()],
    default=Value(0),
    output_field=IntegerField(),
)

SORTS = {
    "code": (F("code").asc(),),
    "due": (F("due").asc(nulls_last=True), F("code").asc()),
    "light": (F("severity").desc(), F("due").asc(nulls_last=True), F("code").asc()),
    "progress": (F("progress").asc(), F("code").asc()),
    "last_report": (F("last_report_on").asc(nulls_first=True), F("code").asc()),
}


def _descending(orders: tuple) -> tuple:
    flipped = []
    for order in orders:
        expr = order.expression
        if order.descending:
            flipped.append(expr.asc(nulls_first=order.nulls_last or None))
        else:
            flipped.append(expr.desc(nulls_last=order.nulls_first or None))
    return tuple(flipped)


def ledger_order(qs: QuerySet[Task], sort: str) -> QuerySet[Task]:
    key = sort.lstrip("-")
    orders = SORTS.get(key, SORTS["code"])
    if sort.startswith("-") and key in SORTS:
        # only the first key reverses; the tie-breakers stay as they are
        orders = (*_descending(orders[:1]), *orders[1:])
    if key == "light":
        qs = qs.annotate(severity=_severity)
    return qs.order_by(*orders)


def with_ledger_columns(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Everything a ledger row shows, in a fixed number of queries whatever the row count."""
    co_parts = TaskUnit.objects.filter(role=AssignmentRole.CO).select_related("unit")
    return qs.select_related("lead_unit", "owner", "source", "lead_leader").prefetch_related(
        Prefetch("assignments", queryset=co_parts, to_attr="co_parts")
    )


def ledger_tasks(user, f: LedgerFilter, *, today: dt.date) -> QuerySet[Task]:
    """The ledger's rows for this user and filter, sorted, with their columns loaded."""
    qs = policy.visible_tasks(user)
    if f.unit is not None:
        parts = TaskUnit.objects.filter(task=OuterRef("pk"), unit=f.unit)
        if f.unit_role in (AssignmentRole.LEAD, AssignmentRole.CO):
            parts = parts.filter(role=f.unit_role)
        qs = qs.filter(Exists(parts))
    if f.source is not None:
        qs = qs.filter(source=f.source)
    if f.light is not None:
        qs = qs.filter(light="" if f.light == "none" else f.light)
    if f.state == OPEN:
        qs = qs.filter(state__in=OPEN_STATES)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.due_from:
        qs = qs.filter(due__gte=f.due_from)
    if f.due_to:
        qs = qs.filter(due__lte=f.due_to)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(content__icontains=f.q) | Q(code__icontains=f.q))
    if f.category:
        qs = qs.filter(category=f.category)
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.leader is not None:
        qs = qs.filter(lead_leader=f.leader)
    if f.todo and policy.is_unit_user(user) and user.unit_id:
        qs = qs.filter(pk__in=todo_task_ids(user, f.todo, today=today))
    return with_ledger_columns(ledger_order(qs, f.sort))


def ledger_choices(user) -> dict[str, QuerySet]:
    """What the filter menus offer: only units, sources and categories of visible tasks."""
    visible = policy.visible_tasks(user)
    return {
        "units": Unit.objects.filter(
            Exists(TaskUnit.objects.filter(unit=OuterRef("pk"), task__in=visible.values("pk")))
        ).order_by("path"),
        "sources": Source.objects.filter(Exists(visible.filter(source=OuterRef("pk")))).order_by(
            "-issued_on", "-id"
        ),
        "categories": visible.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct(),
        "leaders": User.objects.filter(Exists(visible.filter(lead_leader=OuterRef("pk")))).order_by(
            "full_name", "username"
        ),
    }


MENUS_SECONDS = 600


def ledger_menus(user, choices: dict[str, QuerySet]) -> dict[str, list]:
    """The filter menus' rows — (id, label) of units, sources and leaders, and the categories —
    kept in the cache per user: on a province each menu is a scan of the visible tasks.
    The key carries the newest task and source, so an added one shows at once; an edited
    category or leader shows within MENUS_SECONDS."""
    newest = (
        Task.objects.order_by("-pk").values_list("pk", flat=True).first(),
        Source.objects.order_by("-pk").values_list("pk", flat=True).first(),
    )
    key = f"ledger-menus:{user.pk}:{newest[0]}:{newest[1]}"
    menus = cache.get(key)
    if menus is None:
        units = choices["units"].values_list("id", "name", "short_name")
        leaders = choices["leaders"].values_list("id", "full_name", "username")
        menus = {
            "unit": [(pk, short or name) for pk, name, short in units],
            "source": list(choices["sources"].values_list("id", "title")),
            "leader": [(pk, full or username) for pk, full, username in leaders],
            "category": list(choices["categories"]),
        }
        cache.set(key, menus, MENUS_SECONDS)
    return menus


# --- counts ---------------------------------------------------------------------------------


def light_counts(qs: QuerySet[Task]) -> dict[str, int]:
    """{"red": n, "yellow": n, "green": n, "blue": n} over a queryset of tasks."""
    row = qs.aggregate(**{str(light): Count("pk", filter=Q(light=light)) for light in LIGHT_ORDER})
    return {key: row.get(key) or 0 for key in ("red", "yellow", "green", "blue")}


def _light_columns() -> dict:
    return {str(light): Count("pk", filter=Q(light=light)) for light in LIGHT_ORDER}


def lights_by_lead_unit(user) -> list[dict]:
    """One row per lead unit: its tasks' counts by light, laggards first. Grouped on the
    unit's id alone and named afterwards (a province: 200,000 tasks, 2,000 units; the join
    in the grouping cost several times the scan)."""
    rows = list(
        policy.visible_tasks(user)
        .filter(lead_unit__isnull=False)
        .exclude(state=TaskState.DRAFT)
        .values("lead_unit")
        .annotate(total=Count("pk"), **_light_columns())
        .order_by()
    )
    names = {
        pk: (short or name, path)
        for pk, name, short, path in Unit.objects.filter(
            pk__in=[r["lead_unit"] for r in rows]
        ).values_list("id", "name", "short_name", "path")
    }
    result = [
        {
            "unit_id": r["lead_unit"],
            "name": names[r["lead_unit"]][0],
            "path": names[r["lead_unit"]][1],
            "total": r["total"],
            **{k: r[k] for k in ("red", "yellow", "green", "blue")},
        }
        for r in rows
    ]
    result.sort(key=lambda r: (-r["red"], -r["yellow"], r["path"]))
    return result


def lights_by_source(user, source_ids: list[int] | None = None) -> dict[int, dict]:
    """{source id: {"total", "red", "yellow", "green", "blue"}} over the user's visible tasks."""
    qs = policy.visible_tasks(user).exclude(state=TaskState.DRAFT)
    if source_ids is not None:
        qs = qs.filter(source_id__in=source_ids)
    rows = qs.values("source").annotate(total=Count("pk"), **_light_columns()).order_by()
    return {r.pop("source"): r for r in rows}


# --- dates ----------------------------------------------------------------------------------


def due_soon_days() -> int:
    return settings.LUOSHI["DUE_SOON_WORKING_DAYS"]


def due_soon_before(today: dt.date, cal: WorkCalendar) -> dt.date:
    """The first date that is no longer "due soon": a task due before it has at most N
    working days left (the same rule as the yellow light)."""
    return cal.add_working_days(today, due_soon_days() + 1)


def overdue(qs: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    return qs.filter(state__in=OPEN_STATES, ongoing=False, due__lt=today).order_by("due", "code")


def due_soon(qs: QuerySet[Task], today: dt.date, cal: WorkCalendar) -> QuerySet[Task]:
    return qs.filter(
        state__in=OPEN_STATES, ongoing=False, due__gte=today, due__lt=due_soon_before(today, cal)
    ).order_by("due", "code")


def closure_pending(qs: QuerySet[Task]) -> QuerySet[Task]:
    pending = ClosureRequest.objects.filter(decision=ClosureDecision.PENDING).select_related(
        "unit", "requested_by"
    )
    return (
        qs.filter(state=TaskState.CLOSURE_REQUESTED)
        .prefetch_related(Prefetch("closure_requests", queryset=pending, to_attr="pending"))
        .order_by("updated_at", "code")
    )


# --- a unit's to-do -------------------------------------------------------------------------


def _own_parts(user) -> QuerySet[TaskUnit]:
    return TaskUnit.objects.filter(
        unit_id=user.unit_id, task__in=policy.visible_tasks(user).values("pk")
    )


def awaiting_ack(user) -> QuerySet[TaskUnit]:
    """待签收: the user's unit's parts in open tasks, not yet signed for."""
    return (
        _own_parts(user)
        .filter(acknowledged_at__isnull=True, task__state__in=OPEN_STATES)
        .select_related("task", "task__lead_unit")
        .order_by("task__assigned_at", "task__code")
    )


def returned_to_unit(user) -> QuerySet[Task]:
    """被退回: tasks led by the user's unit whose closure request came back, each with the
    office's reason (`return_reason`), which is what the unit has to act on."""
    reason = ClosureRequest.objects.filter(
        task=OuterRef("pk"), decision=ClosureDecision.RETURNED
    ).order_by("-decided_at", "-id")
    return (
        policy.visible_tasks(user)
        .filter(state=TaskState.IN_PROGRESS, returned_at__isnull=False, lead_unit_id=user.unit_id)
        .annotate(return_reason=Subquery(reason.values("comment")[:1]))
        .order_by("-returned_at")
    )


def closure_awaiting_head(user) -> QuerySet[Task]:
    """待负责人审核: tasks led by the user's unit whose closure request waits for the unit
    head (only where the setting asks for the head's approval)."""
    waiting = ClosureRequest.objects.filter(
        task=OuterRef("pk"), decision=ClosureDecision.HEAD_PENDING
    )
    requested = waiting.order_by("-requested_at").values("requested_at")[:1]
    return (
        policy.visible_tasks(user)
        .filter(Exists(waiting), state=TaskState.IN_PROGRESS, lead_unit_id=user.unit_id)
        .annotate(head_requested_at=Subquery(requested))
        .order_by("head_requested_at", "code")
    )


@dataclass
class ReportDue:
    """待填报: one of the unit's parts whose report is owed (missed, or due within N days)."""

    part: TaskUnit
    deadline: dt.date  # of the current window
    missed: int = 0
    task: Task = field(init=False)

    def __post_init__(self) -> None:
        self.task = self.part.task


def report_due(user, *, today: dt.date, cal: WorkCalendar) -> list[ReportDue]:
    """The user's unit's parts that owe a report: a past window missed, or the current
    window's deadline within N working days with no report since the window began."""
    parts = (
        _own_parts(user)
        .filter(
            acknowledged_at__isnull=False,
            task__state__in=(TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED),
        )
        .exclude(task__report_cycle=ReportCycle.NONE)
        .select_related("task", "task__lead_unit")
    )
    horizon = due_soon_before(today, cal)
    found: list[ReportDue] = []
    for part in parts:
        task = part.task
        assigned_on = timezone.localdate(task.assigned_at) if task.assigned_at else None
        missed = missed_windows(
            task.report_cycle,
            today,
            cal,
            assigned_on=assigned_on,
            last_report_on=part.last_report_on,
            report_day=task.report_day,
        )
        start, end = window_containing(task.report_cycle, today, task.report_day)
        deadline = cal.add_working_days(end, 0)
        reported = part.last_report_on is not None and part.last_report_on >= start
        in_grace = (
            assigned_on is not None and (deadline - assigned_on).days < FIRST_REPORT_GRACE_DAYS
        )
        soon = not reported and not in_grace and deadline < horizon
        if missed or soon:
            found.append(ReportDue(part=part, deadline=deadline, missed=missed))
    found.sort(key=lambda r: (-r.missed, r.deadline, r.task.code))
    return found


def todo_task_ids(user, todo: str, *, today: dt.date) -> list[int]:
    """Ids of the tasks in one of the unit's to-do lists (for the ledger's 查看全部 links)."""
    if todo == "ack":
        return list(awaiting_ack(user).values_list("task_id", flat=True))
    if todo == "report":
        return [r.task.pk for r in report_due(user, today=today, cal=WorkCalendar())]
    if todo == "returned":
        return list(returned_to_unit(user).values_list("pk", flat=True))
    return []


# --- trees ----------------------------------------------------------------------------------


def as_tree(tasks: list[Task]) -> list[Task]:
    """Tasks in tree order (depth first, siblings by sort order then code), each with
    `tree_level` set: 0 for a task whose parent is not in the list."""
    by_id = {t.pk: t for t in tasks}
    children: dict[int | None, list[Task]] = defaultdict(list)
    for t in tasks:
        children[t.parent_id if t.parent_id in by_id else None].append(t)
    for siblings in children.values():
        siblings.sort(key=lambda t: (t.sort_order, t.code))
    ordered: list[Task] = []

    def walk(parent_id: int | None, level: int) -> None:
        for t in children.get(parent_id, []):
            t.tree_level = level
            ordered.append(t)
            walk(t.pk, level + 1)

    walk(None, 0)
    return ordered


# --- one task's page ------------------------------------------------------------------------


def task_page(user, task: Task, *, today: dt.date) -> dict:
    """Everything the task page shows besides the task itself, in a bounded number of
    queries. Sub-tasks and ancestors are limited to those the user may see; reports, closure
    requests and history to the parts the user may read (a co-unit: its own)."""
    chain_ids = [int(p) for p in task.path.strip("/").split("/")[:-1] if p]
    ancestors = (
        list(policy.visible_tasks(user).filter(pk__in=chain_ids).order_by("depth"))
        if chain_ids
        else []
    )
    subtree = as_tree(
        list(
            policy.visible_tasks(user)
            .filter(path__startswith=task.path)
            .exclude(pk=task.pk)
            .select_related("lead_unit")
        )
    )
    milestones = list(task.milestones.all())
    for m in milestones:
        m.is_overdue = m.completed_on is None and m.due < today
    reports = (
        policy.visible_reports(user, task)
        .select_related("unit", "author")
        .prefetch_related("values__indicator", "attachments")
        .order_by("-submitted_at", "-id")
    )
    closures = (
        policy.visible_closure_requests(user, task)
        .select_related("unit", "requested_by", "decided_by")
        .prefetch_related("attachments")
    )
    return {
        "ancestors": ancestors,
        "parts": sorted(
            task.assignments.select_related("unit", "acknowledged_by"),
            key=lambda part: (part.role != AssignmentRole.LEAD, part.pk),
        ),
        "milestones": milestones,
        "indicators": list(task.indicators.all()),
        "subtree": subtree,
        "reports": list(reports),
        "closures": list(closures),
        "events": list(
            policy.visible_events(user, task).select_related("actor", "unit").order_by("-at", "-id")
        ),
    }
