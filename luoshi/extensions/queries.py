"""Statistics on extensions: which tasks were extended, their original due, and whether a
closure came on time against the original due (按期), only within an extension (延期后按期) or
after the extended due too (逾期).

The original due is the `old_due` of a task's first approved extension; a task never
extended keeps its due as the original. Task.closed_late (set at 审核通过) compares with the
due in force then, i.e. the extended one; `timeliness` tells the two apart.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.extensions.models import ExtensionRequest, ExtensionState
from luoshi.tasks.models import Task, TaskState


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("按期办结")
    EXTENDED = "extended", _("延期后按期办结")
    LATE = "late", _("逾期办结")


def approved_extensions() -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(state=ExtensionState.APPROVED)


def extended_task_ids() -> QuerySet:
    """Ids of the tasks with at least one approved extension (a subquery: use it in
    `pk__in=`, or list() it)."""
    return approved_extensions().values_list("task_id", flat=True).distinct()


def is_extended() -> Exists:
    """An expression for Task querysets: True when the task has an approved extension."""
    return Exists(approved_extensions().filter(task=OuterRef("pk")))


def original_due_expr() -> Coalesce:
    """An expression for Task querysets: the due before the first approved extension."""
    first = (
        approved_extensions()
        .filter(task=OuterRef("pk"))
        .order_by("decided_at", "id")
        .values("old_due")[:1]
    )
    return Coalesce(Subquery(first), F("due"))


def with_timeliness(qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Annotate tasks with `extended`, `original_due`, `closed_on` (local date) and
    `timeliness` (a Timeliness value for a closed task, "" otherwise)."""
    qs = Task.objects.all() if qs is None else qs
    closed = Q(state=TaskState.CLOSED)
    return qs.annotate(
        extended=is_extended(),
        original_due=original_due_expr(),
        closed_on=TruncDate("closed_at", tzinfo=ZoneInfo(settings.TIME_ZONE)),
    ).annotate(
        timeliness=Case(
            When(closed & Q(due__isnull=True), then=Value(Timeliness.ON_TIME)),
            When(closed & Q(closed_on__lte=F("original_due")), then=Value(Timeliness.ON_TIME)),
            When(closed & Q(closed_on__lte=F("due")), then=Value(Timeliness.EXTENDED)),
            When(closed, then=Value(Timeliness.LATE)),
            default=Value(""),
            output_field=models.CharField(),
        )
    )


def timeliness_counts(qs: QuerySet[Task] | None = None) -> dict[str, int]:
    """How many closed tasks of `qs` closed on time, on time only thanks to an extension, or
    late: {"on_time": n, "extended": n, "late": n}."""
    counts = {t.value: 0 for t in Timeliness}
    rows = (
        with_timeliness(qs)
        .filter(state=TaskState.CLOSED)
        .values("timeliness")
        .annotate(n=models.Count("pk", distinct=True))
        .order_by()
    )
    for row in rows:
        counts[row["timeliness"]] = row["n"]
    return counts


def original_due(task: Task) -> dt.date | None:
    """The task's due before its first approved extension (its due when never extended)."""
    first = approved_extensions().filter(task=task).order_by("decided_at", "id").first()
    return first.old_due if first else task.due


def timeliness_of(closed_on: dt.date, due: dt.date | None, first_due: dt.date | None) -> str:
    """The Timeliness of a task closed on `closed_on` (local date) with `due` now and
    `first_due` before any extension: the rule `with_timeliness` writes in SQL, for callers
    that read the dates themselves."""
    if due is None:
        return Timeliness.ON_TIME
    if closed_on <= (first_due or due):
        return Timeliness.ON_TIME
    if closed_on <= due:
        return Timeliness.EXTENDED
    return Timeliness.LATE


def closure_timeliness(task: Task) -> str:
    """A Timeliness value for a closed task ("" when it is not closed)."""
    if task.state != TaskState.CLOSED or task.closed_at is None:
        return ""
    if task.due is None:
        return Timeliness.ON_TIME
    return timeliness_of(timezone.localdate(task.closed_at), task.due, original_due(task))
