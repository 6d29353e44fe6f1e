"""督查室人员 in the browser on the follow-up lists: 延期申请 (a pending request, from the list
to 同意) and 回头看 (a scheduled re-check, from the list to 取消回头看 with a reason); the
lead unit's liaison finds its own request in its list."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from luoshi.extensions.models import ExtensionRequest, ExtensionState
from luoshi.extensions.services import extension_request
from luoshi.rechecks.models import Recheck, RecheckState
from luoshi.rechecks.services import recheck_schedule
from luoshi.tasks.services.lifecycle import closure_request, closure_verify


def test_the_office_decides_from_the_extension_list_and_cancels_a_recheck(
    world, page, new_page, login
):
    new_due = world.today + dt.timedelta(days=30)
    extension_request(
        actor=world.liaison_a, task=world.late, new_due=new_due, reason="受雨季影响，工期顺延。"
    )
    closure_request(actor=world.liaison_a, task=world.live, summary="计划已印发。")
    closure_verify(actor=world.sup, task=world.live)
    recheck = recheck_schedule(actor=world.sup, task=world.live, months=3)

    # the liaison of the lead unit sees its request waiting
    liaison = new_page(viewport={"width": 1280, "height": 800})
    login(liaison, "liaison_a")
    liaison.get_by_role("navigation", name="主菜单").get_by_role("link", name="延期申请").click()
    row = liaison.locator("table.extensions tbody tr", has_text="推进老旧小区改造")
    expect(row).to_contain_text("待督查室审核")
    expect(row.get_by_role("link", name="审批")).to_have_count(0)

    # the office: 延期申请 → 审批 → 同意
    login(page, "sup")
    menu = page.get_by_role("navigation", name="主菜单")
    menu.get_by_role("link", name="延期申请").click()
    expect(page.get_by_role("heading", name="延期申请", level=1)).to_be_visible()
    row = page.locator("table.extensions tbody tr", has_text="推进老旧小区改造")
    expect(row).to_contain_text(f"→ {new_due.isoformat()}")
    row.get_by_role("link", name="审批").click()
    page.get_by_label("审批意见").fill("同意延期，请按新时限完成。")
    page.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        f"已同意延期，完成时限调整为 {new_due.isoformat()}。"
    )
    assert ExtensionRequest.objects.get().state == ExtensionState.APPROVED
    menu.get_by_role("link", name="延期申请").click()
    page.get_by_label("状态").select_option(label="同意")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.extensions tbody tr")).to_have_count(1)
    expect(page.locator("table.extensions tbody")).to_contain_text("推进老旧小区改造")

    # 回头看 → the scheduled one → 取消回头看 with a reason
    menu.get_by_role("link", name="回头看").click()
    expect(page.get_by_role("heading", name="回头看", level=1)).to_be_visible()
    row = page.locator("table.rechecks tbody tr", has_text="发布年度投资计划")
    expect(row).to_contain_text("已安排")
    row.get_by_role("link", name=recheck.due_on.isoformat()).click()
    page.get_by_role("button", name="取消回头看").click()  # no reason yet: refused
    expect(page.locator("#cancel")).to_contain_text("请填写取消理由。")
    page.get_by_label("取消理由").fill("该事项已纳入年度专项督查。")
    page.get_by_role("button", name="取消回头看").click()
    expect(page.get_by_role("status")).to_contain_text("回头看已取消。")
    expect(page.locator("body")).to_contain_text("该事项已纳入年度专项督查。")  # the history
    assert Recheck.objects.get().state == RecheckState.CANCELLED
    menu.get_by_role("link", name="回头看").click()
    page.get_by_label("状态").select_option(label="已取消")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.rechecks tbody tr")).to_have_count(1)
    expect(page.locator("table.rechecks tbody")).to_contain_text("已取消")
