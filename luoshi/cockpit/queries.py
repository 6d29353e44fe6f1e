"""Read-side queries of the leader cockpit (领导驾驶舱) and the goal timeline (甘特图).

Every figure starts from policy.visible_tasks, so a leader of a district sees only its subtree.
Aggregates are made in SQL (values().annotate()), never by looping over tasks in Python; the
whole cockpit is a fixed number of queries whatever the size of the database. Nothing here
writes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from luoshi.access import policy
from luoshi.extensions.models import ExtensionRequest, ExtensionState
from luoshi.extensions.queries import Timeliness, with_timeliness
from luoshi.tasks import queries as task_queries
from luoshi.tasks.models import OPEN_STATES, EventKind, Indicator, Light, Task, TaskEvent, TaskState
from luoshi.workcal.services import WorkCalendar

LIGHTS = ("red", "yellow", "green", "blue")
# How many rows a cockpit panel lists (the drill-down lists have them all).
PANEL_ROWS = 15
OVERDUE_ROWS = 10
TREND_MONTHS = 12


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _lit(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks that carry a light: handed out, not drafts (their light is empty)."""
    return qs.exclude(state=TaskState.DRAFT).exclude(light=Light.NONE)


def _light_columns() -> dict:
    return {light: Count("pk", filter=Q(light=light)) for light in LIGHTS}


def _rows(qs: QuerySet[Task], key: str, *names: str) -> list[dict]:
    """Counts by light grouped by `key`, laggards first (most red, then yellow)."""
    rows = list(
        _lit(qs).values(key, *names).annotate(total=Count("pk"), **_light_columns()).order_by()
    )
    rows.sort(key=lambda r: (-r["red"], -r["yellow"], -r["total"], str(r[key])))
    return rows


def lights_by_unit(qs: QuerySet[Task]) -> list[dict]:
    rows = _rows(
        qs.filter(lead_unit__isnull=False), "lead_unit", "lead_unit__name", "lead_unit__short_name"
    )
    return [
        {
            "id": r["lead_unit"],
            "name": r["lead_unit__short_name"] or r["lead_unit__name"],
            "total": r["total"],
            **{k: r[k] for k in LIGHTS},
        }
        for r in rows
    ]


def lights_by_source(qs: QuerySet[Task]) -> list[dict]:
    rows = _rows(qs, "source", "source__title")
    return [
        {
            "id": r["source"],
            "name": r["source__title"],
            "total": r["total"],
            **{k: r[k] for k in LIGHTS},
        }
        for r in rows
    ]


def lights_by_category(qs: QuerySet[Task]) -> list[dict]:
    rows = _rows(qs.exclude(category=""), "category")
    return [
        {
            "id": r["category"],
            "name": r["category"],
            "total": r["total"],
            **{k: r[k] for k in LIGHTS},
        }
        for r in rows
    ]


def lights_by_leader(qs: QuerySet[Task]) -> list[dict]:
    rows = _rows(
        qs.filter(lead_leader__isnull=False),
        "lead_leader",
        "lead_leader__full_name",
        "lead_leader__username",
    )
    return [
        {
            "id": r["lead_leader"],
            "name": r["lead_leader__full_name"] or r["lead_leader__username"],
            "total": r["total"],
            **{k: r[k] for k in LIGHTS},
        }
        for r in rows
    ]


# PostgreSQL: the four groupings and the totals in one scan (GROUPING SETS); SQLite has no
# GROUPING SETS and takes one query per grouping.
_SETS_SQL = (
    "SELECT lead_unit_id, source_id, category, lead_leader_id, light, "
    "GROUPING(lead_unit_id, source_id, category, lead_leader_id) AS g, COUNT(*) "
    "FROM ({inner}) AS t GROUP BY GROUPING SETS ("
    "(lead_unit_id, light), (source_id, light), (category, light), (lead_leader_id, light), "
    "(light))"
)
_SET_OF = {7: "lead_unit", 11: "source", 13: "category", 14: "lead_leader", 15: "all"}


