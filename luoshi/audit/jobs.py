"""The daily check of the audit chain (on unless LUOSHI_AUDIT_VERIFY_DAILY=0): at 03:00
Asia/Shanghai the whole chain is walked; a break is recorded and every active audit
administrator finds it in the inbox (once a day)."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from luoshi.audit.services import audit_verify_and_alert


# 19:00 UTC = 03:00 Asia/Shanghai (the queue's schedule is in UTC)
@db_periodic_task(crontab(minute="0", hour="19"))
def audit_verify_daily() -> dict:
    if not settings.LUOSHI_AUDIT_VERIFY_DAILY:
        return {"skipped": 1}
    return audit_verify_and_alert()
