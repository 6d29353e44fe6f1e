"""Fuzzing (docs/RELIABILITY.md): a modest number of examples in the normal suite,
FUZZ_EXAMPLES=<n> (make fuzz) for long runs. The API fuzzing uses the API tests' world
(tests/access/conftest.py: one task in each state, a person in each place)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from tests.api.conftest import login, today, world  # noqa: F401

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)


def fuzz_settings(default: int):
    """Hypothesis settings for one property: `default` examples, or FUZZ_EXAMPLES."""
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
