"""Scoring a period (考核计分): every unit's points, each from one event, computed in bulk.

`compute(period, as_of)` reads the period's events with a handful of aggregate queries
(iterating `.values()` in chunks, never loading a model per task) and returns the ScoreItem
rows and each ranked unit's total; services.period_score writes them.

Where points come from (S..E the period, A = min(E, the day of scoring)):
  on_time_closure   a leaf task closed within S..E no later than its due in force (按期 or
                    延期后按期, luoshi.extensions.queries); to the lead unit
  quality_grade     the current grade of a leaf task closed within S..E; to the lead unit
  overdue_day       each working day (luoshi.workcal) within S..A on which a leaf task was past
                    its due and not closed (suspended, cancelled and draft tasks do not run);
                    to the lead unit
  missed_report     each report window (luoshi.tasks.cycles) whose deadline falls within S..E
                    and before A with no report dated in the window by that unit; the lead unit
                    and every co-unit answer for their own reports
  notice_received   a 督办单 issued within S..E; to the unit it was sent to (主送)
  recheck_failed    a 回头看 judged 未通过 within S..E; to its unit
  leader_commendation, public_criticism   an OutcomeRecord in force dated within S..E; to its unit

Only leaf tasks count for the task rules: a parent's progress and state roll up from its
children, so counting both would count the same work twice.

Caps: a rule's per-task cap bounds the sum of its points from one task, its per-unit cap the
sum for one unit; the part beyond is taken back by a visible correction item.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.evaluation.models import (
    QUALITY_GRADE,
    EvaluationPeriod,
    QualityGrade,
    RuleKind,
    ScoreRule,
)
from luoshi.extensions.queries import Timeliness, original_due_expr, timeliness_of
from luoshi.org.models import Unit
from luoshi.outcomes.models import OutcomeRecord
from luoshi.rechecks.models import Recheck, RecheckState
from luoshi.reports.models import ProgressReport
from luoshi.supervision.models import SupervisionNotice
from luoshi.tasks.cycles import FIRST_REPORT_GRACE_DAYS, window_containing
from luoshi.tasks.models import AssignmentRole, Task, TaskState, TaskUnit
from luoshi.workcal.services import WorkCalendar

CHUNK = 5000
TWO = Decimal("0.01")
# tasks that run (are owed work) between assignment and closure
RUNNING_STATES = (
    TaskState.ASSIGNED,
    TaskState.IN_PROGRESS,
    TaskState.CLOSURE_REQUESTED,
)


@dataclass
class Item:
    unit_id: int
    kind: str
    points: Decimal
    task_id: int | None
    ref_model: str
    ref_id: int | None
    on_date: dt.date | None
    explanation: str


@dataclass
class Result:
    items: list[Item] = field(default_factory=list)
    # unit id → (name, group name, group order, points)
    units: dict[int, tuple[str, str, int, Decimal]] = field(default_factory=dict)
    tasks_counted: int = 0


_ZONE: list = []


def _local_date(value: dt.datetime) -> dt.date:
    if not _ZONE:
        _ZONE.append(ZoneInfo(settings.TIME_ZONE))
    return value.astimezone(_ZONE[0]).date()


def _as_text(name: str) -> Cast:
    """A date or datetime column read as its ISO text, skipping the ORM's per-row converters
    (the largest part of scoring's time on a city's half a million reports): ISO dates compare
    as strings, and a datetime's text is parsed once with the C `fromisoformat`."""
    return Cast(name, output_field=CharField())


def _local_date_of_text(text: str | None) -> dt.date | None:
    """The local date of a datetime read by `_as_text` (SQLite keeps UTC without an offset;
    PostgreSQL gives the offset of the session, UTC)."""
    if text is None:
        return None
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return _local_date(value)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def _fmt(day: dt.date) -> str:
    return day.isoformat()


