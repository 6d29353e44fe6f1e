"""Settings of the server the load test starts: production settings (luoshi.settings: DEBUG
off, the SQLite options, sessions in the database) with two changes, both for this
scratch server only:

- static files from the finders (no collectstatic into the scratch data dir; locust does
  not load them anyway);
- passwords hashed with PBKDF2 at 10,000 iterations instead of Django's 1,000,000: 2,000
  log-ins at the full cost would take some 2,000 CPU-seconds on a 2-core machine shared with
  others and measure nothing but key stretching. docs/LOADTEST.md gives the cost of one
  production log-in beside the figures.
"""

from luoshi.settings import *  # noqa: F403
from luoshi.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["load.hashers.LoadTestPBKDF2Hasher"]
