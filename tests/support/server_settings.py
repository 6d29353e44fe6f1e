"""Settings for a server process started by tests/support/server.py: the test settings, and
LUOSHI_SQLITE_PATH, when given, names the SQLite file (e.g. the test database pytest-django
built), keeping the project's SQLite options (WAL, IMMEDIATE, busy timeout)."""

import os

from luoshi.settings_test import *  # noqa: F403
from luoshi.settings_test import DATABASES

if os.environ.get("LUOSHI_SQLITE_PATH") and not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {**DATABASES["default"], "NAME": os.environ["LUOSHI_SQLITE_PATH"]},
    }
