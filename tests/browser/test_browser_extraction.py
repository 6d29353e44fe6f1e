"""从文件生成任务 in the browser: the office uploads a plan, resolves a unit the tree does not
know, leaves one task out, confirms, and finds the tasks under the new source."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_office_turns_a_document_into_tasks(world, page, login, tmp_path):
    year = world.today.year
    plan = tmp_path / "分工方案.txt"
    plan.write_text(
        f"关于印发{year}年重点工作任务分工方案的通知\n"
        "一、扩大有效投资\n"
        "1.实施重大项目攻坚行动，新开工项目100个。（市发改委牵头，市财政局配合，年底前完成）\n"
        "2.推进城市公交线网优化。（市交通局牵头，市园林局配合，三季度末前完成）\n"
        "3.落实专项债券资金。（责任单位：市财政局；完成时限：长期坚持）\n",
        encoding="gb18030",
    )
    login(page, "sup")
    page.locator(".mainnav").get_by_role("link", name="任务来源").click()
    page.get_by_role("link", name="从文件生成任务").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("从文件生成任务")
    page.get_by_label("文件").set_input_files(str(plan))
    page.get_by_role("button", name="上传并预览").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("分工方案.txt")
    expect(page.locator(".page-head .sub")).to_contain_text("在文件中找到 3 项任务，将生成 3 项。")
    expect(page.locator("#plan-blocking")).to_contain_text("市园林局")
    expect(page.locator("#extraction-confirm")).to_be_disabled()
    found = page.locator("table.extraction-found tbody tr")
    expect(found).to_have_count(3)
    expect(found.nth(0)).to_contain_text("市发改委")
    expect(found.nth(1)).to_contain_text("三季度末前完成")

    page.get_by_label("市园林局").select_option(label="不导入此名称")
    page.get_by_label("落实专项债券资金").uncheck()
    page.get_by_role("button", name="更新预览").click()
    expect(page.locator(".page-head .sub")).to_contain_text("将生成 2 项")
    expect(page.locator("#plan-blocking")).to_have_count(0)
    planned = page.locator("table.ledger-plan tbody tr")
    expect(planned).to_have_count(2)
    expect(planned.nth(0)).to_contain_text("市发展改革委")
    expect(planned.nth(0)).to_contain_text(f"{year}-12-31")

    page.get_by_role("button", name="确认生成任务").click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/$"))
    expect(page.locator(".msg")).to_contain_text("已从文件生成 2 项任务")
    expect(page.locator("main")).to_contain_text("实施重大项目攻坚行动，新开工项目100个")
    expect(page.locator("main")).to_contain_text("推进城市公交线网优化")
    expect(page.locator("main")).not_to_contain_text("落实专项债券资金")
