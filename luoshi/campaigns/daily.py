"""The campaigns' daily step (督查通知): every launched, announced inspection whose notice
date (notice_days_ahead working days before the start) has come gets its notices sent to the
supervised units that have none yet. Never for 暗访.

Idempotent: one notice per inspection and unit (a unique constraint), and the inbox message
carries a dedupe key; a day the worker missed is caught up by the next run, as long as the
inspection has not ended.
"""

from __future__ import annotations

import datetime as dt

from luoshi.campaigns.models import Inspection, InspectionState, NoticeWay
from luoshi.campaigns.services.notices import notice_date, notices_send
from luoshi.lib import clock
from luoshi.workcal.services import work_calendar


def run_daily(*, today: dt.date) -> dict[str, int]:
    """Send the notices due on or before `today`; returns {"campaign_notices": n}."""
    sent = 0
    with clock.pinned_today(today):
        calendar = work_calendar()
        candidates = Inspection.objects.filter(
            state=InspectionState.ACTIVE, unannounced=False, end_date__gte=today
        ).order_by("start_date", "pk")
        for inspection in candidates:
            due = notice_date(inspection, calendar)
            if due is None or due > today:
                continue
            if inspection.notices.count() >= inspection.subject_units.count():
                continue
            sent += len(notices_send(actor=None, inspection=inspection, way=NoticeWay.AUTO))
    return {"campaign_notices": sent}