def _grouping_sets(qs: QuerySet[Task]) -> dict[str, dict]:
    """{grouping: {key: {"red": n, …, "total": n}}} for lead_unit, source, category,
    lead_leader and "all" (key None), in one query."""
    from django.db import connection

    inner, params = (
        _lit(qs)
        .values("lead_unit_id", "source_id", "category", "lead_leader_id", "light")
        .order_by()
        .query.sql_with_params()
    )
    found: dict[str, dict] = {name: {} for name in _SET_OF.values()}
    with connection.cursor() as cursor:
        cursor.execute(_SETS_SQL.format(inner=inner), params)
        for unit, source, category, leader, light, g, n in cursor.fetchall():
            name = _SET_OF.get(g)
            if name is None or light not in LIGHTS:
                continue
            key = {
                "lead_unit": unit,
                "source": source,
                "category": category,
                "lead_leader": leader,
                "all": None,
            }[name]
            if (key is None and name != "all") or key == "":
                continue
            row = found[name].setdefault(key, {"total": 0, **dict.fromkeys(LIGHTS, 0)})
            row[light] += n
            row["total"] += n
    return found


def _ranked(counts: dict, names: dict) -> list[dict]:
    rows = [{"id": k, "name": names.get(k, str(k)), **v} for k, v in counts.items()]
    rows.sort(key=lambda r: (-r["red"], -r["yellow"], -r["total"], str(r["id"])))
    return rows


def _panels_pg(qs: QuerySet[Task]) -> dict:
    from luoshi.org.models import Unit, User
    from luoshi.tasks.models import Source

    found = _grouping_sets(qs)
    by_source = _ranked(found["source"], {})
    titles = dict(
        Source.objects.filter(pk__in=[r["id"] for r in by_source[:PANEL_ROWS]]).values_list(
            "pk", "title"
        )
    )
    for r in by_source:
        r["name"] = titles.get(r["id"], r["name"])
    units = {
        u.pk: u.short_name or u.name
        for u in Unit.objects.filter(pk__in=list(found["lead_unit"])).only("name", "short_name")
    }
    leaders = {
        u.pk: u.full_name or u.username
        for u in User.objects.filter(pk__in=list(found["lead_leader"])).only(
            "full_name", "username"
        )
    }
    total = found["all"].get(None, {"total": 0, **dict.fromkeys(LIGHTS, 0)})
    return {
        "totals": total,
        "by_unit": _ranked(found["lead_unit"], units),
        "by_source": by_source,
        "by_category": _ranked(found["category"], {}),
        "by_leader": _ranked(found["lead_leader"], leaders),
    }


def _panels(qs: QuerySet[Task]) -> dict:
    from django.db import connection

    if connection.vendor == "postgresql":
        return _panels_pg(qs)
    return {
        "totals": totals(qs),
        "by_unit": lights_by_unit(qs),
        "by_source": lights_by_source(qs),
        "by_category": lights_by_category(qs),
        "by_leader": lights_by_leader(qs),
    }


def totals(qs: QuerySet[Task]) -> dict[str, int]:
    row = _lit(qs).aggregate(total=Count("pk"), **_light_columns())
    return {k: row.get(k) or 0 for k in ("total", *LIGHTS)}


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_tz())


def closed_in(qs: QuerySet[Task], first: dt.date, after: dt.date) -> QuerySet[Task]:
    """Tasks closed on a local date in [first, after)."""
    return qs.filter(
        state=TaskState.CLOSED,
        closed_at__gte=_local_midnight(first),
        closed_at__lt=_local_midnight(after),
    )


