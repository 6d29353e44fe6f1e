"""The security policy: defaults, the 等保 floor, edited by the 安全管理员 only, audited with
old → new; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.security.models import SecurityPolicy
from luoshi.security.services.policy import POLICY_FIELDS, policy_update, security_policy


def form_data(**changes) -> dict:
    policy = security_policy()
    data = {f: getattr(policy, f) for f in POLICY_FIELDS}
    data.update(changes)
    if not data["totp_for_all"]:
        data.pop("totp_for_all")
    return data


def test_defaults(db):
    policy = security_policy()
    assert (policy.min_length, policy.char_classes, policy.expiry_days) == (10, 3, 90)
    assert (policy.account_max_failures, policy.address_max_failures) == (5, 20)
    assert (policy.lockout_minutes, policy.idle_timeout_minutes) == (15, 30)
    assert policy.totp_for_all is False


def test_update_is_audited_old_to_new(w):
    policy_update(actor=w.secadmin, min_length=12, expiry_days=60)
    event = AuditEvent.objects.get(action="security.policy.update")
    assert event.actor_id == w.secadmin.pk
    assert event.data == {"changes": {"min_length": [10, 12], "expiry_days": [90, 60]}}
    assert security_policy().min_length == 12


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_length", 7, "不少于 8 位"),
        ("char_classes", 1, "至少两类字符"),
        ("account_max_failures", 0, "不能关闭锁定"),
        ("lockout_minutes", 0, "不能关闭锁定"),
        ("idle_timeout_minutes", 31, "不超过 30 分钟"),
        ("expiry_days", 400, "180"),
    ],
)
def test_a_policy_below_the_floor_is_refused(w, field, value, message):
    with pytest.raises(ValidationError) as exc:
        policy_update(actor=w.secadmin, **{field: value})
    assert message in str(exc.value.message_dict[field])
    assert getattr(security_policy(), field) != value
    assert not AuditEvent.objects.filter(action="security.policy.update").exists()


def test_the_secadmin_edits_the_policy_page(client, w):
    client.force_login(w.secadmin)
    assert client.get(reverse("security:policy")).status_code == 200
    response = client.post(reverse("security:policy"), form_data(min_length=14, totp_for_all=True))
    assert response.status_code == 302
    policy = SecurityPolicy.objects.get(pk=1)
    assert policy.min_length == 14 and policy.totp_for_all is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_length": 6}, "不少于 8 位"),
        ({"idle_timeout_minutes": 120}, "不超过 30 分钟"),
        ({"min_length": "十"}, "整数"),
        ({"lockout_minutes": ""}, "必填"),
    ],
)
def test_bad_input_on_the_page_changes_nothing(client, w, changes, message):
    client.force_login(w.secadmin)
    before = {f: getattr(security_policy(), f) for f in POLICY_FIELDS}
    response = client.post(reverse("security:policy"), form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    after = SecurityPolicy.objects.get(pk=1)
    assert {f: getattr(after, f) for f in POLICY_FIELDS} == before
    assert not AuditEvent.objects.filter(action="security.policy.update").exists()


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "sup", "leader", "liaison"])
def test_only_the_secadmin_reaches_the_security_pages(client, w, who):
    client.force_login(getattr(w, who))
    for name in ("security:overview", "security:policy", "security:users"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("security:policy"), form_data(min_length=20)).status_code == 403
    assert security_policy().min_length == 10


def test_wrong_method(client, w):
    client.force_login(w.secadmin)
    assert client.put(reverse("security:policy")).status_code == 405
    assert client.post(reverse("security:overview")).status_code == 405


def test_anonymous_is_sent_to_log_in(client, w):
    response = client.get(reverse("security:policy"))
    assert response.status_code == 302 and "/login/" in response["Location"]
