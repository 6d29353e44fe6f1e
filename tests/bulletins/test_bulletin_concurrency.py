"""Bulletins issued at the same time from several threads get consecutive numbers, no gap and
no duplicate (as 督办单 do) — on SQLite and on PostgreSQL alike (real connections, committed
transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from luoshi.bulletins.models import Bulletin, BulletinState
from luoshi.bulletins.services import bulletin_generate, bulletin_issue
from luoshi.lib import clock
from tests.bulletins.conftest import NOV_1, NOV_30, TODAY, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(targets) -> list[BaseException]:
    """Start every target at once (a barrier), each in its own thread and connection."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def wrap(target):
        def run():
            try:
                start.wait()
                target()
            except BaseException as exc:  # collected and asserted on below
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


def test_bulletins_issued_at_once_are_numbered_without_gap_or_duplicate():
    world = build_world(tasks=False)
    with clock.pinned_today(TODAY):
        drafts = [
            bulletin_generate(actor=world.sup, date_from=NOV_1, date_to=NOV_30) for _ in range(8)
        ]

    def issuer(bulletin):
        def run():
            with clock.pinned_today(TODAY):
                bulletin_issue(actor=world.sup, bulletin=bulletin)

        return run

    # each draft twice at once: one of the two wins, the other is told it is issued already
    errors = run_together([issuer(b) for b in drafts * 2])
    assert len(errors) == 8
    assert {str(e.messages[0]).endswith("已印发，不能再修改或重复印发。") for e in errors} == {True}
    assert sorted(Bulletin.objects.values_list("seq", flat=True)) == list(range(1, 9))
    assert set(Bulletin.objects.values_list("state", flat=True)) == {BulletinState.ISSUED}
