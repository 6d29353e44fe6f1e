"""Reliability tests: the views tests' small world (tests/views/conftest.py) for the report
form's one-time key; the crash test builds its own world in a real database file."""

from tests.views.conftest import _uploads, counts, login, today, world  # noqa: F401
