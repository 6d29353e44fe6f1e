"""How far each policy has been delivered (政策兑现): figures over the deliverables a user
sees, computed in a fixed number of queries however many policies there are.

  total        deliverables, not counting cancelled ones (撤销: no longer promised)
  closed       已办结; on_time: closed, not late (closed_late is false)
  share        closed / total; share_on_time: closed on time / total
  overdue      open (or not yet assigned) past their due date as of `today`
  started      signed for, reported on, or closed: past 起草 and 已交办 or with progress
  indicators   quantitative promises: current / target, each capped at 100 %, averaged
  verdict      "none" no deliverable, "idle" none started, "late" some overdue,
               "landing" otherwise, "done" all closed
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from luoshi.access import policy as access
from luoshi.policies.models import Policy, PolicyDeliverable
from luoshi.tasks.models import Indicator, Light, TaskState

NOT_STARTED_STATES = (TaskState.DRAFT, TaskState.ASSIGNED)
VERDICTS = {
    "none": _("无兑现事项"),
    "idle": _("尚未启动"),
    "late": _("有逾期"),
    "landing": _("推进中"),
    "done": _("全部兑现"),
}


@dataclass
class Delivery:
    total: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0
    started: int = 0
    cancelled: int = 0
    by_state: Counter = field(default_factory=Counter)
    by_light: Counter = field(default_factory=Counter)
    indicator_ratios: list[Decimal] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.closed / self.total if self.total else 0.0

    @property
    def share_on_time(self) -> float:
        return self.on_time / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def percent_on_time(self) -> int:
        return round(self.share_on_time * 100)

    @property
    def indicator_percent(self) -> int | None:
        if not self.indicator_ratios:
            return None
        return round(float(sum(self.indicator_ratios) / len(self.indicator_ratios)) * 100)

    @property
    def verdict(self) -> str:
        if not self.total:
            return "none"
        if self.closed == self.total:
            return "done"
        if not self.started:
            return "idle"
        if self.overdue:
            return "late"
        return "landing"

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])

    @property
    def bar_light(self) -> str:
        """The colour of the delivery bar: blue all done, red some overdue, green under way."""
        return {"done": "blue", "late": "red", "landing": "green"}.get(self.verdict, "")

    @property
    def is_paper(self) -> bool:
        """No deliverable, or none started: a policy on paper only."""
        return self.verdict in ("none", "idle")

    def states(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.by_state[s.value]) for s in TaskState if self.by_state[s]]

    def lights(self) -> list[tuple[str, str, int]]:
        return [
            (c.value, c.label, self.by_light[c.value])
            for c in (Light.GREEN, Light.YELLOW, Light.RED, Light.BLUE)
            if self.by_light[c.value]
        ]


def indicator_ratio(ind: Indicator) -> Decimal | None:
    """current / target of one indicator, from the baseline when there is one, in [0, 1]."""
    if ind.target is None or ind.current is None:
        return Decimal(0) if ind.target else None
    base = ind.baseline or Decimal(0)
    span = ind.target - base
    if span == 0:
        return Decimal(1) if ind.current >= ind.target else Decimal(0)
    ratio = (ind.current - base) / span
    return max(Decimal(0), min(Decimal(1), ratio))


def _add(d: Delivery, task, today: dt.date) -> None:
    if task.state == TaskState.CANCELLED:
        d.cancelled += 1
        return
    d.total += 1
    d.by_state[task.state] += 1
    if task.light:
        d.by_light[task.light] += 1
    if task.state == TaskState.CLOSED:
        d.closed += 1
        if not task.closed_late:
            d.on_time += 1
    elif task.due is not None and task.due < today and task.state != TaskState.SUSPENDED:
        d.overdue += 1
    if task.state not in NOT_STARTED_STATES or task.progress:
        d.started += 1


def visible_deliverables(user, policies=None):
    qs = access.visible_deliverables(user).select_related("task", "task__lead_unit", "policy")
    if policies is not None:
        qs = qs.filter(policy__in=policies)
    return qs.order_by("policy_id", "number")


def deliveries(user, policies, *, today: dt.date) -> dict[int, Delivery]:
    """Delivery per policy id, over the deliverables this user sees (3 queries)."""
    ids = [p.pk for p in policies]
    result = {pk: Delivery() for pk in ids}
    rows = list(
        access.visible_deliverables(user)
        .filter(policy_id__in=ids)
        .values_list(
            "policy_id",
            "task_id",
            "task__state",
            "task__light",
            "task__closed_late",
            "task__due",
            "task__progress",
        )
    )
    task_policy = {}
    for policy_id, task_id, state, light, late, due, progress in rows:
        task = _Row(state, light, late, due, progress)
        _add(result[policy_id], task, today)
        if state != TaskState.CANCELLED:
            task_policy[task_id] = policy_id
    for ind in Indicator.objects.filter(task_id__in=list(task_policy)).only(
        "task_id", "baseline", "target", "current"
    ):
        ratio = indicator_ratio(ind)
        if ratio is not None:
            result[task_policy[ind.task_id]].indicator_ratios.append(ratio)
    return result


@dataclass
class _Row:
    state: str
    light: str
    closed_late: bool
    due: dt.date | None
    progress: int


def policy_rows(user, *, today: dt.date, policies=None, sort: str = "share") -> list[Policy]:
    """The policies this user sees, each with `.delivery`, sorted: "share" (least delivered
    first: what is paper shows on top), "-share", "issued" (newest first), "title"."""
    qs = access.visible_policies(user) if policies is None else policies
    items = list(qs.select_related("superseded_by"))
    figures = deliveries(user, items, today=today)
    for p in items:
        p.delivery = figures[p.pk]
    keys = {
        "share": lambda p: (p.delivery.total > 0, p.delivery.share, p.delivery.started, p.pk),
        "-share": lambda p: (-p.delivery.share, -p.delivery.total, p.pk),
        "issued": lambda p: (-p.issued_on.toordinal(), -p.pk),
        "title": lambda p: (p.title, p.pk),
    }
    items.sort(key=keys.get(sort, keys["share"]))
    return items


def by_category(items: list[Policy]) -> list[dict]:
    """Delivered share by category, for the chart: closed / total over each category."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in items:
        key = p.category or str(_("未分类"))
        totals[key][0] += p.delivery.closed
        totals[key][1] += p.delivery.total
        totals[key][2] += p.delivery.on_time
    return [
        {
            "category": key,
            "closed": closed,
            "total": total,
            "percent": round(closed * 100 / total) if total else 0,
            "percent_on_time": round(on_time * 100 / total) if total else 0,
        }
        for key, (closed, total, on_time) in sorted(totals.items())
    ]


def deliverable_rows(user, policy: Policy) -> list[PolicyDeliverable]:
    """The policy's deliverables this user sees, with their task, lead unit and indicators."""
    return list(
        access.visible_deliverables(user)
        .filter(policy=policy)
        .select_related("task", "task__lead_unit", "task__owner")
        .prefetch_related("task__indicators", "task__assignments__unit")
        .order_by("number")
    )


def overdue(deliverable: PolicyDeliverable, today: dt.date) -> bool:
    t = deliverable.task
    return (
        t.state not in (TaskState.CLOSED, TaskState.CANCELLED, TaskState.SUSPENDED)
        and t.due is not None
        and t.due < today
    )