def windows_between(
    cycle: str, report_day: int | None, start: dt.date, end: dt.date, cal: WorkCalendar
) -> list[tuple[dt.date, dt.date, dt.date]]:
    """Report windows (start, end, deadline) whose deadline lies within [start, end], oldest
    first. A deadline on a rest day moves to the next working day (遇节假日顺延)."""
    found = []
    probe = end
    while True:
        w_start, w_end = window_containing(cycle, probe, report_day)
        deadline = cal.add_working_days(w_end, 0)
        if start <= deadline <= end:
            found.append((w_start, w_end, deadline))
        if w_end < start - dt.timedelta(days=20):
            break
        probe = w_start - dt.timedelta(days=1)
    found.reverse()
    return found


def _leaf_filter() -> Q:
    return ~Q(pk__in=Task.objects.filter(parent__isnull=False).values("parent_id"))


def compute(period: EvaluationPeriod, as_of: dt.date, cal: WorkCalendar | None = None) -> Result:
    cal = cal or WorkCalendar()
    scheme = period.scheme
    start, end = period.start, period.end
    last = min(end, as_of)
    start_dt, end_dt = _day_start(start), _day_start(end + dt.timedelta(days=1))
    rules = {r.kind: r for r in ScoreRule.objects.filter(scheme=scheme) if r.points}
    result = Result()
    items = result.items
    tasks_counted: set[int] = set()

    # — closures: 按期办结 and quality grades —
    closed = (
        Task.objects.filter(state=TaskState.CLOSED, closed_at__gte=start_dt, closed_at__lt=end_dt)
        .filter(_leaf_filter())
        .order_by()
    )
    on_time = rules.get(RuleKind.ON_TIME_CLOSURE)
    if on_time:
        # the dates read as text and classified here (extensions.queries.timeliness_of):
        # SQLite would run a Python function per row for with_timeliness's local date
        rows = (
            closed.annotate(first_due=original_due_expr())
            .annotate(
                sc_closed=_as_text("closed_at"),
                sc_due=_as_text("due"),
                sc_first_due=_as_text("first_due"),
            )
            .values_list("id", "code", "lead_unit_id", "sc_closed", "sc_due", "sc_first_due")
        )
        words_on_time, words_extended = _("按期办结"), _("延期后按期办结")
        template = _("%(code)s %(words)s（%(day)s）")
        for tid, code, unit_id, closed_text, due_text, first_text in rows.iterator(
            chunk_size=CHUNK
        ):
            closed_on = _local_date_of_text(closed_text)
            timeliness = timeliness_of(
                closed_on,
                dt.date.fromisoformat(due_text) if due_text else None,
                dt.date.fromisoformat(first_text) if first_text else None,
            )
            tasks_counted.add(tid)
            if timeliness in (Timeliness.ON_TIME, Timeliness.EXTENDED):
                words = words_on_time if timeliness == Timeliness.ON_TIME else words_extended
                items.append(
                    Item(
                        unit_id,
                        RuleKind.ON_TIME_CLOSURE,
                        on_time.points,
                        tid,
                        "tasks.task",
                        tid,
                        closed_on,
                        template % {"code": code, "words": words, "day": _fmt(closed_on)},
                    )
                )
    if scheme.grade_points:
        latest: dict[int, tuple] = {}
        grades = (
            QualityGrade.objects.filter(task__in=closed)
            .order_by("task_id", "at", "id")
            .values_list("task_id", "id", "grade", "at", "task__lead_unit_id", "task__code")
        )
        for row in grades.iterator(chunk_size=CHUNK):
            latest[row[0]] = row
        template = _("%(code)s 质量等次 %(grade)s")
        grade_points = {g: scheme.grade_value(g) for g in "ABCD"}
        for tid, gid, grade, at, unit_id, code in latest.values():
            tasks_counted.add(tid)
            points = grade_points.get(grade)
            if points:
                items.append(
                    Item(
                        unit_id,
                        QUALITY_GRADE,
                        points,
                        tid,
                        "evaluation.qualitygrade",
                        gid,
                        _local_date(at),
                        template % {"code": code, "grade": grade},
                    )
                )

    # — working days overdue —
    overdue = rules.get(RuleKind.OVERDUE_DAY)
    if overdue:
        rows = (
            Task.objects.filter(due__isnull=False, due__lt=last)
            .filter(
                Q(state__in=RUNNING_STATES)
                | Q(state=TaskState.CLOSED, closed_late=True, closed_at__gte=start_dt)
            )
            .filter(_leaf_filter())
            .order_by()
            .values_list("id", "code", "lead_unit_id", "due", "closed_at", "state")
        )
        before_start = start - dt.timedelta(days=1)
        template = _("%(code)s 逾期 %(days)d 个工作日（%(since)s 至 %(until)s，时限 %(due)s）")
        for tid, code, unit_id, due, closed_at, state in rows.iterator(chunk_size=CHUNK):
            tasks_counted.add(tid)
            since = max(due, before_start)
            until = last
            if state == TaskState.CLOSED and closed_at is not None:
                until = min(until, _local_date(closed_at))
            if until <= since:
                continue
            days = cal.working_days_between(since, until)
            if days <= 0:
                continue
            items.append(
                Item(
                    unit_id,
                    RuleKind.OVERDUE_DAY,
                    overdue.points * days,
                    tid,
                    "tasks.task",
                    tid,
                    due,
                    template
                    % {
                        "code": code,
                        "days": days,
                        "since": _fmt(since + dt.timedelta(days=1)),
                        "until": _fmt(until),
                        "due": _fmt(due),
                    },
                )
            )

    # — missed report cycles —
    missed = rules.get(RuleKind.MISSED_REPORT)
    if missed:
        _missed_reports(items, tasks_counted, missed, start, end, as_of, start_dt, end_dt, cal)

    # — notices, re-checks, outcomes —
    notice = rules.get(RuleKind.NOTICE_RECEIVED)
    if notice:
        rows = SupervisionNotice.objects.filter(
            issued_at__gte=start_dt, issued_at__lt=end_dt
        ).values_list("id", "unit_id", "task_id", "year", "seq", "issued_at", "task__code")
        numbered = _("督办〔%(year)d〕%(seq)d号")
        template = _("%(code)s 被下发%(number)s")
        for nid, unit_id, tid, year, seq, issued_at, code in rows.iterator(chunk_size=CHUNK):
            number = numbered % {"year": year, "seq": seq} if year and seq else f"#{nid}"
            items.append(
                Item(
                    unit_id,
                    RuleKind.NOTICE_RECEIVED,
                    notice.points,
                    tid,
                    "supervision.supervisionnotice",
                    nid,
                    _local_date(issued_at),
                    template % {"code": code, "number": number},
                )
            )
    failed = rules.get(RuleKind.RECHECK_FAILED)
    if failed:
        rows = Recheck.objects.filter(
            state=RecheckState.FAILED, verdict_at__gte=start_dt, verdict_at__lt=end_dt
        ).values_list("id", "unit_id", "task_id", "verdict_at", "task__code")
        template = _("%(code)s 回头看未通过")
        for rid, unit_id, tid, at, code in rows.iterator(chunk_size=CHUNK):
            items.append(
                Item(
                    unit_id,
                    RuleKind.RECHECK_FAILED,
                    failed.points,
                    tid,
                    "rechecks.recheck",
                    rid,
                    _local_date(at),
                    template % {"code": code},
                )
            )
    outcome_kinds = [
        k for k in (RuleKind.LEADER_COMMENDATION, RuleKind.PUBLIC_CRITICISM) if k in rules
    ]
    if outcome_kinds:
        rows = (
            OutcomeRecord.objects.in_force()
            .recorded_between(start, end)
            .filter(kind__in=outcome_kinds)
            .values_list("id", "unit_id", "task_id", "kind", "recorded_on", "text")
        )
        labels = {k: str(RuleKind(k).label) for k in outcome_kinds}
        for oid, unit_id, tid, kind, on, text in rows.iterator(chunk_size=CHUNK):
            label = labels[kind]
            items.append(
                Item(
                    unit_id,
                    kind,
                    rules[kind].points,
                    tid,
                    "outcomes.outcomerecord",
                    oid,
                    on,
                    f"{label}：{text}"[:300],
                )
            )

    _apply_caps(items, rules)
    result.tasks_counted = len(tasks_counted)
    _rank_units(result, period, start_dt, end_dt)
    return result


