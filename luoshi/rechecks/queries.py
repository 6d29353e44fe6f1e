"""The 回头看 list: what each status filter means.

A re-check is 逾期未反馈 (overdue) when it is due and the lead unit has not answered within
ANSWER_WORKING_DAYS working days of its date: the unit is told on that day, and the office
chases what is still unanswered two working weeks later."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import pgettext_lazy

from luoshi.rechecks.models import OPEN_RECHECK_STATES, Recheck, RecheckState
from luoshi.workcal.services import WorkCalendar

ANSWER_WORKING_DAYS = 10


class RecheckStatus(models.TextChoices):
    """The list's filter: the states, with 逾期未反馈 among the due and 已完成 for both
    verdicts."""

    SCHEDULED = "scheduled", pgettext_lazy("recheck filter", "已安排")
    DUE = "due", pgettext_lazy("recheck filter", "待反馈")
    OVERDUE = "overdue", pgettext_lazy("recheck filter", "逾期未反馈")
    SUBMITTED = "submitted", pgettext_lazy("recheck filter", "待核验")
    DONE = "done", pgettext_lazy("recheck filter", "已完成")
    CANCELLED = "cancelled", pgettext_lazy("recheck filter", "已取消")


def overdue_before(today: dt.date, cal: WorkCalendar | None = None) -> dt.date:
    """A due re-check dated before this day is overdue today."""
    return (cal or WorkCalendar()).add_working_days(today, -ANSWER_WORKING_DAYS)


def is_overdue(recheck: Recheck, today: dt.date, cal: WorkCalendar | None = None) -> bool:
    return recheck.state == RecheckState.DUE and recheck.due_on < overdue_before(today, cal)


def rechecks_with_status(qs: QuerySet[Recheck], status: str, today: dt.date) -> QuerySet[Recheck]:
    """`qs` narrowed to one status of the filter (all of it for an unknown one)."""
    if status == RecheckStatus.OVERDUE:
        return qs.filter(state=RecheckState.DUE, due_on__lt=overdue_before(today))
    if status == RecheckStatus.DONE:
        return qs.filter(state__in=(RecheckState.CONFIRMED, RecheckState.FAILED))
    if status in RecheckStatus.values:
        return qs.filter(state=status)
    return qs


def rechecks_in_list_order(qs: QuerySet[Recheck]) -> QuerySet[Recheck]:
    """What needs someone first (待核验, then 待反馈, then 已安排, each earliest date first),
    then the finished ones, latest first."""
    rank = Case(
        When(state=RecheckState.SUBMITTED, then=Value(0)),
        When(state=RecheckState.DUE, then=Value(1)),
        When(state=RecheckState.SCHEDULED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    # open ones by date ascending (the rest have no key here), then the rest latest first
    return qs.annotate(list_rank=rank).order_by(
        "list_rank",
        Case(When(state__in=OPEN_RECHECK_STATES, then="due_on")).asc(nulls_last=True),
        "-due_on",
        "-id",
    )
