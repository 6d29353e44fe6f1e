"""亮灯: the light of one open task, exactly as DESIGN.md defines it.

- red (逾期): past `due`, or past an open milestone's date, or two report cycles missed;
- yellow (预警): due within N working days; or the last report cycle missed; or progress
  lagging time (elapsed share of the period − reported percent > LAG_POINTS); or a
  supervision notice unanswered past its date;
- green (正常) otherwise while open; blue (办结) when closed; no light for drafts, suspended
  and cancelled tasks.

`compute_light` is a pure function of the facts, so every rule is tested on dated scenarios
without a database. Reasons are stored as codes with parameters and rendered by
`describe_reason` in the user's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.tasks.cycles import missed_windows
from luoshi.tasks.models import Light, TaskState
from luoshi.workcal.services import WorkCalendar

SEVERITY = {Light.NONE: 0, Light.BLUE: 1, Light.GREEN: 2, Light.YELLOW: 3, Light.RED: 4}


@dataclass
class LightFacts:
    state: str
    due: dt.date | None = None
    ongoing: bool = False
    start: dt.date | None = None  # start of the period (start date, else assignment date)
    assigned_on: dt.date | None = None
    percent: int = 0
    report_cycle: str = "none"
    report_day: int | None = None
    last_report_on: dt.date | None = None
    open_milestone_dates: list[dt.date] = field(default_factory=list)
    overdue_notices: int = 0  # supervision notices unanswered past their reply date


def _thresholds() -> tuple[int, int]:
    conf = settings.LUOSHI
    return conf["DUE_SOON_WORKING_DAYS"], conf["LAG_POINTS"]


def compute_light(facts: LightFacts, today: dt.date, cal: WorkCalendar) -> tuple[str, list]:
    """Return (light, reasons) for the task described by `facts` as of `today`."""
    if facts.state == TaskState.CLOSED:
        return Light.BLUE, []
    if facts.state not in (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED):
        return Light.NONE, []

    due_soon_days, lag_points = _thresholds()
    red: list[dict] = []
    yellow: list[dict] = []

    has_due = facts.due is not None and not facts.ongoing
    if has_due and today > facts.due:
        red.append({"code": "overdue", "days": cal.working_days_between(facts.due, today)})
    late_milestones = sorted(d for d in facts.open_milestone_dates if d < today)
    if late_milestones:
        red.append({"code": "milestone_overdue", "date": late_milestones[0].isoformat()})

    missed = missed_windows(
        facts.report_cycle,
        today,
        cal,
        assigned_on=facts.assigned_on,
        last_report_on=facts.last_report_on,
        report_day=facts.report_day,
    )
    if missed >= 2:
        red.append({"code": "reports_missed", "count": missed})
    elif missed == 1:
        yellow.append({"code": "report_missed"})

    if has_due and today <= facts.due:
        remaining = cal.working_days_between(today, facts.due)
        if remaining <= due_soon_days:
            yellow.append({"code": "due_soon", "days": remaining})
        start = facts.start or facts.assigned_on
        if start is not None and start < facts.due and start <= today:
            total = cal.working_days_between(start, facts.due)
            elapsed = cal.working_days_between(start, today)
            if total > 0:
                elapsed_share = round(100 * elapsed / total)
                lag = elapsed_share - facts.percent
                if lag > lag_points:
                    yellow.append({"code": "lagging", "points": lag})

    if facts.overdue_notices:
        yellow.append({"code": "notice_unanswered", "count": facts.overdue_notices})

    if red:
        return Light.RED, red + yellow
    if yellow:
        return Light.YELLOW, yellow
    return Light.GREEN, []


def worst(*lights: str) -> str:
    return max(lights, key=lambda light: SEVERITY.get(light, 0), default=Light.NONE)


def describe_reason(reason: dict) -> str:
    """A light reason in words, in the current language."""
    code = reason.get("code")
    if code == "overdue":
        days = reason.get("days", 0)
        if days == 0:  # past its due date over rest days only (a Friday seen on Sunday)
            return _("已过完成时限（逾期未满 1 个工作日）")
        return ngettext("已逾期 %(days)d 个工作日", "已逾期 %(days)d 个工作日", days) % {
            "days": days
        }
    if code == "milestone_overdue":
        return _("时间节点 %(date)s 已过未完成") % {"date": reason.get("date")}
    if code == "reports_missed":
        count = reason.get("count", 2)
        return ngettext(
            "连续 %(count)d 个反馈周期未填报", "连续 %(count)d 个反馈周期未填报", count
        ) % {"count": count}
    if code == "report_missed":
        return _("上一反馈周期未填报")
    if code == "due_soon":
        days = reason.get("days", 0)
        if days == 0:
            return _("今日到期")
        return ngettext("%(days)d 个工作日内到期", "%(days)d 个工作日内到期", days) % {"days": days}
    if code == "lagging":
        points = reason.get("points", 0)
        return ngettext(
            "进度滞后于时间 %(points)d 个百分点", "进度滞后于时间 %(points)d 个百分点", points
        ) % {"points": points}
    if code == "notice_unanswered":
        return _("督办单逾期未回复")
    if code == "children":
        light = reason.get("light")
        if light == Light.RED:
            return _("下级任务亮红灯")
        if light == Light.YELLOW:
            return _("下级任务亮黄灯")
        return _("下级任务亮%(light)s") % {"light": Light(light).label}
    return str(code)