def _missed_reports(items, tasks_counted, rule, start, end, as_of, start_dt, end_dt, cal) -> None:
    """One item per report window a unit let pass without a report."""
    deadline_before = min(end, as_of - dt.timedelta(days=1))
    if deadline_before < start:
        return
    tasks = (
        Task.objects.filter(assigned_at__isnull=False, assigned_at__lt=end_dt)
        .exclude(report_cycle__in=("", "none"))
        .filter(Q(state__in=RUNNING_STATES) | Q(state=TaskState.CLOSED, closed_at__gte=start_dt))
        .filter(_leaf_filter())
        .order_by()
    )
    co_units: dict[int, list[int]] = defaultdict(list)
    co_rows = TaskUnit.objects.filter(role=AssignmentRole.CO, task__in=tasks).values_list(
        "task_id", "unit_id"
    )
    for tid, unit_id in co_rows.iterator(chunk_size=CHUNK):
        co_units[tid].append(unit_id)
    # report dates as ISO text ("2026-03-05"), compared as strings with the windows' bounds
    reported: dict[tuple[int, int], list[str]] = defaultdict(list)
    report_rows = (
        ProgressReport.objects.filter(
            report_date__gte=start - dt.timedelta(days=100), report_date__lte=deadline_before
        )
        .filter(task__in=tasks)
        .order_by()
        .annotate(day=_as_text("report_date"))
        .values_list("task_id", "unit_id", "day")
    )
    for tid, unit_id, day in report_rows.iterator(chunk_size=CHUNK):
        reported[(tid, unit_id)].append(day)
    for dates in reported.values():
        dates.sort()
    windows: dict[tuple, list] = {}
    rows = tasks.annotate(
        assigned_text=_as_text("assigned_at"), closed_text=_as_text("closed_at")
    ).values_list(
        "id", "code", "lead_unit_id", "report_cycle", "report_day", "assigned_text", "closed_text"
    )
    grace = dt.timedelta(days=FIRST_REPORT_GRACE_DAYS)
    template = _("%(code)s %(start)s 至 %(end)s 的进展未按期反馈（截止 %(deadline)s）")
    for tid, code, lead, cycle, report_day, assigned_at, closed_at in rows.iterator(
        chunk_size=CHUNK
    ):
        key = (cycle, report_day)
        found = windows.get(key)
        if found is None:
            found = windows[key] = [
                (w_start, w_end, deadline, w_start.isoformat(), deadline.isoformat())
                for w_start, w_end, deadline in windows_between(
                    cycle, report_day, start, deadline_before, cal
                )
            ]
        if not found:
            continue
        tasks_counted.add(tid)
        assigned_on = _local_date_of_text(assigned_at)
        closed_on = _local_date_of_text(closed_at)
        for unit_id in (lead, *co_units.get(tid, ())):
            dates = reported.get((tid, unit_id), ())
            for w_start, _w_end, deadline, start_text, deadline_text in found:
                if deadline - assigned_on < grace:
                    continue
                if closed_on is not None and closed_on <= deadline:
                    break
                i = bisect.bisect_left(dates, start_text)
                if i < len(dates) and dates[i] <= deadline_text:
                    continue
                items.append(
                    Item(
                        unit_id,
                        RuleKind.MISSED_REPORT,
                        rule.points,
                        tid,
                        "tasks.task",
                        tid,
                        deadline,
                        template
                        % {
                            "code": code,
                            "start": _fmt(w_start),
                            "end": _fmt(_w_end),
                            "deadline": _fmt(deadline),
                        },
                    )
                )


