"""Log-in, log-out and failed attempts are in the audit log, with the address, and the
chain still verifies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_verify
from luoshi.org.models import Role, User

PASSWORD = "pw-Secret-2026"


@pytest.fixture
def liaison(db):
    return User.objects.create_user("lly", password=PASSWORD, role=Role.LIAISON)


def test_login_logout_and_a_failed_attempt_are_audited(client, liaison):
    bad = client.post(reverse("login"), {"username": "lly", "password": "wrong"})
    assert bad.status_code == 200
    client.post(reverse("login"), {"username": "lly", "password": PASSWORD})
    client.post(reverse("logout"))

    events = list(AuditEvent.objects.order_by("id").values_list("action", "actor_id", "ip"))
    assert events == [
        ("auth.login_failed", None, "127.0.0.1"),
        ("auth.login", liaison.pk, "127.0.0.1"),
        ("auth.logout", liaison.pk, "127.0.0.1"),
    ]
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.data == {"username": "lly"}
    assert "wrong" not in str(failed.data)
    assert audit_verify() == []
