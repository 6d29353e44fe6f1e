"""Words shared by the bulletin's page and its document: the period, the default title, and
the snapshot's codes (states, lights) with their labels in the reader's language."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils.translation import gettext as _

from luoshi.tasks.models import Light, TaskState


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_text(date_from: dt.date, date_to: dt.date) -> str:
    """2026年10月, 2026年第四季度, 2026年, or 2026年10月1日至11月15日."""
    if date_from.day == 1 and date_to == _month_end(date_to):
        if date_from.year == date_to.year and date_from.month == date_to.month:
            return _("%(year)d年%(month)d月") % {"year": date_from.year, "month": date_from.month}
        if date_from.year == date_to.year and date_from.month % 3 == 1:
            if date_to.month == date_from.month + 2:
                # one string per quarter: the Chinese numeral is part of the words, so that
                # English reads "Q4 2026" rather than a Chinese numeral in an English phrase
                quarters = (
                    _("%(year)d年第一季度"),
                    _("%(year)d年第二季度"),
                    _("%(year)d年第三季度"),
                    _("%(year)d年第四季度"),
                )
                return quarters[date_from.month // 3] % {"year": date_from.year}
            if date_from.month == 1 and date_to.month == 12:
                return _("%(year)d年") % {"year": date_from.year}
    start = _("%(year)d年%(month)d月%(day)d日") % {
        "year": date_from.year,
        "month": date_from.month,
        "day": date_from.day,
    }
    if date_to.year == date_from.year:
        end = _("%(month)d月%(day)d日") % {"month": date_to.month, "day": date_to.day}
    else:
        end = _("%(year)d年%(month)d月%(day)d日") % {
            "year": date_to.year,
            "month": date_to.month,
            "day": date_to.day,
        }
    return _("%(start)s至%(end)s") % {"start": start, "end": end}


def day_text(day: dt.date) -> str:
    """2026年10月31日."""
    return _("%(year)d年%(month)d月%(day)d日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def default_title(date_from: dt.date, date_to: dt.date) -> str:
    return _("关于%(period)s重点工作任务落实情况的通报") % {
        "period": period_text(date_from, date_to)
    }


def state_label(code: str) -> str:
    try:
        return str(TaskState(code).label)
    except ValueError:
        return code


def light_label(code: str) -> str:
    if not code:
        return _("无灯")
    try:
        return str(Light(code).label)
    except ValueError:
        return code


def outcome_label(code: str) -> str:
    from luoshi.outcomes.models import OutcomeKind

    try:
        return str(OutcomeKind(code).label)
    except ValueError:
        return code


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def labelled(snapshot: dict) -> dict:
    """The snapshot with labels for its codes and its dates as dates, for templates."""
    data = dict(snapshot)
    data["date_from"] = dt.date.fromisoformat(snapshot["date_from"])
    data["date_to"] = dt.date.fromisoformat(snapshot["date_to"])
    data["as_of"] = dt.date.fromisoformat(snapshot["as_of"])
    data["period"] = period_text(data["date_from"], data["date_to"])
    data["by_state"] = [{**r, "label": state_label(r["code"])} for r in snapshot["by_state"]]
    data["by_light"] = [{**r, "label": light_label(r["code"])} for r in snapshot["by_light"]]
    units = snapshot["units"]
    data["units"] = {
        "rows": [{**r, "rate_text": rate_text(r["rate"])} for r in units["rows"]],
        "total": {**units["total"], "rate_text": rate_text(units["total"]["rate"])},
    }
    data["listed"] = [{**r, "state_label": state_label(r["state"])} for r in snapshot["listed"]]
    for key in ("outcomes_commended", "outcomes_criticised"):  # absent from older snapshots
        data[key] = [{**r, "kind_label": outcome_label(r["kind"])} for r in snapshot.get(key, [])]
    policies = snapshot.get("policies")  # absent from older snapshots
    if policies is not None:
        data["policies"] = {
            **policies,
            "rate_text": rate_text(policies["rate"]),
            "rows": [{**r, "rate_text": rate_text(r["rate"])} for r in policies["rows"]],
        }
    data["ranking"] = snapshot.get("ranking")
    return data