def _cap_item(unit_id, kind, excess, task_id, explanation) -> Item:
    return Item(unit_id, kind, -excess, task_id, "", None, None, explanation)


def _apply_caps(items: list[Item], rules: dict[str, ScoreRule]) -> None:
    """Take back what a rule gives beyond its per-task and per-unit caps, as visible items."""
    capped = {k: r for k, r in rules.items() if r.task_cap is not None or r.unit_cap is not None}
    if not capped:
        return
    per_task: dict[tuple, Decimal] = defaultdict(Decimal)
    for item in items:
        if item.kind in capped and item.task_id is not None:
            per_task[(item.unit_id, item.kind, item.task_id)] += item.points
    extra: list[Item] = []
    task_words = _("超过每任务上限 %(cap)s 分，按上限计")
    unit_words = _("超过每单位上限 %(cap)s 分，按上限计")
    for (unit_id, kind, task_id), total in per_task.items():
        cap = capped[kind].task_cap
        if cap is not None and abs(total) > cap:
            sign = 1 if total > 0 else -1
            extra.append(
                _cap_item(
                    unit_id,
                    kind,
                    total - sign * cap,
                    task_id,
                    task_words % {"cap": cap},
                )
            )
    items.extend(extra)
    per_unit: dict[tuple, Decimal] = defaultdict(Decimal)
    for item in items:
        if item.kind in capped:
            per_unit[(item.unit_id, item.kind)] += item.points
    for (unit_id, kind), total in per_unit.items():
        cap = capped[kind].unit_cap
        if cap is not None and abs(total) > cap:
            sign = 1 if total > 0 else -1
            items.append(
                _cap_item(
                    unit_id,
                    kind,
                    total - sign * cap,
                    None,
                    unit_words % {"cap": cap},
                )
            )


