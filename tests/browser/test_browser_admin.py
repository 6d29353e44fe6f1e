"""系统管理员 and 审计管理员 in the browser: a unit and an account created through the forms,
the new account logging in, and the audit log showing who did it, from where, with the chain
check passing."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from luoshi.org.models import Role, User


def test_sysadmin_creates_a_unit_and_an_account_the_auditor_sees_them(world, page, new_page, login):
    login(page, "sysadmin")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="单位与账号").click()
    expect(page.get_by_role("heading", name="单位管理")).to_be_visible()
    page.get_by_role("link", name="新增单位").click()
    page.get_by_label("单位名称").fill("示范市数据局")
    page.get_by_label("简称").fill("市数据局")
    page.get_by_label("单位类型").select_option(label="部门")
    page.get_by_label("上级单位").select_option(label="示范市人民政府")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("单位已保存")
    expect(page.get_by_role("row", name=re.compile("示范市数据局"))).to_contain_text("市数据局")

    page.get_by_role("link", name="账号管理").click()
    page.get_by_role("link", name="新增账号").click()
    page.get_by_label("登录名").fill("shuju_ll")
    page.get_by_label("初始密码").fill("pw-Shuju-2026")
    page.get_by_label("姓名").fill("数据局联络员")
    page.get_by_label("角色").select_option(label="单位联络员")
    page.get_by_label("所在单位").select_option(label="示范市数据局")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("账号已保存")
    expect(page.get_by_role("row", name=re.compile("shuju_ll"))).to_contain_text("单位联络员")
    account = User.objects.get(username="shuju_ll")
    assert (account.role, account.unit.name) == (Role.LIAISON, "示范市数据局")

    # The new account works: its 工作台 is its unit's.
    newcomer = new_page()
    login(newcomer, "shuju_ll", "pw-Shuju-2026")
    expect(newcomer.locator(".page-head .sub")).to_contain_text("示范市数据局")
    expect(newcomer.locator("#todo-ack")).to_contain_text("没有待签收的任务")

    # The auditor lands on the log; the administrator's two actions are there, from the browser.
    auditor = new_page(viewport={"width": 1280, "height": 800})
    login(auditor, "auditor")
    expect(auditor.get_by_role("heading", name="审计日志")).to_be_visible()
    auditor.get_by_label("操作", exact=True).fill("org.")
    auditor.get_by_role("button", name="筛选").click()
    expect(auditor).to_have_url(re.compile(r"action=org\."))
    rows = auditor.locator("table tbody tr")
    unit_row = rows.filter(has_text="org.unit.create").filter(has_text="示范市数据局")
    expect(unit_row).to_have_count(1)
    expect(unit_row).to_contain_text("系统管理员")
    expect(unit_row).to_contain_text("127.0.0.1")
    user_row = rows.filter(has_text="org.user.create").filter(has_text="数据局联络员")
    expect(user_row).to_have_count(1)
    expect(rows.filter(has_text="task.")).to_have_count(0)

    # The rest of the story is there too: the office's 交办 and the units' 签收.
    auditor.get_by_label("操作", exact=True).fill("task.")
    auditor.get_by_role("button", name="筛选").click()
    expect(rows.filter(has_text="task.assign").first).to_contain_text("周督查")
    expect(rows.filter(has_text="task.acknowledge").first).to_contain_text("甲联络员")

    auditor.get_by_role("link", name="校验完整性").click()
    expect(auditor.get_by_role("status")).to_contain_text("校验通过")
