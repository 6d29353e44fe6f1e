"""Rate limits per client address for the public clue pages.

Counters live in Django's cache (settings.CACHES, docs/SCALE.md), one key per (scope,
address, window), created with `add` and counted with `incr`. On Redis (LUOSHI_CACHE_URL) both
are single atomic commands shared by every process. On the default database cache they are
shared too, but Django's `incr` there is a read then a write, so a burst of simultaneous hits
from one address may be under-counted by a few: the limit is approximate under bursts, exact
otherwise. LocMem (the tests) is per process. A table of our own would be exact without
Redis, but would put a write on the database for every anonymous request in any case.

Fixed windows: at most `count` hits per `seconds`, the window starting at a multiple of
`seconds`. The address is the request's REMOTE_ADDR (luoshi.lib.request_context); behind a
reverse proxy that must be the client's address, set by the proxy configuration.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from luoshi.clues.conf import conf
from luoshi.lib.request_context import client_ip

SCOPES = {
    "submit": "CLUE_RATE_SUBMIT",
    "lookup": "CLUE_RATE_LOOKUP",
    "captcha": "CLUE_RATE_CAPTCHA",
}


def _now() -> float:
    return time.time()


def hit(scope: str, address: str | None = None) -> tuple[bool, int]:
    """Count one request; (allowed, seconds until the window ends)."""
    count, seconds = conf(SCOPES[scope])
    address = address if address is not None else client_ip()
    now = _now()
    window = int(now // seconds)
    key = f"luoshi:clues:rate:{scope}:{address}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        n = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, timeout=seconds + 1)
        n = 1
    retry_after = max(1, int((window + 1) * seconds - now))
    return n <= count, retry_after
