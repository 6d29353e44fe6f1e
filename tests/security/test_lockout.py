"""Lockout per account and per client address: counted in the database, released after the
policy's duration, the same message whether or not the account exists, unlocked by the
安全管理员 (audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.security.daily import run_daily
from luoshi.security.models import AttemptKind, LoginAttempt
from luoshi.security.services.policy import policy_update
from tests.security.world import PASSWORD, post_login

LOCKED = "登录失败次数过多"


def fail(client, username: str, times: int, **extra) -> None:
    for _i in range(times):
        response = post_login(client, username, "wrong-password", **extra)
        assert response.status_code == 200


def test_five_failures_lock_the_account_even_for_the_right_password(client, w, at):
    fail(client, "liaison", 4)
    at(1)
    response = post_login(client, "liaison", "wrong-password")
    assert LOCKED in response.content.decode()
    # the right password is refused while locked, and the user is not logged in
    response = post_login(client, "liaison")
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="security.lockout").count() == 1
    assert AuditEvent.objects.filter(action="security.login_blocked").count() == 1
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
    # a blocked attempt does not count as a failure (it does not extend the lock)
    assert LoginAttempt.objects.filter(kind=AttemptKind.BLOCKED).count() == 1


def test_the_lock_is_released_after_fifteen_minutes(client, w, at):
    fail(client, "liaison", 5)
    at(14)
    assert LOCKED in post_login(client, "liaison").content.decode()
    at(15.5)
    response = post_login(client, "liaison")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(w.liaison.pk)


def test_failures_outside_the_window_do_not_count(client, w, at):
    fail(client, "liaison", 4)
    at(16)
    fail(client, "liaison", 4)
    assert post_login(client, "liaison").status_code == 302


def test_a_success_starts_the_account_count_again(client, w, at):
    fail(client, "liaison", 4)
    assert post_login(client, "liaison").status_code == 302
    client.logout()
    fail(client, "liaison", 4)
    assert post_login(client, "liaison").status_code == 302


def test_the_message_is_the_same_for_an_account_that_does_not_exist(client, w, at):
    fail(client, "nobody", 4)
    fail(client, "liaison", 4)
    ghost = post_login(client, "nobody", "x").content.decode()
    real = post_login(client, "liaison", "x").content.decode()
    assert LOCKED in ghost and LOCKED in real
    ghost = post_login(client, "nobody", "x").content.decode()
    real = post_login(client, "liaison", "x").content.decode()
    message = [line for line in ghost.splitlines() if LOCKED in line]
    assert message == [line for line in real.splitlines() if LOCKED in line]


def test_twenty_failures_from_one_address_lock_the_address(client, w, at):
    for n in range(20):
        post_login(client, f"guess{n}", "wrong")
    # any account, even with its right password, from that address
    assert LOCKED in post_login(client, "sup").content.decode()
    # another address is not locked
    assert post_login(client, "sup", REMOTE_ADDR="10.0.0.9").status_code == 302


def test_the_policy_sets_the_figures(client, w, at):
    policy_update(actor=w.secadmin, account_max_failures=3, lockout_minutes=30)
    fail(client, "liaison", 3)
    at(20)
    assert LOCKED in post_login(client, "liaison").content.decode()
    at(31)
    assert post_login(client, "liaison").status_code == 302


def test_the_secadmin_sees_and_unlocks_an_account(client, w, at):
    fail(client, "liaison", 5)
    client.force_login(w.secadmin)
    page = client.get(reverse("security:overview")).content.decode()
    assert "liaison" in page and "锁定至" in page
    response = client.post(reverse("security:unlock"), {"scope": "account", "key": "liaison"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="security.unlock")
    assert event.actor_id == w.secadmin.pk
    assert event.data == {"scope": "account", "key": "liaison"}
    client.logout()
    assert post_login(client, "liaison").status_code == 302


def test_the_secadmin_unlocks_an_address(client, w, at):
    for n in range(20):
        post_login(client, f"guess{n}", "wrong")
    client.force_login(w.secadmin)
    assert "127.0.0.1" in client.get(reverse("security:overview")).content.decode()
    client.post(reverse("security:unlock"), {"scope": "address", "key": "127.0.0.1"})
    client.logout()
    assert post_login(client, "sup").status_code == 302


@pytest.mark.parametrize(
    "data", [{"scope": "everything", "key": "liaison"}, {"scope": "account", "key": ""}]
)
def test_unlock_bad_input_changes_nothing(client, w, data):
    client.force_login(w.secadmin)
    response = client.post(reverse("security:unlock"), data, follow=True)
    assert "解锁对象不正确" in response.content.decode() or "请指定要解锁的对象" in (
        response.content.decode()
    )
    assert not LoginAttempt.objects.filter(kind=AttemptKind.UNLOCK).exists()
    assert not AuditEvent.objects.filter(action="security.unlock").exists()


def test_unlock_is_the_secadmins_and_post_only(client, w):
    client.force_login(w.sysadmin)
    assert (
        client.post(reverse("security:unlock"), {"scope": "account", "key": "x"}).status_code == 403
    )
    client.force_login(w.secadmin)
    assert client.get(reverse("security:unlock")).status_code == 405


def test_right_password_after_failures_below_the_limit_logs_in(client, w):
    fail(client, "liaison", 4)
    response = post_login(client, "liaison", PASSWORD)
    assert response.status_code == 302


def test_the_daily_tick_removes_attempts_past_their_retention(w, at):
    fail_at = at(0)
    LoginAttempt.objects.create(username="old", ip="1.1.1.1", at=fail_at, kind="failure")
    LoginAttempt.objects.create(
        username="new", ip="1.1.1.1", at=fail_at + dt.timedelta(days=100), kind="failure"
    )
    with clock.pinned_today(fail_at.date() + dt.timedelta(days=181)):
        assert run_daily(today=clock.today()) == {"login_attempts_removed": 1}
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["new"]
