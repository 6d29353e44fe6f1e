"""LUOSHI_AUDIT_RETENTION_DAYS: how long audit rows must be kept (等保 level 3: at least 180
days). Checked at start-up: a value below the floor stops Luoshi with a clear message."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

RETENTION_FLOOR_DAYS = 180


def retention_days() -> int:
    return int(getattr(settings, "LUOSHI_AUDIT_RETENTION_DAYS", RETENTION_FLOOR_DAYS))


def check_retention() -> None:
    raw = getattr(settings, "LUOSHI_AUDIT_RETENTION_DAYS", RETENTION_FLOOR_DAYS)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"LUOSHI_AUDIT_RETENTION_DAYS 必须是整数天数，现为 {raw!r}。"
        ) from None
    if days < RETENTION_FLOOR_DAYS:
        raise ImproperlyConfigured(
            f"LUOSHI_AUDIT_RETENTION_DAYS={days}：审计日志至少保存 {RETENTION_FLOOR_DAYS} 天"
            f"（等保三级要求），请设为 {RETENTION_FLOOR_DAYS} 或更大。"
        )
