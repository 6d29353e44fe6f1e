"""Settings for the test suite: the production settings with fast hashing and plain static
file storage (no collectstatic manifest needed)."""

import os

from luoshi.lib.cache_conf import cache_settings
from luoshi.settings import *  # noqa: F403
from luoshi.settings import HUEY, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Jobs run at once, in the caller, on an in-memory queue: no consumer needed in tests.
HUEY = {**HUEY, "immediate": True}
# One process: its memory is the cache (query counts asserted by the tests stay those of the
# pages, not of the cache's table), unless LUOSHI_CACHE_URL names a shared one (a server of
# several processes started on these settings needs one: luoshi/lib/cache_conf.py).
CACHES = cache_settings(cache_url=os.environ.get("LUOSHI_CACHE_URL") or "locmem://")
# The suite empties the database between transactional tests: let `flush` past the audit
# log's append-only triggers (luoshi/audit/management/commands/flush.py). Never in production.
LUOSHI_AUDIT_ALLOW_FLUSH = True
# The older tests log in with force_login or a password alone: no second factor and no forced
# password change unless a test turns them on (tests/security).
LUOSHI_ENFORCE_TOTP = False
LUOSHI_ENFORCE_PASSWORD_CHANGE = False
