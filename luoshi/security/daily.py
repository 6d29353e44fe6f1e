"""The daily tick's security step: log-in attempts older than the retention are removed (the
audit log keeps every failure, lockout and unlock; these rows only feed the lockout count)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from luoshi.security.models import LoginAttempt

RETENTION_DAYS = 180


def run_daily(*, today: dt.date) -> dict[str, int]:
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    cutoff = start - dt.timedelta(days=RETENTION_DAYS)
    removed, _per_model = LoginAttempt.objects.filter(at__lt=cutoff).delete()
    return {"login_attempts_removed": removed}
