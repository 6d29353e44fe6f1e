"""领导 in the browser: the 工作台's lights, the ledger (台账) filtered by light and unit
without a page load, and a task opened from it."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_leader_reads_the_lights_filters_the_ledger_and_opens_a_task(world, page, login):
    login(page, "leader")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    red = page.locator(".light-cards .light-card.c-red")
    expect(red.locator(".n")).to_have_text("1")
    lagging = page.locator("#lagging-units")
    row = lagging.locator("tbody tr", has_text="市发展改革委")
    expect(row.locator(".c-red")).to_have_text("1")
    portfolio = page.locator("#portfolio")
    expect(portfolio.get_by_role("link", name="推进老旧小区改造")).to_be_visible()
    expect(portfolio.get_by_role("link", name="开通城市快速公交线路")).to_have_count(0)

    # The red card leads to the ledger filtered by red.
    red.click()
    expect(page).to_have_url(re.compile(r"/tasks/\?light=red$"))
    rows = page.locator("table.ledger tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("推进老旧小区改造")

    # Filters through the form: each change redraws the table and the address.
    page.get_by_role("link", name="清除").click()
    expect(rows).to_have_count(4)
    page.get_by_label("亮灯").select_option(label="红灯")
    expect(rows).to_have_count(1)
    page.get_by_label("单位", exact=True).select_option(label="市交通局")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("没有符合条件的任务")
    expect(page).to_have_url(re.compile(r"light=red"))
    page.get_by_label("亮灯").select_option(label="绿灯")
    # 交通局 leads one green task and helps on another.
    expect(rows).to_have_count(2)
    expect(page.locator("table.ledger")).to_contain_text("实施重大项目攻坚行动")
    page.get_by_label("承办方式").select_option(label="牵头单位")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("开通城市快速公交线路")
    expect(rows.first).to_contain_text("市交通局")
    expect(page).to_have_url(re.compile(rf"unit={world.b.pk}"))
    expect(page).to_have_url(re.compile(r"unit_role=lead"))

    page.get_by_role("link", name="开通城市快速公交线路").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("开通城市快速公交线路")
    expect(page.locator(".task-head .light")).to_have_text("绿灯")
    # A leader oversees; the office's and the units' buttons are not there.
    for verb in ("签收", "填报", "交办", "编辑", "分解", "申请办结"):
        expect(page.get_by_role("button", name=verb, exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name=verb, exact=True)).to_have_count(0)
