"""A small world for the identity tests: one unit, one account per role, the policy at its
defaults. The enforcement switches are off in the test settings (older tests log in with a
password alone); `enforce` turns them on as in production. `at(minutes)` moves the clock."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from luoshi.org.models import Role, UnitKind
from luoshi.org.services import unit_create
from tests.security.world import START, make_user


@pytest.fixture
def enforce(settings):
    settings.LUOSHI_ENFORCE_TOTP = True
    settings.LUOSHI_ENFORCE_PASSWORD_CHANGE = True
    return settings


@pytest.fixture
def at(time_machine):
    """at(minutes): move the clock to START + minutes (the clock stands still between)."""

    def move(minutes: float = 0) -> dt.datetime:
        when = START + dt.timedelta(minutes=minutes)
        time_machine.move_to(when, tick=False)
        return when

    move(0)
    return move


@pytest.fixture
def w(db):
    w = SimpleNamespace()
    w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
    w.sup = make_user("sup", Role.SUPERVISOR, w.gov)
    w.leader = make_user("leader", Role.LEADER, w.gov)
    w.liaison = make_user("liaison", Role.LIAISON, w.gov)
    w.head = make_user("head", Role.UNIT_HEAD, w.gov)
    w.sysadmin = make_user("sysadmin", Role.SYSADMIN)
    w.secadmin = make_user("secadmin", Role.SECADMIN)
    w.auditor = make_user("auditor", Role.AUDITOR)
    return w
