"""The escalation ladder (督办升级): which rungs apply to a task and on which days they fall.

Dates, decided here once for both due dates and report deadlines:

- A deadline on a day off moves to the next working day (遇节假日顺延), as report deadlines do
  in tasks.cycles; that working day is the rung's anchor (offset 0).
- Offsets count working days from the anchor (WorkCalendar), so every rung falls on a working
  day: a rung "before" the deadline skips the holiday in between (a task due Friday 2026-10-09
  is reminded three working days earlier, on Tuesday 2026-09-29, before 国庆), and one after
  it lands on the first working day that is that many working days later (the 调休 Saturday
  2026-10-10 counts).
- The ladder runs on working days only. On a day off nothing falls: what the offsets would
  put there already sits on a working day.
- A rung runs on its day only; a day the tick did not run is not made up later (a late 提醒
  is no 提醒). A repeating rung (每日催办) runs on every working day from its offset on while
  the task stays late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from luoshi.supervision.models import (
    EscalationRule,
    Recipient,
    RelativeTo,
    StepAction,
)
from luoshi.tasks.cycles import FIRST_REPORT_GRACE_DAYS, Window, window_containing
from luoshi.workcal.services import WorkCalendar

ONE_DAY = dt.timedelta(days=1)

# DESIGN.md's default ladder, for due dates and for report deadlines alike:
# (step, offset, repeat_daily, action, recipients). The data migration seeds these rows.
DEFAULT_LADDER: tuple[tuple[str, int, bool, str, tuple[str, ...]], ...] = (
    ("remind", -3, False, StepAction.REMINDER, (Recipient.OWNER, Recipient.LIAISON)),
    ("urge", 0, False, StepAction.URGE, (Recipient.LIAISON, Recipient.UNIT_HEAD)),
    ("urge_daily", 1, True, StepAction.URGE, (Recipient.LIAISON, Recipient.UNIT_HEAD)),
    ("notice", 3, False, StepAction.NOTICE_DRAFT, (Recipient.SUPERVISOR,)),
    ("leader", 10, False, StepAction.LEADER, (Recipient.LEAD_LEADER,)),
    ("bulletin", 10, False, StepAction.BULLETIN, ()),
)


@dataclass(frozen=True)
class Rung:
    relative_to: str
    step: str
    offset: int
    repeat_daily: bool
    action: str
    recipients: tuple[str, ...]
    key: str = field(init=False)  # "due:urge": the step's name in claims and dedupe keys

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.relative_to}:{self.step}")


def _rung(rule: EscalationRule) -> Rung:
    return Rung(
        relative_to=rule.relative_to,
        step=rule.step,
        offset=rule.offset,
        repeat_daily=rule.repeat_daily,
        action=rule.action,
        recipients=tuple(rule.recipients or ()),
    )


class Ladders:
    """The effective ladder of each category: the default rungs, each replaced by the
    category's rule of the same (relative_to, step) where it has one; disabled rungs dropped."""

    def __init__(self, rules: Iterable[EscalationRule] | None = None):
        if rules is None:
            rules = EscalationRule.objects.all()
        default: dict[str, EscalationRule] = {}
        overrides: dict[str, dict[str, EscalationRule]] = {}
        for rule in rules:
            if rule.category:
                overrides.setdefault(rule.category, {})[rule.key] = rule
            else:
                default[rule.key] = rule
        self._default = default
        self._overrides = overrides
        self._cache: dict[str, tuple[Rung, ...]] = {}

    def for_category(self, category: str) -> tuple[Rung, ...]:
        """Enabled rungs for a task of this category, ordered by offset."""
        key = category if category in self._overrides else ""
        found = self._cache.get(key)
        if found is None:
            merged = {**self._default, **self._overrides.get(key, {})}
            found = tuple(
                sorted(
                    (_rung(r) for r in merged.values() if r.enabled),
                    key=lambda r: (r.relative_to, r.offset, r.step),
                )
            )
            self._cache[key] = found
        return found

    def ladder_key(self, category: str) -> str:
        """Tasks with the same key share one ladder (used to cache per-ladder work)."""
        return category if category in self._overrides else ""


def ladder_seed_defaults() -> int:
    """Create the default rungs (DESIGN.md) that are missing; return how many were made.
    The data migration does this on install; tests that empty the database call it."""
    made = 0
    for relative_to in RelativeTo.values:
        for step, offset, repeat, action, recipients in DEFAULT_LADDER:
            _rule, created = EscalationRule.objects.get_or_create(
                category="",
                relative_to=relative_to,
                step=step,
                defaults={
                    "offset": offset,
                    "repeat_daily": repeat,
                    "action": str(action),
                    "recipients": [str(r) for r in recipients],
                },
            )
            made += created
    return made


