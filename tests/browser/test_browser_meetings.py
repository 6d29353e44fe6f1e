"""办会办文 in the browser: the office records a meeting with two agreed items (a row added
with htmx), turns them into tasks in one step and finds them in the ledger; a leader reads
the 办理情况 of an instruction and marks it 已阅 with a comment."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from luoshi.meetings.services import instruction_create, instruction_report
from luoshi.tasks.services.editing import task_create


def test_office_records_a_meeting_and_generates_its_tasks(world, page, login):
    login(page, "sup")
    page.locator(".mainnav").get_by_role("link", name="会议", exact=True).click()
    page.get_by_role("link", name="登记会议").click()
    page.get_by_label("会议名称").fill("市政府第12次常务会议")
    page.get_by_label("会议日期").fill(world.today.isoformat())
    page.get_by_label("纪要编号").fill("纪要〔2026〕12号")
    rows = page.locator("#item-rows tr.item-row")
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="再加一行").click()
    expect(rows).to_have_count(4)
    due = (world.today + dt.timedelta(days=60)).isoformat()
    first, second = rows.nth(0), rows.nth(1)
    first.get_by_label("议定事项").fill("加快东部新城供水管网工程建设")
    first.get_by_label("牵头单位").fill("市发改委")
    first.get_by_label("配合单位").fill("市交通局")
    first.get_by_label("完成时限").fill(due)
    second.get_by_label("议定事项").fill("做好今冬明春供暖保障工作")
    second.get_by_label("牵头单位").fill("市财政局")
    second.get_by_label("完成时限").fill("长期坚持")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("市政府第12次常务会议")
    items = page.locator("table.meeting-items tbody tr")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("未生成任务")
    page.get_by_label("生成后立即交办").check()
    page.get_by_role("button", name="生成任务").click()
    expect(page.locator(".msg")).to_contain_text("已生成 2 项任务并交办。")
    expect(items.nth(0)).to_contain_text("已交办")
    expect(items.nth(1)).to_contain_text("已交办")
    expect(page.get_by_role("button", name="生成任务")).to_have_count(0)

    page.get_by_role("link", name="在台账中查看").click()
    expect(page).to_have_url(re.compile(r"/tasks/\?source=\d+$"))
    ledger = page.locator("table.ledger tbody tr")
    expect(ledger).to_have_count(2)
    expect(page.locator("table.ledger")).to_contain_text("加快东部新城供水管网工程建设")
    expect(page.locator("table.ledger")).to_contain_text("做好今冬明春供暖保障工作")


def test_leader_reads_an_instruction_report_and_marks_it_read(world, page, login):
    instruction = instruction_create(
        actor=world.sup,
        leader=world.leader,
        text="请发展改革委牵头研究，一周内报送方案。",
        given_on=world.today,
        doc_title="关于重大项目要素保障的报告",
        report_due=world.today + dt.timedelta(days=7),
    )
    task_create(
        actor=world.sup,
        source=instruction.source,
        title="研究重大项目要素保障方案",
        lead_unit=world.a,
        due=world.today + dt.timedelta(days=30),
    )
    instruction_report(actor=world.sup, instruction=instruction, text="方案已形成，正在征求意见。")

    login(page, "leader")
    page.locator(".mainnav").get_by_role("link", name="批示件", exact=True).click()
    row = page.locator("table.instructions tbody tr", has_text="关于重大项目要素保障的报告")
    expect(row).to_contain_text("已报告")
    row.get_by_role("link").first.click()
    report = page.locator(".reports .report").first
    expect(report).to_contain_text("方案已形成，正在征求意见。")
    expect(report).to_contain_text("待阅")
    report.get_by_label("阅示意见（可不填）").fill("抓紧完善，按期报送。")
    report.get_by_role("button", name="已阅").click()
    expect(page.locator(".msg")).to_contain_text("已阅。")
    report = page.locator(".reports .report").first
    expect(report).to_contain_text("已阅（")
    expect(report).to_contain_text("抓紧完善，按期报送。")
    expect(report.get_by_role("button", name="已阅")).to_have_count(0)
