"""The worker sends the outgoing webhooks every minute (luoshi.api.webhooks)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def webhooks_send() -> dict:
    from luoshi.api.webhooks import webhook_deliveries_send_due

    return webhook_deliveries_send_due()
