"""Settings of the processes the scale-out test starts (gunicorn workers, huey consumers, the
seed and digest helpers): the production settings (luoshi/settings.py: the database cache by
default, LUOSHI_CACHE_URL and LUOSHI_QUEUE_URL from the environment) with fast password hashing,
plain static files, e-mail written to files (one per message, LUOSHI_TEST_MAIL_DIR) and the
queue and cache named after the run (LUOSHI_TEST_RUN) so two runs never share keys."""

import os

from luoshi.settings import *  # noqa: F403
from luoshi.settings import CACHES, HUEY, STORAGES

RUN = os.environ["LUOSHI_TEST_RUN"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["LUOSHI_TEST_MAIL_DIR"]
HUEY = {**HUEY, "name": f"luoshi-{RUN}"}
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": f"luoshi-{RUN}"}}
