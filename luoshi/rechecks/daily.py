"""The re-checks' daily step (回头看到期): every scheduled re-check whose date has come becomes
due, and the lead unit is told to answer.

Idempotent: each re-check is claimed by a conditional UPDATE (state scheduled → due) inside
the transaction that also writes its notification; a second run, a restart or a second
worker finds it no longer scheduled and does nothing. The notification carries a dedupe key
as well. A day the worker missed is caught up by the next run (due_on <= today).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.extensions.services import unit_people
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.rechecks.models import Recheck, RecheckState


def run_daily(*, today: dt.date) -> dict[str, int]:
    """Mark the re-checks due on or before `today`; returns {"rechecks_due": n}."""
    marked = 0
    with clock.pinned_today(today):
        candidates = list(
            Recheck.objects.filter(state=RecheckState.SCHEDULED, due_on__lte=today)
            .order_by("due_on", "id")
            .values_list("pk", flat=True)
        )
        for pk in candidates:
            with transaction.atomic():
                claimed = Recheck.objects.filter(pk=pk, state=RecheckState.SCHEDULED).update(
                    state=RecheckState.DUE, became_due_on=today
                )
                if not claimed:
                    continue
                recheck = Recheck.objects.select_related("task").get(pk=pk)
                task = recheck.task
                notify(
                    recipients=unit_people(task, recheck.unit_id),
                    kind=NotificationKind.RECHECK,
                    title=_("回头看到期，请反馈落实情况：%(code)s %(title)s")
                    % {"code": task.code, "title": task.title},
                    body=recheck.note or _("请说明办结成果是否持续有效，并附佐证材料。"),
                    task=task,
                    url=reverse("rechecks:detail", args=[pk]),
                    dedupe_key=f"recheck:{pk}:due",
                )
                marked += 1
    return {"rechecks_due": marked}
