"""Row counts for the "nothing changed" assertions of the bad-input tests.

Log-ins are audited (auth.login and friends); a test that logs someone in between two
snapshots has not changed anything, so those events are left out of the count."""

from __future__ import annotations

from luoshi.audit.models import AuditEvent


def count_rows(models) -> dict[str, int]:
    counts = {}
    for model in models:
        qs = model.objects.all()
        if model is AuditEvent:
            qs = qs.exclude(action__startswith="auth.")
        counts[model.__name__] = qs.count()
    return counts