def on_time_trend(qs: QuerySet[Task], today: dt.date) -> list[dict]:
    """One row per month of the last TREND_MONTHS (this one included): closed tasks by
    timeliness (按期 / 延期后按期 / 逾期) and the on-time rate (按期 / closed, in %)."""
    first = month_start(today, TREND_MONTHS - 1)
    after = month_start(today, -1)
    rows = (
        with_timeliness(closed_in(qs, first, after))
        .annotate(month=TruncMonth("closed_at", tzinfo=_tz()))
        .values("month", "timeliness")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[dt.date, dict[str, int]] = {}
    for r in rows:
        month = r["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        counts.setdefault(month, {})[r["timeliness"]] = r["n"]
    trend = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        month = month_start(today, back)
        c = counts.get(month, {})
        on_time = c.get(Timeliness.ON_TIME, 0)
        extended = c.get(Timeliness.EXTENDED, 0)
        late = c.get(Timeliness.LATE, 0)
        closed = on_time + extended + late
        trend.append(
            {
                "month": month.strftime("%Y-%m"),
                "on_time": on_time,
                "extended": extended,
                "late": late,
                "closed": closed,
                "rate": round(100 * on_time / closed, 1) if closed else None,
            }
        )
    return trend


def overall_rate(trend: list[dict]) -> dict:
    on_time = sum(r["on_time"] for r in trend)
    closed = sum(r["closed"] for r in trend)
    return {
        "on_time": on_time,
        "extended": sum(r["extended"] for r in trend),
        "late": sum(r["late"] for r in trend),
        "closed": closed,
        "rate": round(100 * on_time / closed, 1) if closed else None,
    }


def most_overdue(qs: QuerySet[Task], today: dt.date, cal: WorkCalendar, limit=OVERDUE_ROWS):
    """The open tasks furthest past their due, each with `days_overdue` (working days)."""
    tasks = list(
        task_queries.overdue(qs, today).select_related("lead_unit").order_by("due", "code")[:limit]
    )
    for t in tasks:
        t.days_overdue = cal.working_days_between(t.due, today)
    return tasks


def week_start(today: dt.date) -> dt.date:
    """Monday of today's week (the office's week, in local time)."""
    return today - dt.timedelta(days=today.weekday())


def moved_this_week(qs: QuerySet[Task], today: dt.date) -> QuerySet[TaskEvent]:
    """Light changes from green to yellow or red since Monday, on the tasks of `qs`."""
    return TaskEvent.objects.filter(
        kind=EventKind.LIGHT_CHANGED,
        at__gte=_local_midnight(week_start(today)),
        at__lt=_local_midnight(today + dt.timedelta(days=1)),
        data__from=Light.GREEN,
        data__to__in=[Light.YELLOW, Light.RED],
        task__in=qs.values("pk"),
    )


def moved_tasks(qs: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    return qs.filter(pk__in=moved_this_week(qs, today).values("task_id"))


def indicator_progress(qs: QuerySet[Task], limit: int | None = PANEL_ROWS * 2) -> list[Indicator]:
    """Indicators of the visible tasks with their share of the way from baseline to target."""
    rows = (
        Indicator.objects.filter(task__in=qs.exclude(state=TaskState.DRAFT).values("pk"))
        .select_related("task")
        .order_by("task__path", "sort_order", "pk")
    )
    rows = list(rows[:limit] if limit else rows)
    for ind in rows:
        span = (ind.target or 0) - (ind.baseline or 0)
        if ind.current is None:
            ind.share = None
        elif span:
            share = float(((ind.current or 0) - (ind.baseline or 0)) / span * 100)
            ind.share = max(0.0, round(share, 1))
        else:
            ind.share = 100.0 if ind.current >= ind.target else 0.0
        ind.bar = min(ind.share or 0, 100)
    return rows


CACHE_SECONDS = 600


def _cache_key(user, today: dt.date) -> str:
    """Users who see the same tasks share the figures: the office and leaders of the whole
    tree, or of one unit's subtree (a scoped leader also sees the tasks they lead: their own).
    The key carries the newest history entry's id: whatever changes a task's light, state,
    due or closure writes one (DESIGN.md: every change writes history), so a change is seen
    at once, and a page shown again before any change costs two small queries."""
    latest = TaskEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    own = user.pk if user.role == "leader" and user.scope_unit_id else ""
    return f"cockpit:{user.role}:{user.scope_unit_id}:{own}:{today.isoformat()}:{latest}"


def cockpit(user, today: dt.date) -> dict:
    """Everything the cockpit page shows, for this user's scope (cached until the next
    change: _cache_key)."""
    key = _cache_key(user, today)
    data = cache.get(key)
    if data is None:
        data = _cockpit(user, today)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _cockpit(user, today: dt.date) -> dict:
    qs = policy.visible_tasks(user)
    cal = WorkCalendar()
    trend = on_time_trend(qs, today)
    moved = list(
        moved_this_week(qs, today)
        .select_related("task", "task__lead_unit")
        .order_by("-at", "-id")[: PANEL_ROWS * 2]
    )
    seen: set[int] = set()
    moved_rows = []
    for event in moved:
        if event.task_id not in seen:
            seen.add(event.task_id)
            moved_rows.append(event)
    data = {
        **_panels(qs),
        "trend": trend,
        "rate": overall_rate(trend),
        "overdue": most_overdue(qs, today, cal),
        "moved": moved_rows[:PANEL_ROWS],
        "moved_count": moved_tasks(qs, today).count(),
        "indicators": indicator_progress(qs),
        "week_start": week_start(today),
    }
    # a panel lists its worst rows (the charts the same); the note under it gives the count
    for panel in ("by_unit", "by_source", "by_category", "by_leader"):
        data[f"{panel}_count"] = len(data[panel])
        data[panel] = data[panel][:PANEL_ROWS]
    return data


# --- drill-down lists ------------------------------------------------------------------------


def drill(user, kind: str, today: dt.date, *, month: str = "", timeliness: str = ""):
    """The tasks behind a cockpit figure that the ledger has no filter for: (title, queryset)
    or None for a kind it does not know. kind: "moved" (green → yellow/red this week),
    "overdue" (open, past due), "closed" (closed in the trend's months, or in `month`
    "YYYY-MM", optionally of one timeliness)."""
    from django.utils.translation import gettext as _

    qs = policy.visible_tasks(user)
    if kind == "moved":
        return _("本周由绿转黄、红的任务"), moved_tasks(qs, today).order_by("code")
    if kind == "overdue":
        return _("逾期未办结的任务"), task_queries.overdue(qs, today)
    if kind != "closed":
        return None
    first, after = month_start(today, TREND_MONTHS - 1), month_start(today, -1)
    title = _("近12个月办结的任务")
    try:
        year, mon = (int(x) for x in month.split("-"))
        first = dt.date(year, mon, 1)
        after = month_start(first, -1)
        title = _("%(month)s 办结的任务") % {"month": first.strftime("%Y-%m")}
    except (ValueError, TypeError):
        pass
    tasks = with_timeliness(closed_in(qs, first, after))
    if timeliness in Timeliness.values:
        tasks = tasks.filter(timeliness=timeliness)
        title = f"{title} · {Timeliness(timeliness).label}"
    return title, tasks.order_by("closed_at", "code")


# --- the timeline (甘特图) -------------------------------------------------------------------


def _start(task: Task) -> dt.date:
    if task.start_date:
        return task.start_date
    if task.assigned_at:
        return timezone.localdate(task.assigned_at)
    return timezone.localdate(task.created_at)


def timeline(user, goal: Task, today: dt.date) -> dict:
    """The goal's tree as the user sees it, each task with its bar placed on a common scale
    (left and width in % of the span), its time nodes and its approved extensions. Three
    queries whatever the size of the tree."""
    tasks = task_queries.as_tree(
        list(
            policy.visible_tasks(user)
            .filter(path__startswith=goal.path)
            .select_related("lead_unit")
            .only(
                "pk",
                "parent_id",
                "path",
                "depth",
                "sort_order",
                "code",
                "title",
                "state",
                "light",
                "progress",
                "start_date",
                "due",
                "ongoing",
                "assigned_at",
                "created_at",
                "lead_unit__name",
                "lead_unit__short_name",
            )
        )
    )
    ids = [t.pk for t in tasks]
    from luoshi.tasks.models import Milestone

    milestones: dict[int, list] = {}
    for m in Milestone.objects.filter(task_id__in=ids).order_by("due", "pk"):
        milestones.setdefault(m.task_id, []).append(m)
    extensions: dict[int, list] = {}
    approved = ExtensionRequest.objects.filter(
        task_id__in=ids, state=ExtensionState.APPROVED
    ).order_by("decided_at", "pk")
    for e in approved.only("task_id", "old_due", "new_due"):
        extensions.setdefault(e.task_id, []).append(e)

    dates = [today]
    for t in tasks:
        t.bar_start = _start(t)
        t.bar_end = t.due
        t.milestone_list = milestones.get(t.pk, [])
        t.extension_list = extensions.get(t.pk, [])
        dates.append(t.bar_start)
        if t.due:
            dates.append(t.due)
        dates += [m.due for m in t.milestone_list]
        dates += [e.old_due for e in t.extension_list]
    first = min(dates) - dt.timedelta(days=7)
    last = max(dates) + dt.timedelta(days=14)
    span = (last - first).days or 1

    def pct(day: dt.date) -> float:
        return round((day - first).days * 100 / span, 3)

    for t in tasks:
        end = t.bar_end or last
        left = pct(t.bar_start)
        t.bar_left = left
        t.bar_width = max(pct(end) - left, 0.4)
        t.bar_open_ended = t.bar_end is None
        t.overdue = t.state in OPEN_STATES and t.due is not None and t.due < today
        for m in t.milestone_list:
            m.left = pct(m.due)
            m.late = m.completed_on is None and m.due < today
        for e in t.extension_list:
            e.left = pct(min(e.old_due, e.new_due))
            e.width = abs(pct(e.new_due) - pct(e.old_due))
    ticks = []
    month = month_start(first, -1)
    while month <= last:
        ticks.append({"label": month.strftime("%Y-%m"), "left": pct(month)})
        month = month_start(month, -1)
    return {
        "rows": tasks,
        "first": first,
        "last": last,
        "today_left": pct(today),
        "ticks": ticks,
    }
