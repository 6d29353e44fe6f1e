"""What each role's 工作台 (home page) shows. One builder per role; each list is bounded and
each count comes with the ledger link that lists exactly what it counts."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from luoshi.access import policy
from luoshi.org.models import Role, Unit, User
from luoshi.tasks import queries
from luoshi.tasks.models import Light, TaskState
from luoshi.workcal.services import WorkCalendar

LIST_SIZE = 15


def ledger_url(**params) -> str:
    """A link to the ledger filtered by `params` (None and "" are left out)."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    query = urlencode(clean)
    return reverse("tasks:list") + (f"?{query}" if query else "")


def _light_cards(counts: dict[str, int], **params) -> list[dict]:
    return [
        {
            "light": light,
            "label": Light(light).label,
            "count": counts[light],
            "url": ledger_url(light=light, **params),
        }
        for light in ("red", "yellow", "green", "blue")
    ]


def _bounded(qs, size: int = LIST_SIZE) -> tuple[list, bool]:
    rows = list(qs[: size + 1])
    return rows[:size], len(rows) > size


def _deadline_lists(visible, today: dt.date, cal: WorkCalendar, **params) -> dict:
    overdue, overdue_more = _bounded(queries.overdue(visible, today).select_related("lead_unit"))
    soon, soon_more = _bounded(queries.due_soon(visible, today, cal).select_related("lead_unit"))
    last_soon = queries.due_soon_before(today, cal) - dt.timedelta(days=1)
    return {
        "overdue": overdue,
        "overdue_more": overdue_more,
        "overdue_url": ledger_url(
            state=queries.OPEN, due_to=today - dt.timedelta(days=1), sort="due", **params
        ),
        "due_soon": soon,
        "due_soon_more": soon_more,
        "due_soon_url": ledger_url(
            state=queries.OPEN, due_from=today, due_to=last_soon, sort="due", **params
        ),
        "due_soon_days": queries.due_soon_days(),
    }


def unit_home(user, today: dt.date) -> dict:
    """联络员 / 单位负责人: what the unit must do now."""
    cal = WorkCalendar()
    visible = policy.visible_tasks(user)
    acks, acks_more = _bounded(queries.awaiting_ack(user))
    due = queries.report_due(user, today=today, cal=cal)
    returned, returned_more = _bounded(queries.returned_to_unit(user))
    awaiting_head, awaiting_head_more = _bounded(queries.closure_awaiting_head(user))
    return {
        "awaiting_head": awaiting_head,
        "awaiting_head_more": awaiting_head_more,
        "acks": acks,
        "acks_more": acks_more,
        "acks_url": ledger_url(todo="ack"),
        "reports_due": due[:LIST_SIZE],
        "reports_due_more": len(due) > LIST_SIZE,
        "reports_due_count": len(due),
        "reports_due_url": ledger_url(todo="report"),
        "returned": returned,
        "returned_more": returned_more,
        "returned_url": ledger_url(todo="returned"),
        "light_cards": _light_cards(queries.light_counts(visible)),
        **_deadline_lists(visible, today, cal),
    }


UNITS_SIZE = 30  # units on the office's 工作台, laggards first (a province has 2,000)


def _units_with_links(user, size: int) -> tuple[list[dict], int]:
    """The first `size` lead units by lights, with their ledger links; and how many in all."""
    everyone = queries.lights_by_lead_unit(user)
    units = everyone[:size]
    for row in units:
        row["urls"] = {
            light: ledger_url(unit=row["unit_id"], unit_role="lead", light=light)
            for light in ("red", "yellow", "green", "blue")
        }
        row["url"] = ledger_url(unit=row["unit_id"], unit_role="lead")
    return units, len(everyone)


def supervisor_home(user, today: dt.date) -> dict:
    """督查室: lights by unit and by source, what is late or nearly so, what awaits review."""
    cal = WorkCalendar()
    visible = policy.visible_tasks(user)
    units, unit_count = _units_with_links(user, UNITS_SIZE)
    source_counts = queries.lights_by_source(user)
    sources = list(
        policy.visible_sources(user)
        .filter(pk__in=list(source_counts))
        .order_by("-issued_on", "-id")[:LIST_SIZE]
    )
    for source in sources:
        source.counts = source_counts[source.pk]
        source.urls = {
            light: ledger_url(source=source.pk, light=light)
            for light in ("red", "yellow", "green", "blue")
        }
    pending, pending_more = _bounded(queries.closure_pending(visible).select_related("lead_unit"))
    return {
        "light_cards": _light_cards(queries.light_counts(visible)),
        "units": units,
        "units_more": unit_count - len(units),
        "sources": sources,
        "sources_more": len(source_counts) > LIST_SIZE,
        "pending": pending,
        "pending_more": pending_more,
        "pending_url": ledger_url(state=TaskState.CLOSURE_REQUESTED),
        **_deadline_lists(visible, today, cal),
    }


def leader_home(user, today: dt.date) -> dict:
    """领导: the overview of their scope, their own portfolio and what is late."""
    cal = WorkCalendar()
    visible = policy.visible_tasks(user)
    mine = (
        visible.filter(lead_leader=user).exclude(state=TaskState.DRAFT).select_related("lead_unit")
    )
    portfolio, portfolio_more = _bounded(queries.ledger_order(mine, "light"), size=LIST_SIZE)
    return {
        "light_cards": _light_cards(queries.light_counts(visible)),
        "portfolio": portfolio,
        "portfolio_more": portfolio_more,
        "portfolio_cards": _light_cards(queries.light_counts(mine), leader=user.pk),
        "portfolio_url": ledger_url(leader=user.pk, sort="light"),
        "lagging_units": [u for u in _units_with_links(user, 10)[0] if u["red"] or u["yellow"]],
        **_deadline_lists(visible, today, cal),
    }


def sysadmin_home(user, today: dt.date) -> dict:
    return {
        "unit_count": Unit.objects.filter(is_active=True).count(),
        "inactive_unit_count": Unit.objects.filter(is_active=False).count(),
        "user_count": User.objects.filter(is_active=True).count(),
        "inactive_user_count": User.objects.filter(is_active=False).count(),
    }


def secadmin_home(user, today: dt.date) -> dict:
    """安全管理员: who holds which role (no business content)."""
    counts = dict(
        User.objects.filter(is_active=True).values_list("role").annotate(n=Count("pk")).order_by()
    )
    privileged = {Role.SUPERVISOR, Role.LEADER, Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
    holders = (
        User.objects.filter(is_active=True, role__in=privileged)
        .select_related("unit")
        .order_by("role", "full_name", "username")
    )
    by_role: dict[str, list] = {}
    for account in holders:
        by_role.setdefault(account.role, []).append(account)
    return {
        "roles": [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "holders": by_role.get(value),
            }
            for value, label in Role.choices
        ]
    }
