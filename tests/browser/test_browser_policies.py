"""政策体系 in the browser: the office registers a policy with two deliverables and hands them
out at once; 市发展改革委's liaison finds the policy under 政策兑现, opens its deliverable,
signs, reports and applies for closure; the office approves, and the policy page shows 1/2
delivered."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from luoshi.policies.models import Policy
from luoshi.tasks.models import TaskState

TITLE = "关于支持中小企业发展的若干措施"
PROMISE_A = "对符合条件的企业给予一次性奖补50万元。"
PROMISE_B = "减免小微企业房租三个月。"


def test_a_policy_is_registered_delivered_and_shows_its_progress(world, page, new_page, login):
    office = page
    login(office, "sup")
    # the menu entry (followed by its address: a crowded menu bar may sit under the user box)
    menu = office.locator(".mainnav").get_by_role("link", name="政策兑现", exact=True)
    expect(menu).to_have_attribute("href", "/policies/")
    office.goto("/policies/")
    expect(office.get_by_role("heading", level=1)).to_have_text("政策兑现")
    office.get_by_role("link", name="登记政策").click()
    office.get_by_label("政策名称").fill(TITLE)
    office.get_by_label("文号").fill("示政发〔2026〕5号")
    office.get_by_label("发布日期").fill(world.today.isoformat())
    office.get_by_label("政策类别").fill("产业发展")
    due = (world.today + dt.timedelta(days=90)).isoformat()
    rows = office.locator("table.deliverables-grid tr.deliverable-row")
    expect(rows).to_have_count(3)
    office.get_by_role("button", name="再加一行").click()
    expect(rows).to_have_count(4)
    expect(rows.nth(3).get_by_label("兑现事项")).to_have_attribute("name", "d3-promise")
    office.get_by_role("button", name="再加一行").click()  # numbered on, without a script
    expect(rows).to_have_count(5)
    expect(rows.nth(4).get_by_label("兑现事项")).to_have_attribute("name", "d4-promise")
    first, second = rows.nth(0), rows.nth(1)
    first.get_by_label("兑现事项").fill(PROMISE_A)
    first.get_by_label("牵头单位").fill("市发改委")
    first.get_by_label("兑现时限").fill(due)
    first.get_by_label("量化指标").fill("奖补企业数")
    first.get_by_label("计量单位").fill("家")
    first.get_by_label("目标值").fill("20")
    second.get_by_label("兑现事项").fill(PROMISE_B)
    second.get_by_label("牵头单位").fill("市交通局")
    second.get_by_label("兑现时限").fill(due)
    office.get_by_label("保存后立即交办兑现事项").check()
    office.get_by_role("button", name="保存", exact=True).click()

    expect(office.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(office.get_by_role("status")).to_contain_text("政策已登记，兑现事项 2 项。")
    deliverables = office.locator("table.deliverables-table tbody tr")
    expect(deliverables).to_have_count(2)
    expect(deliverables.nth(0)).to_contain_text("已交办")
    expect(office.locator("#delivery")).to_contain_text("0/2")
    policy = Policy.objects.get(title=TITLE)
    task_a = policy.deliverables.get(number=1).task

    # The liaison of 市发展改革委 sees the policy and only its own deliverable.
    liaison = new_page()
    login(liaison, "liaison_a")
    expect(liaison.locator(".mainnav").get_by_role("link", name="政策兑现")).to_have_count(1)
    liaison.goto("/policies/")
    liaison.get_by_role("link", name=TITLE).click()
    mine = liaison.locator("table.deliverables-table tbody tr")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text(PROMISE_A)
    mine.first.get_by_role("link", name=task_a.code).click()
    expect(liaison).to_have_url(re.compile(rf"/tasks/{task_a.pk}/$"))
    liaison.locator("#task-actions").get_by_role("button", name="签收").click()
    expect(liaison.get_by_role("status")).to_contain_text("已签收")
    liaison.locator("#task-actions").get_by_role("link", name="填报").click()
    liaison.get_by_label("工作进展").fill("已对20家企业兑现奖补资金。")
    liaison.get_by_label("完成进度（%）").fill("100")
    liaison.get_by_label("奖补企业数（家）").fill("20")
    liaison.get_by_role("button", name="提交").click()
    expect(liaison.get_by_role("status")).to_contain_text("进展已提交")
    liaison.locator("#task-actions").get_by_role("link", name="申请办结").click()
    liaison.get_by_label("办结情况").fill("奖补资金已全部拨付。")
    liaison.get_by_role("button", name="申请办结").click()
    expect(liaison.locator(".task-head .state")).to_have_text("申请办结")

    # The office approves on the task page; the policy page shows 1/2.
    office.goto(f"/tasks/{task_a.pk}/")
    actions = office.locator("#task-actions")
    actions.locator("summary", has_text="审核通过").click()
    actions.get_by_role("button", name="审核通过").click()
    expect(office.get_by_role("status")).to_contain_text("已审核通过，任务已办结")
    office.goto(f"/policies/{policy.pk}/")
    delivery = office.locator("#delivery")
    expect(delivery).to_contain_text("1/2")
    expect(delivery).to_contain_text("按期办结")
    expect(delivery).to_contain_text("100%")  # the indicator: 20 of 20
    expect(office.locator("table.deliverables-table tbody tr").nth(0)).to_contain_text("已办结")

    # The overview draws its chart and shows the bar.
    office.goto("/policies/")
    row = office.locator("tr.policy-row", has_text=TITLE)
    expect(row).to_contain_text("1/2")
    expect(office.locator("#policy-chart[data-ready='1'] canvas")).to_have_count(1)
    task_a.refresh_from_db()
    assert task_a.state == TaskState.CLOSED