# --- dates -------------------------------------------------------------------------------------


def anchor(deadline: dt.date, cal: WorkCalendar) -> dt.date:
    """The working day a deadline counts from: itself, or the next working day (顺延)."""
    return cal.add_working_days(deadline, 0)


def rung_date(deadline: dt.date, offset: int, cal: WorkCalendar) -> dt.date:
    """The working day on which the rung `offset` falls for this deadline."""
    return cal.add_working_days(anchor(deadline, cal), offset)


def anchor_for_today(offset: int, today: dt.date, cal: WorkCalendar) -> dt.date:
    """The anchor whose rung `offset` falls on `today` (a working day)."""
    return cal.add_working_days(today, -offset) if offset else today


def deadlines_anchored_at(day: dt.date, cal: WorkCalendar) -> tuple[dt.date, dt.date]:
    """(lo, hi): the deadlines d with lo < d <= hi all count from the working day `day`: the
    days off just before it roll forward onto it."""
    lo = cal.previous_working_day_on_or_before(day - ONE_DAY)
    return lo, day


def latest_window(
    cycle: str, on_or_before: dt.date, cal: WorkCalendar, report_day: int | None
) -> Window | None:
    """The report window of `cycle` with the latest deadline on or before the given day."""
    probe = on_or_before
    for _ in range(8):
        start, end = window_containing(cycle, probe, report_day)
        deadline = cal.add_working_days(end, 0)
        if deadline <= on_or_before:
            return Window(start, end, deadline)
        probe = start - ONE_DAY
    return None


def report_owed(
    window: Window, *, assigned_on: dt.date | None, last_report_on: dt.date | None
) -> bool:
    """Does the lead unit still owe this window's report? Not when the task came too late
    for it (tasks.cycles: a week's grace before the first deadline) or a report was made
    since the window began."""
    if assigned_on is None or (window.deadline - assigned_on).days < FIRST_REPORT_GRACE_DAYS:
        return False
    return last_report_on is None or last_report_on < window.start


class DueMatcher:
    """Which due-date rungs of a ladder fall on `today`, per raw due date (cached)."""

    def __init__(self, today: dt.date, cal: WorkCalendar):
        self.today = today
        self.cal = cal
        self._bounds: dict[tuple[int, bool], tuple[dt.date | None, dt.date]] = {}
        self._cache: dict[tuple[str, dt.date], list[tuple[Rung, dt.date]]] = {}

    def _bounds_for(self, rung: Rung) -> tuple[dt.date | None, dt.date]:
        key = (rung.offset, rung.repeat_daily)
        if key not in self._bounds:
            day = anchor_for_today(rung.offset, self.today, self.cal)
            if rung.repeat_daily:  # every anchor up to `day` has reached the rung
                self._bounds[key] = (None, day)
            else:
                self._bounds[key] = deadlines_anchored_at(day, self.cal)
        return self._bounds[key]

    def match(self, ladder_key: str, rungs: tuple[Rung, ...], due: dt.date):
        """[(rung, anchor)] of the due-date rungs that fall today for a task due `due`."""
        cache_key = (ladder_key, due)
        found = self._cache.get(cache_key)
        if found is None:
            found = []
            for rung in rungs:
                if rung.relative_to != RelativeTo.DUE:
                    continue
                lo, hi = self._bounds_for(rung)
                if due <= hi and (lo is None or due > lo):
                    found.append((rung, anchor(due, self.cal)))
            self._cache[cache_key] = found
        return found


class ReportMatcher:
    """Which report-deadline rungs of a ladder fall on `today`, per report cycle: the window
    each concerns (cached). Whether the unit still owes the report is asked per task."""

    def __init__(self, today: dt.date, cal: WorkCalendar):
        self.today = today
        self.cal = cal
        self._cache: dict[tuple, list[tuple[Rung, Window]]] = {}

    def match(self, ladder_key: str, rungs: tuple[Rung, ...], cycle: str, report_day):
        if cycle in ("", "none"):
            return []
        cache_key = (ladder_key, cycle, report_day)
        found = self._cache.get(cache_key)
        if found is None:
            found = []
            for rung in rungs:
                if rung.relative_to != RelativeTo.REPORT:
                    continue
                day = anchor_for_today(rung.offset, self.today, self.cal)
                window = latest_window(cycle, day, self.cal, report_day)
                if window is None:
                    continue
                if rung.repeat_daily or window.deadline == day:
                    found.append((rung, window))
            self._cache[cache_key] = found
        return found
