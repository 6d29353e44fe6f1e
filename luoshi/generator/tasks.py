"""Sources (任务来源) and their task trees: goal (目标) → tasks (任务) → sub-tasks (子任务).

A goal is the province's (lead units among the 省直部门 and the cities, a province leader
leads it) or one city's (lead units in that city, its mayor leads it); its tasks and
sub-tasks keep to the same pool of units. States: most in progress, about a fifth closed (one
in seven of those after the due date), a few suspended, cancelled or awaiting closure review,
and the tasks assigned in the last ten days partly not yet signed for (已交办). One open task
in sixteen is past its due date; one in twelve is 长期坚持 (no due date)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from luoshi.generator import names
from luoshi.generator.units import People, UnitRow
from luoshi.org.models import UnitKind
from luoshi.tasks.models import Priority, ReportCycle, SourceKind, TaskState

KIND_WEIGHTS = (
    (SourceKind.DOCUMENT, 35, "WJ"),
    (SourceKind.MEETING, 25, "HY"),
    (SourceKind.INSTRUCTION, 15, "PS"),
    (SourceKind.WORK_REPORT, 10, "BG"),
    (SourceKind.PROPOSAL, 15, "JY"),
)
CYCLES = (
    (ReportCycle.MONTHLY, 40),
    (ReportCycle.NONE, 12),
    (ReportCycle.WEEKLY, 8),
    (ReportCycle.SEMIMONTHLY, 12),
    (ReportCycle.QUARTERLY, 18),
    (ReportCycle.MONTHLY_DAY, 10),
)
CYCLE_DAYS = {"none": 45, "weekly": 7, "semimonthly": 15, "monthly": 30, "quarterly": 91}
CYCLE_DAYS["monthly_day"] = 30


@dataclass(slots=True)
class TaskRow:
    id: int
    parent_id: int | None
    path: str
    depth: int
    source_id: int
    code: str
    title: str
    lead_unit: int
    co_units: tuple[int, ...]
    owner: int
    lead_leader: int
    state: str
    assigned_on: dt.date
    start_date: dt.date | None
    due: dt.date | None
    ongoing: bool
    cycle: str
    report_day: int | None
    closed_on: dt.date | None = None
    closed_late: bool = False
    priority: str = Priority.NORMAL
    category: str = ""
    progress: int = 0
    last_report_on: dt.date | None = None
    due_extended: bool = False


@dataclass(slots=True)
class SourceRow:
    id: int
    kind: str
    code: str
    title: str
    issued_on: dt.date
    issuer: str
    city: int | None  # None: the province's


class Pools:
    """The units that may lead or help, per city and for the province."""

    def __init__(self, units: list[UnitRow]):
        root = units[0].id
        self.province = [u.id for u in units if u.parent_id == root and u.kind != UnitKind.OFFICE]
        self.city: dict[int, list[int]] = {}
        for u in units:
            if u.city is not None:
                self.city.setdefault(u.city, []).append(u.id)
        for city_id in list(self.city):
            self.city[city_id].insert(0, city_id)
        self.cities = sorted(self.city)
        self.names = {u.id: u.short_name for u in units}


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


class TaskPlanner:
    def __init__(self, rng, opts, units: list[UnitRow], people: People, first_ids, prefix):
        self.rng, self.opts, self.people, self.prefix = rng, opts, people, prefix
        self.pools = Pools(units)
        self.next_task, self.next_source = first_ids
        self.sources: list[SourceRow] = []
        self.tasks: list[TaskRow] = []
        self.cycle_names = [c for c, _ in CYCLES]
        self.cycle_weights = [w for _, w in CYCLES]

    def plan(self) -> None:
        rng, opts = self.rng, self.opts
        while len(self.tasks) < opts.tasks:
            kind, _, letters = rng.choices(KIND_WEIGHTS, [w for _, w, _ in KIND_WEIGHTS])[0]
            city = None
            if self.pools.cities and rng.random() < 0.5:
                city = rng.choice(self.pools.cities)
            sid = self.next_source
            self.next_source += 1
            issued = _between(
                rng, opts.start - dt.timedelta(days=30), opts.today - dt.timedelta(days=20)
            )
            topic = rng.choice(names.GOAL_TOPICS)
            where = names.PROVINCE if city is None else self.pools.names[city]
            title = {
                SourceKind.DOCUMENT: f"关于{topic}的实施意见",
                SourceKind.MEETING: f"{issued.year}年第{sid % 40 + 1}次常务会议",
                SourceKind.INSTRUCTION: f"领导批示：{topic}",
                SourceKind.WORK_REPORT: f"{issued.year}年政府工作报告重点任务",
                SourceKind.PROPOSAL: f"关于{topic}的建议（第{sid}号）",
            }[kind]
            self.sources.append(
                SourceRow(
                    id=sid,
                    kind=kind,
                    code=f"{self.prefix}{issued.year}-{letters}-{sid:05d}",
                    title=title,
                    issued_on=issued,
                    issuer=where,
                    city=city,
                )
            )
            n_goals = 1 if kind == SourceKind.INSTRUCTION else rng.randint(1, 4)
            for g in range(n_goals):
                if len(self.tasks) >= opts.tasks:
                    break
                self._goal(self.sources[-1], g + 1, topic)

    def _goal(self, source: SourceRow, number: int, topic: str) -> None:
        rng, opts = self.rng, self.opts
        pool = self.pools.province if source.city is None else self.pools.city[source.city]
        if source.city is None:
            leader = rng.choice(self.people.leaders)
        else:
            leader = self.people.city_leader[source.city]
        assigned = _between(
            rng, max(source.issued_on, opts.start), opts.today - dt.timedelta(days=2)
        )
        lead = rng.choice(pool)
        goal = self._task(source, None, f"{topic}（目标{number}）", lead, pool, leader, assigned)
        for t in range(rng.randint(4, 10)):
            if len(self.tasks) >= opts.tasks:
                return
            action = names.TASK_ACTIONS[(goal.id + t) % len(names.TASK_ACTIONS)]
            mid_lead = lead if rng.random() < 0.4 else rng.choice(pool)
            mid = self._task(source, goal, action, mid_lead, pool, leader, assigned)
            for s in range(rng.choice((0, 2, 4, 5, 6, 8, 10))):
                if len(self.tasks) >= opts.tasks:
                    return
                sub = names.SUB_ACTIONS[(mid.id + s) % len(names.SUB_ACTIONS)]
                sub_lead = mid_lead if rng.random() < 0.5 else rng.choice(pool)
                self._task(source, mid, sub, sub_lead, pool, leader, assigned)

    def _task(self, source, parent, title, lead, pool, leader, assigned) -> TaskRow:
        rng, today = self.rng, self.opts.today
        tid = self.next_task
        self.next_task += 1
        if parent is not None:
            assigned = min(assigned + dt.timedelta(days=rng.randint(0, 5)), today)
        co = tuple(u for u in rng.sample(pool, min(len(pool), rng.choice((0, 0, 1, 1, 2)))))
        co = tuple(u for u in co if u != lead)
        cycle = rng.choices(self.cycle_names, self.cycle_weights)[0]
        ongoing = rng.random() < 0.08
        due = None if ongoing else assigned + dt.timedelta(days=rng.randint(60, 450))
        state, closed_on, closed_late, due = self._state(parent, assigned, due)
        running = state in (TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED)
        if running and due and rng.random() < 0.04 and (today - assigned).days > 20:
            due = _between(rng, assigned + dt.timedelta(days=14), today - dt.timedelta(days=1))
        row = TaskRow(
            id=tid,
            parent_id=parent.id if parent else None,
            path=f"{parent.path if parent else ''}{tid}/",
            depth=parent.depth + 1 if parent else 0,
            source_id=source.id,
            code=f"{source.code}-{tid:07d}",
            title=title,
            lead_unit=lead,
            co_units=co,
            owner=self.people.liaison[lead],
            lead_leader=leader,
            state=state,
            assigned_on=assigned,
            start_date=assigned if rng.random() < 0.5 else None,
            due=due,
            ongoing=ongoing,
            cycle=cycle,
            report_day=rng.randint(1, 28) if cycle == ReportCycle.MONTHLY_DAY else None,
            closed_on=closed_on,
            closed_late=closed_late,
            priority=rng.choices(list(Priority.values), (80, 15, 5))[0],
            category=rng.choice(("重点工作", "民生实事", "改革任务", "项目建设", "")),
        )
        self.tasks.append(row)
        return row

    def _state(self, parent, assigned, due):
        rng, today = self.rng, self.opts.today
        inherited = (TaskState.CLOSED, TaskState.SUSPENDED, TaskState.CANCELLED)
        closing = (0.05, 0.12, 0.15)[0 if parent is None else min(2, parent.depth + 1)]
        odds = rng.random()
        if parent is not None and parent.state in inherited:
            state = parent.state
        elif rng.random() < closing:
            state = TaskState.CLOSED
        elif odds < 0.02:
            state = TaskState.SUSPENDED
        elif odds < 0.03:
            state = TaskState.CANCELLED
        elif odds < 0.06:
            state = TaskState.CLOSURE_REQUESTED
        elif (today - assigned).days <= 10 and odds < 0.6:
            state = TaskState.ASSIGNED
        else:
            state = TaskState.IN_PROGRESS
        if state != TaskState.CLOSED:
            return state, None, False, due
        last = today - dt.timedelta(days=1)
        if parent is not None and parent.closed_on:
            last = min(last, parent.closed_on)
        first = min(assigned + dt.timedelta(days=10), last)
        if due is not None and rng.random() < 0.15 and (last - assigned).days > 12:
            # closed after its due date (逾期办结): the due date fell before the closing
            closed_on = _between(rng, assigned + dt.timedelta(days=12), last)
            due = _between(rng, assigned + dt.timedelta(days=7), closed_on - dt.timedelta(days=1))
        else:
            closed_on = _between(rng, first, last if due is None else min(last, due))
        closed_on = max(closed_on, assigned)
        return state, closed_on, due is not None and closed_on > due, due
