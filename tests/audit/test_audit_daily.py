"""The daily chain check: silent when intact; on a break, an audit row and one notice a day
in each audit administrator's inbox (nobody else's)."""

from __future__ import annotations

from luoshi.audit.jobs import audit_verify_daily
from luoshi.audit.models import AuditEvent
from luoshi.notifications.models import Notification
from luoshi.org.models import Role, User


def test_intact_chain_notifies_nobody(chain_of_five, auditor):
    assert audit_verify_daily.call_local() == {"rows": 5, "breaks": 0}
    assert not Notification.objects.exists()


def test_a_break_reaches_the_auditors_once_a_day(chain_of_five, auditor, tamper):
    User.objects.create_user("sys", password="pw-Secret-2026", role=Role.SYSADMIN)
    User.objects.create_user("aud2", password="pw-Secret-2026", role=Role.AUDITOR, is_active=False)
    tamper("UPDATE audit_auditevent SET ip = '6.6.6.6' WHERE id = %s", [chain_of_five[2].id])
    summary = audit_verify_daily.call_local()
    assert summary["breaks"] == 1
    note = Notification.objects.get()
    assert note.recipient == auditor
    assert "校验未通过" in note.title and f"id={chain_of_five[2].id}" in note.body
    failed = AuditEvent.objects.get(action="audit.verify_failed")
    assert failed.data["breaks"] == 1
    audit_verify_daily.call_local()  # again the same day
    assert Notification.objects.count() == 1


def test_the_daily_check_can_be_turned_off(chain_of_five, auditor, tamper, settings):
    settings.LUOSHI_AUDIT_VERIFY_DAILY = False
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain_of_five[1].id])
    assert audit_verify_daily.call_local() == {"skipped": 1}
    assert not Notification.objects.exists()
