"""PBKDF2 with fewer iterations, for the load test's scratch accounts only (load/settings.py)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class LoadTestPBKDF2Hasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_load"
    iterations = 10_000
