"""What happens to each task in the story: its fate, its dates, and the schedule of what its
units and the 督查室 do (签收, 填报, 节点完成, 申请办结, 退回, 审核通过, 暂缓, 撤销).

Fates of a task with no sub-tasks, and the light or state each leads to by the demo's today:
  diligent      reports on every cycle, progress ahead of time          → green
  late_ack      signs for it weeks late, then reports                   → green
  closed        requests closure before its due date, verified          → blue
  closed_late   requests closure after its due date, verified           → blue (逾期办结)
  pending       requested closure a few days ago, awaiting verification → 申请办结
  returned      requested closure, 退回 with a reason, reporting again   → in progress
  lapsed1       missed the last report cycle                            → yellow
  due_soon      due within three working days                           → yellow
  lagging       progress far behind time                                → yellow
  lapsed2       missed the last two report cycles                       → red
  overdue       past its due date, not done                             → red
  milestone_late  a time node passed, not done                          → red
  never_ack     never signed for (still 已交办), so never reported       → red
  awaiting      assigned days ago, not yet signed for                   → 已交办
  fresh         assigned days ago, signed for                           → green
  suspended / cancelled                                                 → 暂缓 / 撤销
Goals and tasks with sub-tasks take the fate "parent": signed for at once; their light is
the worst of their children's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from luoshi.demo.catalogue import TaskSpec
from luoshi.tasks.cycles import window_containing
from luoshi.tasks.models import Priority, ReportCycle
from luoshi.workcal.services import WorkCalendar

LEAF_FATES = {  # weights, in half-percents
    "diligent": 104,
    "late_ack": 8,
    "closed": 26,
    "closed_late": 6,
    "pending": 8,
    "returned": 4,
    "lapsed1": 8,
    "due_soon": 6,
    "lagging": 6,
    "lapsed2": 2,
    "overdue": 3,
    "milestone_late": 2,
    "never_ack": 2,
    "suspended": 4,
    "cancelled": 4,
}
ONGOING_FATES = ("diligent", "late_ack", "lapsed1", "lapsed2", "never_ack")
CLOSING = ("closed", "closed_late", "pending", "returned")
CYCLES = (
    (ReportCycle.MONTHLY, 68),
    (ReportCycle.SEMIMONTHLY, 10),
    (ReportCycle.WEEKLY, 5),
    (ReportCycle.QUARTERLY, 8),
    (ReportCycle.MONTHLY_DAY, 9),
)
MILESTONE_TITLES = (
    ("完成实施方案制定", "方案印发"),
    ("完成年度任务过半", "完成量达到50%"),
    ("完成主体工作", "主体完工"),
    ("组织阶段性验收", "通过验收"),
)


@dataclass
class Schedule:
    acks: dict[str, dt.date] = field(default_factory=dict)  # unit code → day signed for
    reports: list[tuple[dt.date, str, int]] = field(default_factory=list)  # day, unit, %
    milestones_done: list[tuple[int, dt.date]] = field(default_factory=list)
    steps: list[tuple[dt.date, str]] = field(default_factory=list)  # request, return, …

    def first(self, step: str) -> dt.date | None:
        return next((day for day, kind in self.steps if kind == step), None)


def _pick(rng: random.Random, weights) -> str:
    items = list(weights.items()) if isinstance(weights, dict) else list(weights)
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


class Planner:
    """Decides fates, dates and schedules, relative to the demo's `today`."""

    def __init__(self, *, today: dt.date, cal: WorkCalendar, rng: random.Random):
        self.today, self.cal, self.rng = today, cal, rng
        self.cycles = CYCLES

    # --- dates ------------------------------------------------------------------------------
    def after(self, day: dt.date, days: int) -> dt.date:
        """The first working day on or after `day + days`."""
        return self.cal.add_working_days(day + dt.timedelta(days=days), 0)

    def before(self, day: dt.date, days: int = 0) -> dt.date:
        """The last working day on or before `day - days`."""
        return self.cal.previous_working_day_on_or_before(day - dt.timedelta(days=days))

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(day, n)

    def windows(self, spec: TaskSpec, start: dt.date) -> list[tuple[dt.date, dt.date]]:
        if spec.cycle == ReportCycle.NONE:
            return []
        found = []
        day = start
        while day <= self.today:
            w_start, w_end = window_containing(spec.cycle, day, spec.report_day)
            found.append((w_start, w_end))
            day = w_end + dt.timedelta(days=1)
        return found

    def report_day_in(self, w_start: dt.date, w_end: dt.date, lower: dt.date) -> dt.date | None:
        """A working day near the end of the window, not before `lower`; None if none."""
        day = self.before(w_end, self.rng.randint(0, 5))
        floor = max(w_start, lower)
        if day < floor:
            day = self.after(floor, 0)
        return day if day <= w_end else None

    # --- fates ------------------------------------------------------------------------------
    def plan_tree(
        self,
        root: TaskSpec,
        *,
        assign_on: dt.date,
        span: tuple[int, int],
        cycles: tuple = CYCLES,
    ) -> None:
        """Plan a goal (or a top-level item) and everything below it. `span`: the range of
        days from assignment to the due date of an ordinary task."""
        self.cycles = cycles
        if root.kind == "goal" or root.children:
            root.due = None if root.ongoing else self.before(assign_on, -(span[1] + 45))
        self._plan(root, assign_on, span, parent_due=root.due)

    def _plan(self, spec, assign_on, span, parent_due) -> None:
        spec.assign_on = assign_on
        spec.priority = _pick(
            self.rng, {Priority.NORMAL: 60, Priority.HIGH: 30, Priority.URGENT: 10}
        )
        if spec.children or spec.kind == "goal":
            spec.fate = "parent"
            spec.cycle = ReportCycle.NONE if spec.kind == "goal" else ReportCycle.QUARTERLY
            if spec.kind != "goal" and not spec.ongoing:
                spec.due = self.before(assign_on, -(span[1] + 20))
            for child in spec.children:
                self._plan(child, assign_on, span, parent_due=spec.due)
        else:
            if not spec.fate:
                spec.fate = _pick(self.rng, LEAF_FATES)
            if spec.ongoing and spec.fate not in ONGOING_FATES:
                spec.fate = "diligent"
            self._choose_cycle(spec)
        spec.schedule = self._schedule(spec, span, parent_due)

    def _choose_cycle(self, spec: TaskSpec) -> None:
        spec.cycle = _pick(self.rng, self.cycles)
        if spec.fate in ("lapsed1", "lapsed2") and spec.cycle == ReportCycle.QUARTERLY:
            spec.cycle = ReportCycle.MONTHLY
        if spec.cycle == ReportCycle.MONTHLY_DAY:
            spec.report_day = self.rng.choice((5, 5, 10))

    # --- schedules --------------------------------------------------------------------------
    def _schedule(self, spec: TaskSpec, span, parent_due) -> Schedule:
        rng, A, T = self.rng, spec.assign_on, self.today
        s = Schedule()
        fate = spec.fate
        lead_ack = None
        if fate not in ("never_ack", "awaiting"):
            lead_ack = (
                self.after(A, rng.randint(15, 30))
                if fate == "late_ack"
                else self.wd(A, rng.choice((0, 0, 1, 1, 1, 2, 3)))
            )
            s.acks[spec.lead] = lead_ack
        stop = T  # the lead reports until (not including) this day
        terminal = None  # the day after which nobody acts on the task
        if fate != "parent" and not spec.ongoing:
            spec.due = self._due(fate, A, span)
        if fate == "closed":
            request = self.before(min(A + dt.timedelta(days=rng.randint(25, 80)), T), 6)
            terminal = self._closure_steps(s, request, allow_return=True)
            spec.due = self.after(terminal, rng.randint(0, 80))
            stop = request
        elif fate == "closed_late":
            request = min(self.wd(spec.due, rng.randint(3, 12)), self.wd(T, -2))
            terminal = self._closure_steps(s, request, allow_return=rng.random() < 0.5)
            stop = request
        elif fate == "pending":
            stop = self.wd(T, -rng.randint(1, 4))
            s.steps.append((stop, "request"))
        elif fate == "returned":
            request = self.wd(T, -rng.randint(10, 18))
            s.steps += [(request, "request"), (self.wd(request, rng.randint(1, 3)), "return")]
        elif fate in ("suspended", "cancelled"):
            terminal = stop = self.after(A, rng.randint(15, 65))
            s.steps.append((terminal, "suspend" if fate == "suspended" else "cancel"))
        if parent_due is not None and spec.due is not None and spec.due > parent_due:
            spec.due = self.before(parent_due)
        self._milestones(spec, s, lead_ack, stop)
        if lead_ack is not None:
            self._lead_reports(spec, s, lead_ack, stop)
        self._co_units(spec, s, lead_ack, stop if terminal else T, terminal)
        return s

    def _due(self, fate: str, A: dt.date, span) -> dt.date | None:
        rng, T = self.rng, self.today
        if fate == "closed_late":
            return min(self.before(A, -rng.randint(20, 45)), self.before(T, 20))
        if fate == "overdue":
            return max(self.before(T, rng.randint(3, 30)), self.after(A, 25))
        if fate == "due_soon":
            return self.wd(T, rng.randint(1, 3))
        if fate == "lagging":
            return self.after(T, rng.randint(30, 70))
        if fate in ("awaiting", "fresh"):
            return self.after(A, rng.randint(30, 60))
        return self.before(A, -rng.randint(*span))

    def _closure_steps(self, s: Schedule, request: dt.date, *, allow_return: bool) -> dt.date:
        """request → (return → request →) verify; returns the day it is verified."""
        rng = self.rng
        if allow_return and rng.random() < 0.3:
            back = self.wd(request, rng.randint(1, 3))
            again = self.wd(back, rng.randint(3, 7))
            verify = self.wd(again, rng.randint(1, 3))
            if verify <= self.today:
                s.steps += [(request, "request"), (back, "return"), (again, "request")]
                s.steps.append((verify, "verify"))
                return verify
        verify = min(self.wd(request, rng.randint(1, 4)), self.today)
        s.steps += [(request, "request"), (verify, "verify")]
        return verify

    def _milestones(self, spec: TaskSpec, s: Schedule, lead_ack, stop) -> None:
        if spec.due is None or spec.fate == "parent":
            return
        if not (spec.wants_milestones or spec.fate == "milestone_late" or self.rng.random() < 0.1):
            return
        A, due = spec.assign_on, spec.due
        n = self.rng.choice((2, 3))
        titles = self.rng.sample(MILESTONE_TITLES, n)
        dates = sorted(self.before(A + (due - A) * k / (n + 1)) for k in range(1, n + 1))
        late_day = None
        if spec.fate == "milestone_late":
            past = [i for i, d in enumerate(dates) if d < self.today] or [0]
            late_day = dates[past[-1]] = self.wd(self.today, -self.rng.randint(4, 12))
            dates.sort()
        for i, ((title, target), day) in enumerate(zip(titles, dates, strict=True)):
            spec.milestones.append((title, day, target))
            if day == late_day or lead_ack is None:
                continue
            done = max(self.before(day, self.rng.randint(0, 4)), lead_ack)
            request = s.first("request")
            if request is not None and day > request:
                done = request  # all time nodes are met by the time closure is requested
            if done <= min(stop, self.today):
                s.milestones_done.append((i, done))

    def percent(self, spec: TaskSpec, s: Schedule, day: dt.date, bias: int) -> int:
        """A plausible reported percent on `day`: ahead of time by `bias` points, far behind
        for a lagging task, reaching 90 by the day closure is requested."""
        A, request = spec.assign_on, s.first("request")
        if spec.fate == "lagging":
            value = 30 * (day - A).days / max((spec.due - A).days, 1)
        elif spec.fate in CLOSING and request is not None:
            value = 90 * (day - A).days / max((request - A).days, 1)
        else:
            period = (spec.due - A).days if spec.due else 365
            value = 100 * (day - A).days / max(period, 1) + bias
        return max(5, min(95, int(value // 5 * 5)))

    def _lead_reports(self, spec, s: Schedule, lead_ack, stop) -> None:
        rng = self.rng
        windows = self.windows(spec, spec.assign_on)
        past = [w for w in windows if self.cal.add_working_days(w[1], 0) < self.today]
        cutoff = None
        if spec.fate == "lapsed1" and past:
            cutoff = past[-1][0]
        elif spec.fate == "lapsed2" and len(past) >= 2:
            cutoff = past[-2][0]
        request, returned_on = s.first("request"), s.first("return")
        days: dict[dt.date, int | None] = {}
        for w_start, w_end in windows:
            if cutoff is not None and w_end >= cutoff:
                break
            if (
                spec.fate == "diligent"
                and (w_start, w_end) not in past[-2:]
                and rng.random() < 0.08
            ):
                continue  # an old cycle missed, caught up since
            day = self.report_day_in(w_start, w_end, lead_ack)
            if day is None or day > self.today:
                continue
            if spec.fate == "returned":
                if request <= day <= returned_on:
                    continue
            elif day >= stop:
                continue
            days[day] = None
        for day, step in s.steps:  # a report at 100% on the day closure is requested
            if step == "request":
                days[day] = 100
        bias, last = rng.randint(8, 20), 0
        for day in sorted(days):
            last = max(last, days[day] or self.percent(spec, s, day, bias))
            s.reports.append((day, spec.lead, last))

    def _co_units(self, spec, s: Schedule, lead_ack, stop, terminal) -> None:
        rng = self.rng
        for code in spec.co:
            roll = rng.random()
            if roll < 0.05:
                continue
            days = rng.randint(10, 25) if roll < 0.15 else rng.randint(0, 6)
            ack = self.after(spec.assign_on, days)
            if ack > self.today or (terminal is not None and ack >= terminal):
                continue
            s.acks[code] = ack
            if lead_ack is None:
                continue
            for w_start, w_end in self.windows(spec, spec.assign_on):
                if rng.random() > 0.3:
                    continue
                day = self.report_day_in(w_start, w_end, max(ack, lead_ack))
                if day is None or day > self.today or day >= stop:
                    continue
                s.reports.append((day, code, self.percent(spec, s, day, 5)))
