"""Playing the plan: every action of the story, day by day, through the real services.

Each day runs with the clock pinned to it (clock.pinned_today), so history, report dates
and lights are those of that day. The daily tick runs once a simulated week and on the
last day; every service refreshes the lights of the task it changes in between.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from luoshi.demo import phrases
from luoshi.demo.catalogue import TaskSpec, unit_short
from luoshi.demo.evidence import evidence_file
from luoshi.demo.people import People
from luoshi.demo.units import Units
from luoshi.lib import clock
from luoshi.reports.services import report_submit
from luoshi.tasks.models import Milestone, Source
from luoshi.tasks.services.editing import milestone_complete, task_create, tasks_create_children
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_return,
    closure_verify,
    task_assign,
    task_cancel,
    task_suspend,
)
from luoshi.tasks.services.tick import daily_tick

# Order of the actions of one day.
CREATE, ASSIGN, ACK, MILESTONE, REPORT, REQUEST, DECIDE, HALT = range(8)


class Story:
    def __init__(self, *, units: Units, people: People, today: dt.date):
        self.units, self.people, self.today = units, people, today
        self.rng = random.Random(2026)  # for words only; the plan has its own
        self.actions: dict[dt.date, list[tuple[int, int, Callable[[], None]]]] = defaultdict(list)
        self._seq = 0

    def at(self, day: dt.date, order: int, action: Callable[[], None]) -> None:
        if day <= self.today:  # what the plan puts after today has not happened yet
            self._seq += 1
            self.actions[day].append((order, self._seq, action))

    # --- creating tasks ---------------------------------------------------------------------
    def _fields(self, spec: TaskSpec) -> dict:
        co = [self.units[c] for c in spec.co]
        return {
            "title": spec.title,
            "content": phrases.task_content(
                self.rng, spec.title, unit_short(spec.lead), [unit_short(c) for c in spec.co]
            ),
            "category": spec.category,
            "priority": spec.priority,
            "lead_leader": self.people.leaders[spec.leader],
            "lead_unit": self.units[spec.lead],
            "owner": self.people.heads[spec.lead],
            "co_units": co,
            "due": spec.due,
            "ongoing": spec.ongoing,
            "due_text": "长期坚持" if spec.ongoing else "",
            "report_cycle": spec.cycle,
            "report_day": spec.report_day,
            "milestones": [{"title": t, "due": d, "target": g} for t, d, g in spec.milestones],
            "indicators": [spec.indicator] if spec.indicator else [],
        }

    def create_tree(self, spec: TaskSpec, source: Source) -> None:
        spec.task = task_create(actor=self.people.supervisor, source=source, **self._fields(spec))
        self._create_children(spec)

    def _create_children(self, spec: TaskSpec) -> None:
        if not spec.children:
            return
        created = tasks_create_children(
            actor=self.people.supervisor,
            parent=spec.task,
            rows=[self._fields(child) for child in spec.children],
        )
        for child, task in zip(spec.children, created, strict=True):
            child.task = task
            self._create_children(child)

    # --- scheduling the plan ----------------------------------------------------------------
    def schedule_tree(self, root: TaskSpec, *, assign: bool = True) -> None:
        if assign:
            self.at(root.assign_on, ASSIGN, lambda: self._assign(root))
        for spec in root.walk():
            self._schedule(spec)

    def _assign(self, root: TaskSpec) -> None:
        task_assign(actor=self.people.supervisor, task=root.task)

    def _schedule(self, spec: TaskSpec) -> None:
        s = spec.schedule
        for code, day in s.acks.items():
            self.at(day, ACK, lambda spec=spec, code=code: self._ack(spec, code))
        for index, day in s.milestones_done:
            self.at(day, MILESTONE, lambda spec=spec, i=index, d=day: self._milestone(spec, i, d))
        for day, code, percent in s.reports:
            self.at(day, REPORT, lambda spec=spec, c=code, p=percent: self._report(spec, c, p))
        for day, step in s.steps:
            if day > self.today:
                break  # the rest of the task's closure or halt has not happened yet
            order = {"request": REQUEST, "return": DECIDE, "verify": DECIDE}.get(step, HALT)
            self.at(day, order, lambda spec=spec, step=step: self._step(spec, step))

    # --- the actions --------------------------------------------------------------------------
    def _unit_user(self, code: str):
        if self.rng.random() < 0.15:
            return self.people.heads[code]
        return self.people.liaisons[code]

    def _ack(self, spec: TaskSpec, code: str) -> None:
        assignment_acknowledge(actor=self._unit_user(code), task=spec.task)

    def _milestone(self, spec: TaskSpec, index: int, day: dt.date) -> None:
        # read afresh: the task's state has moved on since it was created
        milestones = Milestone.objects.filter(task_id=spec.task.pk).select_related("task")
        milestone = list(milestones.order_by("due", "sort_order", "id"))[index]
        milestone_complete(actor=self.people.liaisons[spec.lead], milestone=milestone, on=day)

    def _report(self, spec: TaskSpec, code: str, percent: int) -> None:
        lead = code == spec.lead
        if lead:
            text, problems, next_steps = phrases.report_texts(self.rng, percent)
        else:
            text, problems, next_steps = self.rng.choice(phrases.CO_PART), "", ""
        values = {}
        if lead and spec.indicator:
            indicator = spec.task.indicators.first()
            values[indicator.pk] = _indicator_value(indicator, percent)
        report_submit(
            actor=self.people.liaisons[code],
            task=spec.task,
            progress_text=text,
            percent=percent,
            problems=problems,
            next_steps=next_steps,
            indicator_values=values,
        )

    def _step(self, spec: TaskSpec, step: str) -> None:
        supervisor, rng = self.people.supervisor, self.rng
        if step == "request":
            files = []
            if spec.evidence:
                files = [
                    evidence_file(
                        f"{spec.task.code}-办结佐证材料.pdf",
                        [
                            spec.title,
                            f"任务编号：{spec.task.code}",
                            f"牵头单位：{self.units[spec.lead].name}",
                            f"报送日期：{clock.today():%Y年%m月%d日}",
                            "办结佐证材料（示例）：工作总结、验收意见和相关照片。",
                        ],
                    )
                ]
            closure_request(
                actor=self._unit_user(spec.lead),
                task=spec.task,
                summary=rng.choice(phrases.CLOSURE),
                files=files,
            )
        elif step == "return":
            closure_return(
                actor=supervisor, task=spec.task, reason=rng.choice(phrases.RETURN_REASONS)
            )
        elif step == "verify":
            closure_verify(
                actor=supervisor, task=spec.task, comment=rng.choice(phrases.VERIFY_COMMENTS)
            )
        elif step == "suspend":
            task_suspend(
                actor=supervisor, task=spec.task, reason=rng.choice(phrases.SUSPEND_REASONS)
            )
        elif step == "cancel":
            task_cancel(actor=supervisor, task=spec.task, reason=rng.choice(phrases.CANCEL_REASONS))
        else:
            raise ValueError(step)

    # --- walking the days -----------------------------------------------------------------------
    def play(self) -> None:
        """Run every scheduled action in date order; the daily tick each Monday and today."""
        first = min(self.actions)
        day = first
        while day <= self.today:
            with clock.pinned_today(day):
                for _order, _seq, action in sorted(self.actions.get(day, []), key=_key):
                    action()
            if day.weekday() == 0 or day == self.today:
                daily_tick(today=day)
            day += dt.timedelta(days=1)


def _key(item: tuple[int, int, Callable]) -> tuple[int, int]:
    return item[0], item[1]


def _indicator_value(indicator, percent: int) -> Decimal:
    baseline = indicator.baseline or Decimal(0)
    value = baseline + (indicator.target - baseline) * Decimal(percent) / 100
    return value.quantize(Decimal("0.01"))
