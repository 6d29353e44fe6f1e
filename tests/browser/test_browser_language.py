"""The language switch in the top bar: Chinese by default, English on request, and back, on
the page the user was reading."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_switch_to_english_and_back_stays_on_the_page(world, page, login):
    login(page, "liaison_a")
    page.goto(f"/tasks/{world.live.pk}/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")

    page.locator(".userbox").get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/tasks/{world.live.pk}/$"))
    ledger = page.locator(".mainnav a[href='/tasks/']")
    expect(ledger).not_to_have_text("台账")  # the words changed, whatever the translation
    expect(page.get_by_role("heading", level=1)).to_have_text("发布年度投资计划")  # data stays

    page.locator(".userbox").get_by_role("button", name="中文").click()
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(re.compile(rf"/tasks/{world.live.pk}/$"))
    expect(ledger).to_have_text("台账")
    expect(page.get_by_role("navigation", name="主菜单")).to_contain_text("工作台")


def test_the_login_page_switches_language_before_logging_in(transactional_db, page):
    page.goto("/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")
    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    page.get_by_role("button", name="中文").click()
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
