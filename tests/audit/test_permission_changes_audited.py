"""Permission changes in the org services are in the audit log with old → new: role, scope,
unit, active — and a phone number change is recorded masked."""

from __future__ import annotations

import pytest

from luoshi.audit import chain
from luoshi.audit.models import AuditEvent
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create, unit_update, user_update


@pytest.fixture
def world(db):
    secadmin = User.objects.create_user("sec", password="pw-Secret-2026", role=Role.SECADMIN)
    city = unit_create(actor=None, name="市政府", kind=UnitKind.GOVERNMENT)
    a = unit_create(actor=None, name="甲局", kind=UnitKind.DEPARTMENT, parent=city)
    b = unit_create(actor=None, name="乙局", kind=UnitKind.DEPARTMENT, parent=city)
    user = User.objects.create_user(
        "sup", password="pw-Secret-2026", role=Role.SUPERVISOR, unit=a, phone="13800000000"
    )
    return {"sec": secadmin, "city": city, "a": a, "b": b, "user": user}


def _last_changes(user):
    event = (
        AuditEvent.objects.filter(action="org.user.update", object_id=str(user.pk))
        .order_by("id")
        .last()
    )
    return event.actor, event.data["changes"]


@pytest.mark.parametrize(
    "field, new, old_text, new_text",
    [
        ("role", Role.LEADER, "supervisor", "leader"),
        ("scope_unit", "b", "", "乙局"),
        ("unit", "b", "甲局", "乙局"),
        ("is_active", False, "True", "False"),
    ],
)
def test_each_permission_change_is_audited_with_old_and_new(world, field, new, old_text, new_text):
    value = world[new] if new in ("b",) else new
    user_update(actor=world["sec"], user=world["user"], **{field: value})
    actor, changes = _last_changes(world["user"])
    assert actor == world["sec"]
    assert changes[field][0].endswith(old_text) or changes[field][0] == old_text
    assert new_text in changes[field][1]
    assert chain.verify_database().ok


def test_a_phone_change_is_recorded_masked(world):
    user_update(actor=world["sec"], user=world["user"], phone="13900000000")
    _actor, changes = _last_changes(world["user"])
    assert changes == {"phone": "***"}
    assert "1390000" not in str(AuditEvent.objects.values_list("data", flat=True))


def test_deactivating_a_unit_is_audited(world):
    unit_update(actor=world["sec"], unit=world["b"], is_active=False)
    event = AuditEvent.objects.filter(action="org.unit.update").order_by("id").last()
    assert event.data["changes"]["is_active"] == ["True", "False"]
