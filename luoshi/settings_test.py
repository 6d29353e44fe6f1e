"""Settings for the test suite: the production settings with fast hashing and plain static
file storage (no collectstatic manifest needed)."""

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
