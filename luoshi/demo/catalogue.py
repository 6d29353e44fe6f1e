"""The demo's tasks as specifications (TaskSpec), read from goals.py and other_sources.py.

A spec holds what the ledger row says (title, units, leader, indicator); plan.py then
decides its dates and its fate (what happens to it in the story), and story.py creates it
through the task services.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from luoshi.demo.goals import GOALS
from luoshi.demo.people import LEADERS
from luoshi.demo.units import DISTRICTS, SPECS

if TYPE_CHECKING:
    from luoshi.demo.plan import Schedule
    from luoshi.tasks.models import Task

PORTFOLIO = {code: spec.username for spec in LEADERS for code in spec.portfolio}


def leader_for(unit_code: str) -> str:
    """The username of the leader in charge of a unit (常务副市长 by default)."""
    return PORTFOLIO.get(unit_code, "cwfsz")


@dataclass
class TaskSpec:
    title: str
    lead: str  # unit code
    co: list[str]
    category: str
    leader: str  # leader's username
    kind: str  # goal | task | sub | item
    indicator: dict | None = None
    ongoing: bool = False
    wants_milestones: bool = False
    evidence: bool = False  # attach a PDF to its closure requests
    children: list[TaskSpec] = field(default_factory=list)
    # decided by plan.py
    fate: str = ""
    assign_on: dt.date | None = None
    due: dt.date | None = None
    cycle: str = "monthly"
    report_day: int | None = None
    priority: str = "normal"
    milestones: list[tuple[str, dt.date, str]] = field(default_factory=list)
    schedule: Schedule | None = None
    # set once created
    task: Task | None = None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _parse_indicator(value: str) -> dict:
    name, measure, baseline, target = value.split(",")
    return {"name": name, "measure_unit": measure, "baseline": baseline, "target": target}


def parse_line(line: str, *, category: str, kind: str, rng: random.Random) -> TaskSpec:
    """One ledger line ``title | lead | co-units | extras`` (see goals.py)."""
    parts = [p.strip() for p in line.split("|")]
    title, lead = parts[0], parts[1]
    co = parts[2].split() if len(parts) > 2 else []
    extras = parts[3].split() if len(parts) > 3 else []
    spec = TaskSpec(
        title=title, lead=lead, co=co, category=category, leader=leader_for(lead), kind=kind
    )
    for extra in extras:
        key, _, value = extra.partition("=")
        if key == "ind":
            spec.indicator = _parse_indicator(value)
        elif key == "ongoing":
            spec.ongoing = True
        elif key == "ms":
            spec.wants_milestones = True
        elif key == "sub":
            spec.children = [
                TaskSpec(
                    title=phase,
                    lead=lead,
                    co=[],
                    category=category,
                    leader=spec.leader,
                    kind="sub",
                )
                for phase in value.split(";")
            ]
            spec.children[0].fate = "closed"  # the first phase is already done
        elif key == "each":
            count = rng.randint(5, len(DISTRICTS))
            chosen = sorted(rng.sample(range(len(DISTRICTS)), count))
            spec.children = [
                TaskSpec(
                    title=value.format(d=DISTRICTS[i].short_name),
                    lead=DISTRICTS[i].code,
                    co=[],
                    category=category,
                    leader=spec.leader,
                    kind="sub",
                )
                for i in chosen
            ]
        else:
            raise ValueError(f"unknown extra {extra!r} in {line!r}")
    return spec


def lines(text: str) -> list[str]:
    """The ledger lines of a block, with "+" continuation lines joined to the line before."""
    joined: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if line.startswith("+") and joined:
            joined[-1] += " " + line[1:].strip()
        elif line:
            joined.append(line)
    return joined


def work_report_goals(rng: random.Random) -> list[TaskSpec]:
    goals = []
    for goal in GOALS:
        spec = TaskSpec(
            title=goal.title,
            lead=goal.lead,
            co=[],
            category=goal.category,
            leader=goal.leader,
            kind="goal",
        )
        spec.children = [
            parse_line(line, category=goal.category, kind="task", rng=rng)
            for line in lines(goal.tasks)
        ]
        goals.append(spec)
    return goals


def source_items(text: str, *, category: str, rng: random.Random) -> list[TaskSpec]:
    return [parse_line(line, category=category, kind="item", rng=rng) for line in lines(text)]


def unit_short(code: str) -> str:
    return SPECS[code].short_name