def _rank_units(result: Result, period: EvaluationPeriod, start_dt, end_dt) -> None:
    """Units scored: those of a ranked kind that took part in a task running in the period
    or that have a point; the others' items are dropped."""
    groups = list(period.scheme.groups.all())
    kind_group = {}
    for order, group in enumerate(groups):
        for kind in group.unit_kinds:
            kind_group[kind] = (group.name, order)
    units = {
        pk: (name, kind)
        for pk, name, kind in Unit.objects.filter(
            is_active=True, kind__in=list(kind_group)
        ).values_list("id", "name", "kind")
    }
    taking_part = set(
        TaskUnit.objects.filter(
            task__assigned_at__lt=end_dt,
        )
        .filter(
            Q(task__state__in=(*RUNNING_STATES, TaskState.SUSPENDED))
            | Q(task__state=TaskState.CLOSED, task__closed_at__gte=start_dt)
        )
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )
    totals: dict[int, Decimal] = defaultdict(Decimal)
    kept = []
    for item in result.items:
        if item.unit_id in units:
            item.points = item.points.quantize(TWO)
            totals[item.unit_id] += item.points
            kept.append(item)
    result.items[:] = kept
    for unit_id in (taking_part & set(units)) | set(totals):
        name, kind = units[unit_id]
        group, order = kind_group[kind]
        result.units[unit_id] = (name, group, order, totals.get(unit_id, Decimal("0")))


def dense_ranks(scores: list[tuple[int, str, Decimal]]) -> list[tuple[int, int]]:
    """[(unit id, rank)] for [(unit id, name, score)]: highest first, equal scores share a
    rank (dense: 1, 1, 2), ties listed by name."""
    ordered = sorted(scores, key=lambda s: (-s[2], s[1]))
    ranks = []
    rank, previous = 0, None
    for unit_id, _name, score in ordered:
        if score != previous:
            rank += 1
            previous = score
        ranks.append((unit_id, rank))
    return ranks
