"""Password rules: the policy's validators wherever a password is set, history, expiry after
90 days, the forced change of an administrator-set password, the change page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.org.models import Role, User
from luoshi.org.services import user_create, user_set_password
from luoshi.security.models import AccountSecurity, PasswordHistory
from luoshi.security.services.passwords import password_change, password_change_reason
from luoshi.security.services.policy import policy_update
from tests.security.world import PASSWORD, post_login


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!x", "密码太短"),
        ("abcdefgh12", "中的 3 类"),
        ("ABCDEFGHIJK", "中的 3 类"),
        ("Xliaison-2026", "不能包含登录名"),
    ],
)
def test_the_policy_refuses_weak_passwords(w, password, message):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, w.liaison)
    assert message in " ".join(exc.value.messages)


def test_a_strong_password_passes_and_the_policy_is_read_each_time(w):
    validate_password("Lu0shi-strong", w.liaison)
    policy_update(actor=w.secadmin, min_length=16)
    with pytest.raises(ValidationError, match="16"):
        validate_password("Lu0shi-strong", w.liaison)


def test_the_last_passwords_cannot_be_reused(w):
    user_set_password(actor=w.sysadmin, user=w.liaison, password="First-pass-01")
    password_change(actor=w.liaison, old_password="First-pass-01", new_password="Second-pass-02")
    with pytest.raises(ValidationError, match="最近 5 次"):
        password_change(
            actor=w.liaison, old_password="Second-pass-02", new_password="First-pass-01"
        )
    assert PasswordHistory.objects.filter(user=w.liaison).count() == 2
    # beyond the history kept, an old password is allowed again
    policy_update(actor=w.secadmin, history_count=1)
    password_change(actor=w.liaison, old_password="Second-pass-02", new_password="First-pass-01")


def test_a_new_account_and_a_reset_must_change_at_first_log_in(w):
    user = user_create(
        actor=w.sysadmin, username="newbie", password="Fresh-2026!x", role=Role.LEADER
    )
    assert AccountSecurity.objects.get(user=user).must_change_password
    assert PasswordHistory.objects.filter(user=user).count() == 1
    password_change(actor=user, old_password="Fresh-2026!x", new_password="Own-choice-77")
    assert not AccountSecurity.objects.get(user=user).must_change_password
    user_set_password(actor=w.sysadmin, user=user, password="Reset-by-adm-1")
    assert AccountSecurity.objects.get(user=user).must_change_password


def test_the_sysadmins_forms_refuse_a_weak_password_in_chinese(client, w):
    client.force_login(w.sysadmin)
    response = client.post(
        reverse("org:user_create"),
        {"username": "weak", "password": "abc12345", "full_name": "弱", "role": "leader"},
    )
    assert response.status_code == 200
    assert "中的 3 类" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()
    response = client.post(reverse("org:user_password", args=[w.liaison.pk]), {"password": "x"})
    assert "密码太短" in response.content.decode()
    w.liaison.refresh_from_db()
    assert w.liaison.check_password(PASSWORD)


def test_expiry_after_ninety_days(w, enforce, at):
    user_set_password(actor=w.sysadmin, user=w.liaison, password="Reset-by-adm-1")
    password_change(actor=w.liaison, old_password="Reset-by-adm-1", new_password="Own-choice-77")
    assert password_change_reason(w.liaison) == ""
    at(60 * 24 * 89)
    assert password_change_reason(w.liaison) == ""
    at(60 * 24 * 90)
    assert "已过期" in password_change_reason(w.liaison)
    policy_update(actor=w.secadmin, expiry_days=0)
    assert password_change_reason(w.liaison) == ""


def test_an_account_without_a_record_counts_from_date_joined(w, enforce, at):
    w.leader.date_joined = at(0) - dt.timedelta(days=91)
    w.leader.save()
    assert "已过期" in password_change_reason(w.leader)


def test_expired_password_keeps_the_user_on_the_change_page(client, w, enforce, at):
    user_set_password(actor=w.sysadmin, user=w.liaison, password="Reset-by-adm-1")
    response = post_login(client, "liaison", "Reset-by-adm-1")
    assert response["Location"] == reverse("security:password")
    # every other page leads back to the change page, htmx too; log-out stays open
    assert client.get(reverse("home"))["Location"] == reverse("security:password")
    htmx = client.get(reverse("tasks:list"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("security:password")
    page = client.get(reverse("security:password")).content.decode()
    assert "初始密码或重置密码" in page
    response = client.post(
        reverse("security:password"),
        {
            "old_password": "Reset-by-adm-1",
            "new_password": "Own-choice-77",
            "new_password2": "Own-choice-77",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action="security.password.change")
    assert event.actor_id == w.liaison.pk and event.data == {"password": "***"}


def test_a_password_change_ends_the_other_sessions(client, w, enforce):
    from django.test import Client

    other = Client()
    other.force_login(w.liaison)
    assert other.get(reverse("home")).status_code == 200
    client.force_login(w.liaison)
    client.post(
        reverse("security:password"),
        {
            "old_password": PASSWORD,
            "new_password": "Own-choice-77",
            "new_password2": "Own-choice-77",
        },
    )
    assert client.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "wrong", "new_password": "Own-choice-77"}, "当前密码不正确"),
        ({"old_password": PASSWORD, "new_password": "short"}, "密码太短"),
        ({"old_password": PASSWORD, "new_password": PASSWORD}, "不能与当前密码相同"),
        (
            {"old_password": PASSWORD, "new_password": "Own-choice-77", "new_password2": "x"},
            "两次输入的新密码不一致",
        ),
        ({"old_password": "", "new_password": ""}, "必填"),
    ],
)
def test_change_page_bad_input_changes_nothing(client, w, data, message):
    client.force_login(w.liaison)
    data = {"new_password2": data.get("new_password", ""), **data}
    response = client.post(reverse("security:password"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    w.liaison.refresh_from_db()
    assert w.liaison.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="security.password.change").exists()


def test_every_role_reaches_its_account_pages(client, w):
    for user in (w.sup, w.leader, w.liaison, w.head, w.sysadmin, w.secadmin, w.auditor):
        client.force_login(user)
        assert client.get(reverse("security:account")).status_code == 200
        assert client.get(reverse("security:password")).status_code == 200
    assert client.post(reverse("security:account")).status_code == 405
