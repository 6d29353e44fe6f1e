"""单位联络员 in the browser: the lead unit's liaison on a phone signs for a task and reports
progress; the co-unit's liaison signs and reports its own part; bad input is refused."""

from __future__ import annotations

from playwright.sync_api import expect

from luoshi.reports.models import Attachment, ProgressReport
from luoshi.tasks.models import TaskUnit
from luoshi.tasks.services.lifecycle import assignment_acknowledge

PHONE_WIDTH = 375


def assert_no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH + 1, f"the page is {width}px wide on a {PHONE_WIDTH}px phone"


def test_lead_liaison_signs_and_reports_on_a_phone(world, phone, login, tmp_path):
    login(phone, "liaison_a")
    expect(phone.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    waiting = phone.locator("#todo-ack")
    expect(waiting).to_contain_text(world.fresh.code)
    assert_no_horizontal_overflow(phone)

    waiting.get_by_role("link", name="实施重大项目攻坚行动").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("实施重大项目攻坚行动")
    phone.locator("#task-actions").get_by_role("button", name="签收").tap()
    expect(phone.get_by_role("status")).to_contain_text("已签收")
    expect(phone.locator(".task-head .state")).to_have_text("办理中")
    expect(phone.locator("#units .part").first).to_contain_text("签收")

    phone.locator("#task-actions").get_by_role("link", name="填报").tap()
    expect(phone.get_by_role("heading", name="填报进展")).to_be_visible()
    evidence = tmp_path / "现场照片.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    phone.get_by_label("工作进展").fill("已开工项目23个，完成投资120亿元。")
    phone.get_by_label("存在问题").fill("部分项目用地指标紧张。")
    phone.get_by_label("下步计划").fill("加快办理用地手续。")
    phone.get_by_label("完成进度（%）").fill("40")
    phone.get_by_label("重大项目完成投资（亿元）").fill("120")
    phone.get_by_label("附件").set_input_files(str(evidence))
    assert_no_horizontal_overflow(phone)
    phone.get_by_role("button", name="提交").tap()

    expect(phone.get_by_role("status")).to_contain_text("进展已提交")
    timeline = phone.locator("#reports .timeline > li")
    expect(timeline).to_have_count(1)
    entry = timeline.first
    expect(entry).to_contain_text("甲联络员")
    expect(entry).to_contain_text("已开工项目23个，完成投资120亿元。")
    expect(entry).to_contain_text("部分项目用地指标紧张。")
    expect(entry).to_contain_text("加快办理用地手续。")
    expect(entry).to_contain_text("40%")
    expect(entry).to_contain_text("重大项目完成投资：120亿元")
    expect(entry.get_by_role("link", name="现场照片.png")).to_be_visible()
    expect(phone.locator("#indicators")).to_contain_text("当前 120")
    # History on a phone puts the unit on the person's line: a space keeps them apart.
    reported = phone.locator("#history tbody tr", has_text="填报")
    expect(reported).to_contain_text("甲联络员 市发展改革委", use_inner_text=True)
    assert_no_horizontal_overflow(phone)

    report = ProgressReport.objects.get(task=world.fresh)
    assert (report.unit, report.percent) == (world.a, 40)
    assert Attachment.objects.filter(report=report, original_name="现场照片.png").exists()


def test_co_unit_liaison_signs_and_reports_its_own_part(world, page, login):
    login(page, "liaison_b")
    waiting = page.locator("#todo-ack")
    expect(waiting).to_contain_text("配合单位")
    waiting.get_by_role("link", name="实施重大项目攻坚行动").click()
    page.locator("#task-actions").get_by_role("button", name="签收").click()
    # Reports are taken once the task is 办理中, that is once the lead unit has signed:
    # the co-unit is told so, not sent looking for a 填报 button that is not there.
    expect(page.get_by_role("status")).to_have_text("已签收。牵头单位签收后即可填报进展。")
    parts = page.locator("#units .part")
    expect(parts.filter(has_text="市交通局")).to_contain_text("签收")
    expect(parts.filter(has_text="市交通局")).not_to_contain_text("待签收")
    expect(parts.filter(has_text="市发展改革委")).to_contain_text("待签收")
    expect(page.locator("#task-actions")).to_have_count(0)

    assignment_acknowledge(actor=world.liaison_a, task=world.fresh)
    page.reload()
    page.locator("#task-actions").get_by_role("link", name="填报").click()
    expect(page.get_by_text("市交通运输局 · 配合单位")).to_be_visible()
    # Indicators belong to the lead unit: a co-unit does not report them.
    expect(page.get_by_label("重大项目完成投资（亿元）")).to_have_count(0)
    page.get_by_label("工作进展").fill("配合完成交通配套方案。")
    page.get_by_label("完成进度（%）").fill("30")
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_role("status")).to_contain_text("进展已提交")
    entry = page.locator("#reports .timeline > li").first
    expect(entry).to_contain_text("市交通局")
    expect(entry).to_contain_text("配合完成交通配套方案。")
    expect(page.locator("#units .part").filter(has_text="市交通局")).to_contain_text("30%")

    part = TaskUnit.objects.get(task=world.fresh, unit=world.b)
    assert part.acknowledged_at is not None and part.progress == 30
    report = ProgressReport.objects.get(task=world.fresh)
    assert report.unit == world.b and not report.values.exists()


def test_a_percent_over_100_and_a_program_are_refused_in_chinese_nothing_saved(
    world, phone, login, tmp_path
):
    login(phone, "liaison_a")
    phone.goto(f"/tasks/{world.live.pk}/")
    phone.locator("#task-actions").get_by_role("link", name="填报").tap()
    phone.get_by_label("工作进展").fill("基本完成。")
    phone.get_by_label("完成进度（%）").fill("150")
    phone.get_by_role("button", name="提交").tap()

    expect(phone.locator(".percent-field .error")).to_have_text("完成进度须在 0 到 100 之间。")
    expect(phone.get_by_label("工作进展")).to_have_value("基本完成。")
    expect(phone.get_by_role("heading", name="填报进展")).to_be_visible()
    assert_no_horizontal_overflow(phone)

    # Corrected, but with a program attached: refused by name, still nothing saved.
    program = tmp_path / "进度表.exe"
    program.write_bytes(b"MZ" + b"\0" * 32)
    phone.get_by_label("完成进度（%）").fill("95")
    phone.get_by_label("附件").set_input_files(str(program))
    phone.get_by_role("button", name="提交").tap()
    refused = phone.locator(".field.has-error .error", has_text="进度表.exe")
    expect(refused).to_contain_text("类型不允许上传")
    expect(phone.locator(".percent-field .error")).to_have_count(0)
    assert ProgressReport.objects.filter(task=world.live).count() == 1  # the one from before
