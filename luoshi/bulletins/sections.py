"""Two sections of a 督查通报 that come from the other systems:

- 政策兑现情况 (`policy_delivery`): the policies whose deliverables (政策兑现事项, each a task)
  are among the tasks the bulletin counts, with how many were delivered (closed by the period's
  end), delivered on time, and overdue at the period's end (past due, not closed by then; a
  suspended or cancelled one is not counted). The most lagging policies come first; at most
  BULLETIN_POLICY_ROWS are listed, the totals cover all of them.
- 考核得分与排名 (`unit_rankings`): the latest *published* (frozen) evaluation period that ended
  within the bulletin's period, each ranking group's first and last BULLETIN_RANKING_ROWS units
  (the whole group when it is small), with the rank each held the period before. A draft
  period is never published through a bulletin. Only the scores the reader may read are shown
  (access.evaluation.visible_scores): a scoped leader's bulletin ranks the units in scope, with
  the ranks they hold among all the units.

Both return plain JSON-able dicts for the bulletin's snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet

from luoshi.bulletins.conf import conf
from luoshi.tasks.models import OPEN_STATES, Task, TaskState


def rate(good: int, total: int) -> float | None:
    """good / total as a percentage with one decimal; None when there is nothing to count."""
    return round(100.0 * good / total, 1) if total else None


def policy_delivery(tasks: QuerySet[Task], date_to: dt.date, period_end: dt.datetime) -> dict:
    """政策兑现: see the module's text. `period_end`: the instant after the period."""
    from luoshi.policies.models import PolicyDeliverable

    rows = (
        PolicyDeliverable.objects.filter(task__in=tasks)
        .exclude(task__state__in=(TaskState.CANCELLED,))
        .values_list(
            "policy_id",
            "policy__title",
            "policy__doc_number",
            "task__state",
            "task__closed_at",
            "task__closed_late",
            "task__due",
            "task__ongoing",
        )
        .order_by()
    )
    per: dict[int, dict] = defaultdict(
        lambda: {"total": 0, "delivered": 0, "on_time": 0, "overdue": 0}
    )
    names: dict[int, tuple[str, str]] = {}
    for pid, title, doc_number, state, closed_at, late, due, ongoing in rows:
        names[pid] = (title, doc_number)
        p = per[pid]
        p["total"] += 1
        if state == TaskState.CLOSED and closed_at is not None and closed_at < period_end:
            p["delivered"] += 1
            if not late:
                p["on_time"] += 1
        elif (
            not ongoing
            and due is not None
            and due < date_to
            and (state in OPEN_STATES or state == TaskState.CLOSED)
        ):
            p["overdue"] += 1
    items = [
        {
            "title": names[pid][0],
            "doc_number": names[pid][1],
            **p,
            "rate": rate(p["delivered"], p["total"]),
        }
        for pid, p in per.items()
    ]
    items.sort(key=lambda r: (-r["overdue"], r["rate"] or 0.0, r["title"]))
    limit = conf("BULLETIN_POLICY_ROWS")
    totals = {k: sum(r[k] for r in items) for k in ("total", "delivered", "on_time", "overdue")}
    return {
        "policies": len(items),
        **totals,
        "rate": rate(totals["delivered"], totals["total"]),
        "rows": items[:limit],
        "more": max(len(items) - limit, 0),
    }


def _latest_published_period(date_from: dt.date, date_to: dt.date):
    from luoshi.evaluation.models import EvaluationPeriod, PeriodState

    return (
        EvaluationPeriod.objects.filter(
            state=PeriodState.FROZEN, end__gte=date_from, end__lte=date_to
        )
        .order_by("-end", "-id")
        .first()
    )


def unit_rankings(scores: QuerySet | None, date_from: dt.date, date_to: dt.date) -> dict | None:
    """考核得分与排名 (see the module's text); None when no published period ended within the
    bulletin's period. `scores`: the UnitScore rows the reader may read (None: every one)."""
    from luoshi.evaluation.models import UnitScore

    period = _latest_published_period(date_from, date_to)
    if period is None:
        return None
    qs = UnitScore.objects.all() if scores is None else scores
    rows = (
        qs.filter(period=period)
        .values_list("group", "group_order", "rank", "unit__name", "score", "prev_rank")
        .order_by("group_order", "group", "rank", "unit__name")
    )
    groups: dict[str, dict] = {}
    for group, order, rank, unit, score, prev_rank in rows:
        g = groups.setdefault(group, {"name": group, "order": order, "rows": []})
        g["rows"].append(
            {
                "rank": rank,
                "unit": unit,
                "score": f"{score:.2f}",
                "prev_rank": prev_rank,
                "change": (prev_rank - rank) if prev_rank else None,
            }
        )
    n = conf("BULLETIN_RANKING_ROWS")
    out = []
    for g in sorted(groups.values(), key=lambda g: (g["order"], g["name"])):
        listed = g["rows"]
        whole = len(listed) <= 2 * n
        out.append(
            {
                "name": g["name"],
                "count": len(listed),
                "top": listed if whole else listed[:n],
                "bottom": [] if whole else listed[-n:],
            }
        )
    return {
        "period": period.name,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "published_on": period.frozen_at.date().isoformat() if period.frozen_at else "",
        "rows_each_end": n,
        "groups": out,
    }
