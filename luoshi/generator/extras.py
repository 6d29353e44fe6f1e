"""What goes with the tasks: assignments (签收), time nodes, indicators, history events,
closure requests, extension requests, supervision notices with replies, re-checks (回头看),
outcome records (表彰问责) and the meetings behind the 会议 sources with their agreed items.

Each function takes the writer's `table(model, fields)` and adds rows; none reads back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from luoshi.extensions.models import ExtensionRequest, ExtensionState
from luoshi.generator import names
from luoshi.generator.tasks import SourceRow, TaskRow
from luoshi.generator.units import People
from luoshi.meetings.models import Meeting, MeetingItem, MeetingItemUnit
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord
from luoshi.rechecks.models import Recheck, RecheckState
from luoshi.supervision.models import NoticeReply, NoticeSequence, NoticeState, SupervisionNotice
from luoshi.tasks.models import (
    AssignmentRole,
    ClosureDecision,
    ClosureRequest,
    EventKind,
    Indicator,
    Milestone,
    SourceKind,
    TaskEvent,
    TaskState,
    TaskUnit,
)


def at(day: dt.date, hour_utc: int = 2) -> dt.datetime:
    """A naive UTC datetime on `day` (02:00 UTC is 10:00 in Shanghai)."""
    return dt.datetime.combine(day, dt.time(hour_utc, 0))


def assignments_and_history(table, tasks: list[TaskRow], people: People, rng, last) -> None:
    links = table(
        TaskUnit,
        ("task_id", "unit_id", "role", "acknowledged_at", "acknowledged_by_id", "progress",
         "last_report_on"),
    )  # fmt: skip
    events = table(TaskEvent, ("task_id", "kind", "at", "actor_id", "unit_id", "message"))
    closures = table(
        ClosureRequest,
        ("task_id", "unit_id", "summary", "requested_by_id", "requested_at", "decision",
         "decided_by_id", "decided_at"),
    )  # fmt: skip
    office = people.supervisors[0]
    for t in tasks:
        signed = t.state != TaskState.ASSIGNED
        ack_on = t.assigned_on + dt.timedelta(days=rng.randint(0, 2))
        events.add((t.id, EventKind.ASSIGNED, at(t.assigned_on, 1), office, t.lead_unit, ""))
        for unit in (t.lead_unit, *t.co_units):
            role = AssignmentRole.LEAD if unit == t.lead_unit else AssignmentRole.CO
            mine = last.get((t.id, unit))
            links.add(
                (
                    t.id,
                    unit,
                    role,
                    at(ack_on, 3) if signed else None,
                    people.liaison[unit] if signed else None,
                    mine[1] if mine else 0,
                    mine[0] if mine else None,
                )
            )
            if signed:
                events.add((t.id, EventKind.ACKNOWLEDGED, at(ack_on, 3), people.liaison[unit],
                            unit, ""))  # fmt: skip
        lead_liaison = people.liaison[t.lead_unit]
        if t.state == TaskState.CLOSED:
            asked = max(t.assigned_on, t.closed_on - dt.timedelta(days=rng.randint(1, 5)))
            closures.add((t.id, t.lead_unit, "已按要求完成各项工作。", lead_liaison, at(asked),
                          ClosureDecision.APPROVED, office, at(t.closed_on, 6)))  # fmt: skip
            events.add((t.id, EventKind.CLOSED, at(t.closed_on, 6), office, t.lead_unit, ""))
        elif t.state == TaskState.CLOSURE_REQUESTED:
            asked = t.last_report_on or t.assigned_on
            closures.add((t.id, t.lead_unit, "主体工作已完成，申请办结。", lead_liaison, at(asked),
                          ClosureDecision.PENDING, None, None))  # fmt: skip
        elif t.state in (TaskState.SUSPENDED, TaskState.CANCELLED):
            kind = EventKind.SUSPENDED if t.state == TaskState.SUSPENDED else EventKind.CANCELLED
            events.add((t.id, kind, at(t.last_report_on or t.assigned_on, 7), office, None, ""))


def milestones_and_indicators(table, tasks: list[TaskRow], rng, today: dt.date) -> None:
    nodes = table(Milestone, ("task_id", "title", "due", "target", "completed_on", "sort_order"))
    measures = table(
        Indicator, ("task_id", "name", "measure_unit", "baseline", "target", "current",
                    "sort_order"),
    )  # fmt: skip
    for t in tasks:
        if t.due is not None and t.depth > 0 and rng.random() < 0.25:
            span = (t.due - t.assigned_on).days
            for k in range(rng.randint(1, 3)):
                due = t.assigned_on + dt.timedelta(days=span * (k + 1) // 4)
                done = None
                if due < today and (t.state == TaskState.CLOSED or rng.random() < 0.97):
                    done = due - dt.timedelta(days=rng.randint(0, 5))
                nodes.add((t.id, f"第{k + 1}阶段节点", due, "完成阶段目标", done, k))
        if rng.random() < 0.2:
            for k in range(rng.randint(1, 2)):
                name, unit = rng.choice(names.INDICATORS)
                target = Decimal(rng.randint(10, 1000))
                current = (target * t.progress / 100).quantize(Decimal("0.01"))
                measures.add((t.id, name, unit, Decimal(0), target, current, k))


def extensions(table, tasks: list[TaskRow], people: People, rng, today: dt.date) -> None:
    rows = table(
        ExtensionRequest,
        ("task_id", "unit_id", "requested_by_id", "requested_at", "reason", "old_due", "new_due",
         "state", "office_by_id", "office_at", "decided_at"),
    )  # fmt: skip
    office = people.supervisors[0]
    for t in tasks:
        if t.due is None or t.depth == 0 or rng.random() > 0.04:
            continue
        asked = min(today - dt.timedelta(days=1), t.assigned_on + dt.timedelta(days=30))
        odds = rng.random()
        if t.state == TaskState.CLOSED or odds < 0.6:
            state = ExtensionState.APPROVED
        elif odds < 0.85 or t.state != TaskState.IN_PROGRESS:
            state = ExtensionState.REFUSED
        else:
            state = ExtensionState.PENDING
        if state == ExtensionState.APPROVED:  # the due date now is the extended one
            old, new = t.due - dt.timedelta(days=rng.randint(15, 60)), t.due
            t.due_extended = True
        else:
            old, new = t.due, t.due + dt.timedelta(days=rng.randint(15, 60))
        decided = None if state == ExtensionState.PENDING else at(asked + dt.timedelta(days=2))
        rows.add((t.id, t.lead_unit, people.liaison[t.lead_unit], at(asked), "工作量大，需延期。",
                  old, new, state, office if decided else None, decided, decided))  # fmt: skip


def notices(table, tasks: list[TaskRow], people: People, rng, today: dt.date, first_id: int):
    rows = table(
        SupervisionNotice,
        ("id", "task_id", "unit_id", "year", "seq", "content", "reply_by", "state",
         "drafted_by_id", "drafted_at", "issued_by_id", "issued_at", "replied_at"),
    )  # fmt: skip
    replies = table(NoticeReply, ("notice_id", "unit_id", "author_id", "text", "replied_at"))
    office = people.supervisors[0]
    # numbers go on from the ones already drawn (督办〔2026〕N号 is unique per year)
    seqs = dict(NoticeSequence.objects.values_list("year", "last"))
    nid = first_id
    for t in tasks:
        late = (
            t.due is not None and t.due < today and t.state != TaskState.CLOSED
        ) or t.closed_late
        if not late or rng.random() > 0.35:
            continue
        issued = min(today - dt.timedelta(days=1), t.due + dt.timedelta(days=rng.randint(3, 10)))
        issued = max(issued, t.assigned_on)
        seqs[issued.year] = seq = seqs.get(issued.year, 0) + 1
        reply_by = issued + dt.timedelta(days=7)
        replied = None
        if (reply_by < today and rng.random() < 0.8) or t.state == TaskState.CLOSED:
            replied = min(today - dt.timedelta(days=1), issued + dt.timedelta(rng.randint(1, 7)))
        state = NoticeState.REPLIED if replied else NoticeState.ISSUED
        rows.add((nid, t.id, t.lead_unit, issued.year, seq, "请加快推进，按期完成。", reply_by,
                  state, office, at(issued, 1), office, at(issued), at(replied) if replied
                  else None))  # fmt: skip
        if replied:
            replies.add((nid, t.lead_unit, people.liaison[t.lead_unit], "已部署整改，加快推进。",
                         at(replied)))  # fmt: skip
        nid += 1
    for year in sorted(seqs):
        NoticeSequence.objects.update_or_create(year=year, defaults={"last": seqs[year]})


def rechecks_and_outcomes(table, tasks: list[TaskRow], people: People, rng, today: dt.date):
    checks = table(
        Recheck,
        ("task_id", "unit_id", "due_on", "note", "state", "requested_by_id", "requested_at",
         "verdict_by_id", "verdict_at"),
    )  # fmt: skip
    outcomes = table(
        OutcomeRecord,
        ("unit_id", "task_id", "kind", "recorded_on", "text", "recorded_by_id", "created_at"),
    )
    office = people.supervisors[0]
    kinds = list(OutcomeKind.values)
    for t in tasks:
        if t.state == TaskState.CLOSED and rng.random() < 0.1:
            due_on = t.closed_on + dt.timedelta(days=90)
            if due_on > today:
                state, verdict = RecheckState.SCHEDULED, None
            else:
                state = rng.choices(
                    (RecheckState.CONFIRMED, RecheckState.FAILED, RecheckState.DUE), (70, 10, 20)
                )[0]
                verdict = at(due_on) if state != RecheckState.DUE else None
            checks.add((t.id, t.lead_unit, due_on, "核查整改成效是否巩固。", state, office,
                        at(t.closed_on, 7), office if verdict else None, verdict))  # fmt: skip
        if t.depth > 0 and rng.random() < 0.01:
            day = min(today, (t.closed_on or t.assigned_on) + dt.timedelta(days=rng.randint(1, 30)))
            kind = rng.choice(kinds)
            outcomes.add((t.lead_unit, t.id, kind, day, "按期高质量完成任务。" if kind in
                          ("commendation", "leader_commendation") else "工作推进不力。",
                          office, at(day)))  # fmt: skip


def meetings(table, sources: list[SourceRow], tasks: list[TaskRow], people: People, first):
    """A Meeting for each 会议 source; each of its goals is an agreed item (议定事项)."""
    rows = table(Meeting, ("id", "source_id", "name", "held_on", "chair_id", "minutes_number",
                           "created_by_id"))  # fmt: skip
    items = table(MeetingItem, ("id", "meeting_id", "number", "text", "due", "ongoing",
                                "lead_leader_id", "task_id", "created_by_id"))  # fmt: skip
    parts = table(MeetingItemUnit, ("item_id", "unit_id", "role", "sort_order"))
    goals: dict[int, list[TaskRow]] = {}
    for t in tasks:
        if t.depth == 0:
            goals.setdefault(t.source_id, []).append(t)
    office = people.supervisors[0]
    meeting_id, item_id = first
    for s in sources:
        if s.kind != SourceKind.MEETING:
            continue
        mine = goals.get(s.id, [])
        chair = mine[0].lead_leader if mine else people.leaders[0]
        number = f"纪要〔{s.issued_on.year}〕{s.id}号"
        rows.add((meeting_id, s.id, s.title, s.issued_on, chair, number, office))
        for number, goal in enumerate(mine, start=1):
            items.add((item_id, meeting_id, number, goal.title, goal.due, goal.ongoing,
                       goal.lead_leader, goal.id, office))  # fmt: skip
            parts.add((item_id, goal.lead_unit, "lead", 0))
            for k, unit in enumerate(goal.co_units, start=1):
                parts.add((item_id, unit, "co", k))
            item_id += 1
        meeting_id += 1
