"""The one clock. Every rule that depends on "today" asks here, so that scheduled work can be
run for any chosen date (`luoshi tick --today 2026-03-02`) and tests can pin the date.

Dates are calendar dates in Asia/Shanghai (settings.TIME_ZONE); datetimes are aware, UTC.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen_today: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "luoshi_frozen_today", default=None
)


def now() -> dt.datetime:
    """The current instant (aware). When the date is pinned, noon of that date, local time."""
    pinned = _frozen_today.get()
    if pinned is not None:
        local = dt.datetime.combine(pinned, dt.time(12, 0))
        return timezone.make_aware(local)
    return timezone.now()


def today() -> dt.date:
    """Today's date in the office's time zone."""
    pinned = _frozen_today.get()
    if pinned is not None:
        return pinned
    return timezone.localdate()


@contextlib.contextmanager
def pinned_today(day: dt.date) -> Iterator[dt.date]:
    """Run the block as if today were `day` (used by `luoshi tick --today`)."""
    token = _frozen_today.set(day)
    try:
        yield day
    finally:
        _frozen_today.reset(token)
