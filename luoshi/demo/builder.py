"""`luoshi demo`: the city of 示范市 with three months of supervision history, loaded through
the real services so that history, events and the audit log are real.

The story is relative to the day it is loaded: the work report's tasks are assigned about
ninety days before today, and every date in the plan is counted from there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction

from luoshi.bulletins.services import bulletin_generate
from luoshi.demo import catalogue
from luoshi.demo.campaigns import build_campaigns
from luoshi.demo.catalogue import TaskSpec
from luoshi.demo.clues import build_clues
from luoshi.demo.cockpit import build_comments
from luoshi.demo.evaluation import build_evaluation
from luoshi.demo.goals import GOALS
from luoshi.demo.meetings import build_meetings
from luoshi.demo.other_sources import DOCUMENT, INSTRUCTION, MEETING
from luoshi.demo.outcomes import build_outcomes
from luoshi.demo.people import People, build_people, password_ages_restart
from luoshi.demo.plan import Planner
from luoshi.demo.policies import build_policies
from luoshi.demo.story import CREATE, Story
from luoshi.demo.supervision import build_supervision
from luoshi.demo.units import ROOT_NAME, Units, build_units
from luoshi.lib import clock
from luoshi.org.models import Unit, User
from luoshi.tasks.models import ReportCycle, Source, SourceKind, Task
from luoshi.tasks.services.sources import source_create
from luoshi.workcal.services import WorkCalendar

HISTORY_DAYS = 90
WORK_REPORT_SPAN = (150, 280)  # days from assignment to an ordinary task's due date

# Fates given on purpose (see plan.py), so that the demo accounts have interesting work and
# every state shows whatever the chance draws: the lead units' first few tasks take them.
FORCED = {
    "fgw": ["returned", "lapsed1", "pending", "due_soon", "closed"],
    "jtj": ["returned", "overdue", "lagging", "diligent"],
    "swj": ["suspended", "closed_late"],
    "sthjj": ["cancelled", "never_ack"],
    "nyj": ["milestone_late"],
}
MEETING_FATES = [
    "overdue",
    "diligent",
    "closed",
    "lapsed1",
    "closed_late",
    "due_soon",
    "pending",
    "closed",
]
INSTRUCTION_FATES = ["awaiting", "awaiting", "fresh"]
DOCUMENT_FATES = ["diligent", "closed", "lapsed1", "lagging", "diligent", "returned"]
RECENT_FATES = ["awaiting", "fresh"]


def demo_present() -> bool:
    return Unit.objects.filter(name=ROOT_NAME).exists()


def _force_fates(goals: list[TaskSpec]) -> None:
    wanted = {code: list(fates) for code, fates in FORCED.items()}
    for goal in goals:
        for spec in goal.walk():
            if spec.kind == "task" and not spec.children and not spec.ongoing:
                queue = wanted.get(spec.lead)
                if queue:
                    spec.fate = queue.pop(0)
                    spec.evidence = spec.fate in ("closed", "returned")


class DemoBuilder:
    def __init__(self, today: dt.date):
        self.today = today
        self.cal = WorkCalendar()
        self.planner = Planner(today=today, cal=self.cal, rng=random.Random(2026))
        self.base = self.planner.after(today - dt.timedelta(days=HISTORY_DAYS), 0)

    def build(self) -> None:
        with clock.pinned_today(self.planner.before(self.base, 10)):
            self.units: Units = build_units(None)
            self.people: People = build_people(self.units)
        # the accounts were opened in the past; their passwords count from today (not expired)
        password_ages_restart()
        self.story = Story(units=self.units, people=self.people, today=self.today)
        self._work_report()
        self._meeting()
        self._instruction()
        self._document()
        self.story.play()
        build_meetings(people=self.people, today=self.today)
        build_supervision(people=self.people, units=self.units, today=self.today)
        build_policies(people=self.people, units=self.units, today=self.today)
        # before the campaigns: their 结果运用 are outcome records too, and build_outcomes
        # loads its own only into a database that holds none
        build_outcomes(people=self.people, today=self.today)  # scoring reads them
        build_campaigns(people=self.people, units=self.units, today=self.today)
        build_clues(people=self.people, units=self.units, today=self.today)
        build_comments(people=self.people, today=self.today)
        build_evaluation(people=self.people, today=self.today)
        self._bulletin()

    def _bulletin(self) -> None:
        """A draft 督查通报 of last month, as the office would generate it today."""
        first = self.today.replace(day=1)
        last_month_end = first - dt.timedelta(days=1)
        with clock.pinned_today(self.today):
            bulletin_generate(
                actor=self.people.supervisor,
                date_from=last_month_end.replace(day=1),
                date_to=last_month_end,
            )

    # --- sources -------------------------------------------------------------------------
    def _source(self, kind: str, day: dt.date, **fields) -> Source:
        with clock.pinned_today(day):
            return source_create(actor=self.people.supervisor, kind=kind, issued_on=day, **fields)

    def _create(self, day: dt.date, source_fn, specs: list[TaskSpec]) -> None:
        def create() -> None:
            source = source_fn()
            for spec in specs:
                self.story.create_tree(spec, source)

        self.story.at(day, CREATE, create)

    def _work_report(self) -> None:
        p = self.planner
        goals = catalogue.work_report_goals(p.rng)
        _force_fates(goals)
        for goal in goals:
            p.plan_tree(goal, assign_on=self.base, span=WORK_REPORT_SPAN)
        year = self.base.year  # the report of the year the story starts in
        issued = min(dt.date(year, 2, 26), self.base)
        created = p.wd(self.base, -3)

        def source() -> Source:
            return self._source(
                SourceKind.WORK_REPORT,
                issued,
                title=f"{year}年示范市政府工作报告",
                doc_number="",
                issuer="示范市人民政府",
                content=f"《{year}年示范市政府工作报告》确定的{len(GOALS)}个方面重点工作，"
                "分解为目标任务，明确牵头领导、牵头单位和完成时限。",
            )

        self._create(created, source, goals)
        for goal in goals:
            self.story.schedule_tree(goal)

    def _items(self, data: dict, fates: list[str], category: str) -> list[TaskSpec]:
        specs = catalogue.source_items(data["items"], category=category, rng=self.planner.rng)
        for spec, fate in zip(specs, fates, strict=False):
            spec.fate = fate
        return specs

    @staticmethod
    def _fmt(data: dict, key: str, day: dt.date, n: int = 0) -> str:
        """A title or document number, in the year of the source's date."""
        return data[key].format(year=day.year, year2=day.year + 2, n=n)

    def _meeting(self) -> None:
        p = self.planner
        held = p.before(self.today, MEETING["days_before"])
        n = 20 + held.month
        specs = self._items(MEETING, MEETING_FATES, "会议议定")
        cycles = ((ReportCycle.WEEKLY, 1), (ReportCycle.SEMIMONTHLY, 2))
        for spec in specs:
            spec.priority = "high"
            p.plan_tree(spec, assign_on=p.wd(held, 2), span=(55, 100), cycles=cycles)
        specs[2].evidence = True

        def source() -> Source:
            return self._source(
                SourceKind.MEETING,
                held,
                title=self._fmt(MEETING, "title", held, n),
                doc_number=self._fmt(MEETING, "doc_number", held, n),
                issuer=MEETING["issuer"],
                content=MEETING["content"],
            )

        self._create(p.wd(held, 1), source, specs)
        for spec in specs:
            self.story.schedule_tree(spec)

    def _instruction(self) -> None:
        p = self.planner
        given = p.before(self.today, INSTRUCTION["days_before"])
        specs = self._items(INSTRUCTION, INSTRUCTION_FATES, "领导批示")
        cycles = ((ReportCycle.WEEKLY, 1),)
        for spec in specs:
            spec.leader = "lingdao"
            assign_on = min(p.wd(given, 1), self.today)
            p.plan_tree(spec, assign_on=assign_on, span=(10, 30), cycles=cycles)

        def source() -> Source:
            return self._source(
                SourceKind.INSTRUCTION,
                given,
                title=INSTRUCTION["title"],
                doc_number=self._fmt(INSTRUCTION, "doc_number", given, 37),
                issuer=INSTRUCTION["issuer"],
                content=INSTRUCTION["content"],
            )

        self._create(given, source, specs)
        for spec in specs:
            self.story.schedule_tree(spec)

    def _document(self) -> None:
        p, data = self.planner, DOCUMENT
        issued = p.before(self.today, data["days_before"])
        early, recent = data["assigned_early"], data["assigned_recent"]
        specs = self._items(data, DOCUMENT_FATES + RECENT_FATES, "营商环境")
        for spec in specs[:early]:
            p.plan_tree(spec, assign_on=p.wd(issued, 3), span=(120, 250))
        for spec in specs[early : early + recent]:
            p.plan_tree(spec, assign_on=p.wd(self.today, -3), span=(60, 120))
        drafts = specs[early + recent :]
        for spec in drafts:  # still being drafted: only their dates are planned
            spec.fate = "diligent"
            p.plan_tree(spec, assign_on=self.today, span=(120, 250))
        holder: dict[str, Source] = {}

        def source() -> Source:
            holder["s"] = self._source(
                SourceKind.DOCUMENT,
                issued,
                title=self._fmt(data, "title", issued),
                doc_number=self._fmt(data, "doc_number", issued),
                issuer=data["issuer"],
                content=data["content"],
            )
            return holder["s"]

        self._create(p.wd(issued, 1), source, specs[: early + recent])
        drafted = p.wd(self.today, -2)
        self.story.at(
            drafted,
            CREATE,
            lambda: [self.story.create_tree(spec, holder["s"]) for spec in drafts],
        )
        for spec in specs[: early + recent]:
            self.story.schedule_tree(spec)


@transaction.atomic
def demo_load(*, today: dt.date | None = None) -> None:
    """Load the demo as of `today` (default: the clock's today). Call only when
    demo_present() is False."""
    DemoBuilder(today or clock.today()).build()
    # parts of the story are written in bulk (the daily runs it replays, renamed sources):
    # rebuild the search index once at the end so that everything is found
    from luoshi.search.indexing import reindex_all

    reindex_all()


def demo_summary() -> dict:
    tasks = Task.objects.all()
    return {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "sources": Source.objects.count(),
        "tasks": tasks.count(),
        "states": Counter(tasks.values_list("state", flat=True)),
        "lights": Counter(tasks.exclude(state="draft").values_list("light", flat=True)),
        "closed_late": tasks.filter(closed_late=True).count(),
        "returned": tasks.filter(returned_at__isnull=False, state="in_progress").count(),
    }
