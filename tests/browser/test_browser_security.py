"""安全管理员 in the browser, with the second factor enforced as in production: forced to
enrol right after the password (QR code and manual key, recovery codes shown once), then the
next log-in asks for the 6-digit code."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import expect

from luoshi.org.models import Role, User

PASSWORD = "pw-Secadmin-2026"


def test_secadmin_enrols_a_second_factor_and_logs_in_with_it(world, page, settings):
    settings.LUOSHI_ENFORCE_TOTP = True
    User.objects.create_user(
        "secadmin", password=PASSWORD, role=Role.SECADMIN, full_name="安全管理员"
    )
    # the first page of a busy machine's live server can take a while to fire "load"
    page.goto("/login/", wait_until="domcontentloaded", timeout=30_000)
    page.get_by_label("用户名").fill("secadmin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    # forced to enrol: every other page leads back here
    expect(page.get_by_role("heading", name="启用动态口令")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("必须使用动态口令")
    expect(page.get_by_role("img", name="动态口令二维码")).to_be_visible()
    page.goto("/security/")
    expect(page.get_by_role("heading", name="启用动态口令")).to_be_visible()
    secret = page.locator(".totp-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.get_by_label("手机上显示的 6 位动态口令").fill(totp.now())
    page.get_by_role("button", name="启用").click()
    expect(page.get_by_role("heading", name="恢复码")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="安全管理").click()
    expect(page.get_by_role("heading", name="安全管理", exact=True)).to_be_visible()

    page.get_by_role("button", name="退出").click()
    page.get_by_label("用户名").fill("secadmin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/security/login/code/"))
    # the code of the next 30-second step (the current one was spent on enrolment)
    page.get_by_label("动态口令或恢复码").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="验证").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    expect(page.locator(".who")).to_contain_text("安全管理员")
