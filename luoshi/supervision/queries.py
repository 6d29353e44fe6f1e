"""Read-side queries of supervision (what the lights need)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from luoshi.supervision.models import NoticeState, SupervisionNotice
from luoshi.tasks.models import OPEN_STATES

# Past this many ids the query runs over every open task instead of a long IN list.
IN_LIST_LIMIT = 5000


def overdue_notices(today: dt.date) -> QuerySet[SupervisionNotice]:
    """Issued notices still unanswered after their reply date (回复期限已过未回复)."""
    return SupervisionNotice.objects.filter(state=NoticeState.ISSUED, reply_by__lt=today)


def overdue_notice_counts(task_ids, today: dt.date) -> dict[int, int]:
    """{task id: notices unanswered past their reply date}, in one query. `task_ids` None
    or large: every open task (the daily run)."""
    qs = overdue_notices(today)
    if task_ids is None or len(task_ids) > IN_LIST_LIMIT:
        qs = qs.filter(task__state__in=OPEN_STATES)
    else:
        qs = qs.filter(task_id__in=list(task_ids))
    return dict(qs.values("task_id").annotate(n=Count("id")).values_list("task_id", "n"))
