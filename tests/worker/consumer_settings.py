"""Settings for the worker processes the fault tests start: the production settings on the
test database (LUOSHI_TEST_DB_NAME) with a real queue in a file (LUOSHI_TEST_QUEUE)."""

import os

from luoshi.settings import *  # noqa: F403
from luoshi.settings import DATABASES, HUEY

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["LUOSHI_TEST_DB_NAME"]}}
HUEY = {
    **{k: v for k, v in HUEY.items() if k != "url"},
    "huey_class": "huey.SqliteHuey",
    "filename": os.environ.get("LUOSHI_TEST_QUEUE", os.devnull),
    "immediate": False,
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
