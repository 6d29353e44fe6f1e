"""The second factor: enrolment with a QR code and recovery codes, the log-in's second step
(valid, reused, skewed, recovery code once only), administrators forced to enrol, failures
counted toward lockout, the 安全管理员's reset."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.security.models import AccountSecurity, RecoveryCode
from luoshi.security.services.policy import policy_update
from luoshi.security.services.totp import totp_verify
from tests.security.world import code_at, enrol, post_code, post_login


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_enrolment_with_qr_code_and_recovery_codes(client, w, at):
    now = at(0)
    client.force_login(w.liaison)
    page = client.get(reverse("security:totp")).content.decode()
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', page).group(1)
    qr = client.get(reverse("security:totp_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    # a wrong code does not enable it
    response = client.post(reverse("security:totp"), {"code": "000000"})
    assert "动态口令不正确" in response.content.decode()
    assert not AccountSecurity.objects.get(user=w.liaison).totp_enrolled
    response = client.post(reverse("security:totp"), {"code": pyotp.TOTP(secret).at(now)})
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.content.decode())
    assert len(codes) == 10
    assert AccountSecurity.objects.get(user=w.liaison).totp_enrolled
    assert RecoveryCode.objects.filter(user=w.liaison).count() == 10
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()  # stored hashed
    assert AuditEvent.objects.filter(action="security.totp.enrol", actor=w.liaison).exists()
    # once enabled the setup page and the QR code are gone
    assert client.get(reverse("security:totp")).status_code == 302
    assert client.get(reverse("security:totp_qr")).status_code == 404


def test_log_in_with_a_code(client, w, at):
    now = at(0)
    totp = enrol(w.sysadmin)
    response = post_login(client, "sysadmin")
    assert response["Location"] == reverse("security:login_code")
    assert not logged_in(client)
    assert client.get(reverse("home")).status_code == 302
    response = post_code(client, code_at(totp, now))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(w.sysadmin.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=w.sysadmin).count() == 1


def test_a_code_cannot_be_used_twice(client, w, at):
    now = at(0)
    totp = enrol(w.sysadmin)
    post_login(client, "sysadmin")
    post_code(client, code_at(totp, now))
    client.logout()
    post_login(client, "sysadmin")
    response = post_code(client, code_at(totp, now))
    assert "已使用过" in response.content.decode()
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="security.totp.failed").count() == 1
    # nor an earlier one; the next step's code is accepted
    assert not logged_in(client)
    post_code(client, code_at(totp, now, steps=1))
    assert logged_in(client)


@pytest.mark.parametrize(("steps", "ok"), [(-2, False), (-1, True), (1, True), (2, False)])
def test_clock_skew_of_one_step_is_accepted(w, at, steps, ok):
    now = at(0)
    totp = enrol(w.auditor)
    assert bool(totp_verify(user=w.auditor, code=code_at(totp, now, steps))) is ok


def test_a_recovery_code_works_once(client, w, at):
    at(0)
    enrol(w.secadmin)
    codes = _recovery_codes(client, w.secadmin)
    client.logout()
    post_login(client, "secadmin")
    post_code(client, codes[0])
    assert logged_in(client)
    assert AuditEvent.objects.filter(action="security.totp.recovery_used").count() == 1
    client.logout()
    post_login(client, "secadmin")
    response = post_code(client, codes[0])
    assert not logged_in(client) and "动态口令不正确" in response.content.decode()
    post_code(client, codes[1].upper())
    assert logged_in(client)


def _recovery_codes(client, user) -> list[str]:
    client.force_login(user)
    response = client.post(reverse("security:recovery_renew"))
    return re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.content.decode())


def test_admins_without_a_second_factor_must_enrol_right_after_the_password(client, w, enforce):
    response = post_login(client, "auditor")
    assert response["Location"] == reverse("security:totp")
    assert client.get(reverse("audit:log"))["Location"] == reverse("security:totp")
    assert client.get(reverse("security:totp")).status_code == 200
    assert "必须使用动态口令" in client.get(reverse("security:totp")).content.decode()


def test_without_enforcement_admins_log_in_with_a_password(client, w):
    assert post_login(client, "auditor")["Location"] == "/"


def test_the_policy_can_require_it_of_everyone(client, w, enforce):
    assert post_login(client, "liaison")["Location"] == "/"
    client.logout()
    policy_update(actor=w.secadmin, totp_for_all=True)
    assert post_login(client, "liaison")["Location"] == reverse("security:totp")


def test_code_failures_count_toward_the_lockout(client, w, at):
    now = at(0)
    totp = enrol(w.sysadmin)
    post_login(client, "sysadmin")
    for _i in range(5):
        post_code(client, "123456")
    assert AuditEvent.objects.filter(action="security.lockout").count() == 1
    # the pending log-in is dropped; the password is refused for the lock's duration
    assert "请重新登录" in client.get(reverse("security:login_code")).content.decode()
    assert "登录失败次数过多" in post_login(client, "sysadmin").content.decode()
    at(16)
    post_login(client, "sysadmin")
    post_code(client, code_at(totp, now, steps=32))
    assert logged_in(client)


def test_the_second_step_expires(client, w, at):
    now = at(0)
    totp = enrol(w.sysadmin)
    post_login(client, "sysadmin")
    at(6)
    response = post_code(client, code_at(totp, now, steps=12))
    assert "请重新登录" in response.content.decode() and not logged_in(client)


@pytest.mark.parametrize("code", ["", "12", "abcdef", "1234567", "x" * 30])
def test_bad_codes_are_refused(client, w, at, code):
    at(0)
    enrol(w.sysadmin)
    post_login(client, "sysadmin")
    response = post_code(client, code)
    assert response.status_code == 200 and not logged_in(client)
    text = response.content.decode()
    assert "动态口令" in text and ("不正确" in text or "请输入" in text or "最多" in text)


def test_the_secadmin_resets_a_second_factor(client, w, at):
    enrol(w.sysadmin)
    client.force_login(w.secadmin)
    response = client.post(reverse("security:totp_reset", args=[w.sysadmin.pk]))
    assert response.status_code == 302
    assert not AccountSecurity.objects.get(user=w.sysadmin).totp_enrolled
    event = AuditEvent.objects.get(action="security.totp.reset")
    assert event.actor_id == w.secadmin.pk and event.object_id == str(w.sysadmin.pk)
    # not their own
    enrol(w.secadmin)
    client.post(reverse("security:totp_reset", args=[w.secadmin.pk]))
    assert AccountSecurity.objects.get(user=w.secadmin).totp_enrolled
    # others may not; the wrong method is refused; an unknown account is 404
    client.force_login(w.sysadmin)
    assert client.post(reverse("security:totp_reset", args=[w.auditor.pk])).status_code == 403
    client.force_login(w.secadmin)
    assert client.get(reverse("security:totp_reset", args=[w.auditor.pk])).status_code == 405
    assert client.post(reverse("security:totp_reset", args=[987654])).status_code == 404


def test_the_overview_lists_administrators_without_a_second_factor(client, w):
    enrol(w.sysadmin)
    client.force_login(w.secadmin)
    page = client.get(reverse("security:overview")).content.decode()
    listed = page.split("应启用而未启用动态口令的账号")[1].split("</section>")[0]
    assert "（auditor，" in listed and "（secadmin，" in listed
    assert "（sysadmin，" not in listed and "（liaison，" not in listed
    policy_update(actor=w.secadmin, totp_for_all=True)
    page = client.get(reverse("security:overview")).content.decode()
    assert "（liaison，" in page.split("应启用而未启用动态口令的账号")[1]
    # the recent security events: the policy change just made
    assert "security.policy.update" in page
