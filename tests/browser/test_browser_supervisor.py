"""督查室人员 in the browser: register a source, create a task under it with a lead unit and a
co-unit, decompose it in the grid (typed rows and rows pasted from Excel), and 交办."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from luoshi.tasks.models import AssignmentRole, Task, TaskState


def test_supervisor_registers_a_source_creates_decomposes_and_assigns(world, page, login):
    login(page, "sup")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()

    # 任务来源 → 登记来源
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="任务来源").click()
    page.get_by_role("link", name="登记来源").click()
    page.get_by_label("来源类型").select_option(label="会议")
    page.get_by_label("标题").fill("市政府第5次常务会议")
    page.get_by_label("来源编号").fill("CW-05")
    page.get_by_label("文号").fill("示政阅〔2026〕5号")
    page.get_by_role("button", name="保存").click()

    # Straight on to a task under the new source.
    expect(page.get_by_role("status")).to_contain_text("任务来源“市政府第5次常务会议”已登记")
    expect(page.get_by_role("heading", name="新建任务")).to_be_visible()
    due = world.today + dt.timedelta(days=120)
    page.get_by_label("任务名称").fill("推进城市更新行动")
    page.get_by_label("具体内容").fill("完成三个片区的更新改造。")
    page.get_by_label("牵头领导").select_option(label="李副市长（示范市人民政府）")
    page.get_by_label("牵头单位").fill("市发改委")
    page.get_by_label("牵头单位").press("Tab")
    page.get_by_label("配合单位").select_option(label="示范市交通运输局")
    page.get_by_label("完成时限").fill(due.isoformat())
    page.get_by_label("反馈周期").select_option(label="每月")
    page.locator("form.task-form .sticky-actions").get_by_role("button", name="保存").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("推进城市更新行动")
    expect(page.locator(".task-head .state")).to_have_text("起草")
    units = page.locator("#units")
    expect(units).to_contain_text("市发展改革委")
    expect(units).to_contain_text("市交通局")
    task = Task.objects.get(title="推进城市更新行动")
    assert task.code.startswith("CW-05-")
    assert task.due == due

    # 分解: two rows typed, three pasted from Excel with a header row.
    page.get_by_role("link", name="分解", exact=True).click()
    expect(page.get_by_role("heading", name=f"分解 {task.code}")).to_be_visible()
    page.get_by_label("任务名称 1", exact=True).fill("完成片区规划编制")
    page.get_by_label("配合单位 1", exact=True).fill("市财政局")
    page.get_by_label("任务名称 2", exact=True).fill("落实更新改造资金")
    page.get_by_label("牵头单位 2", exact=True).fill("市财政局")
    page.get_by_label("完成时限 2", exact=True).fill("长期坚持")

    page.get_by_text("粘贴：从 Excel 复制若干行，填入表格").click()
    sheet = "\n".join(
        [
            "序号\t任务名称\t牵头单位\t配合单位\t完成时限\t反馈周期",
            f"1\t启动一号片区改造\t市发改委\t市交通局\t{due.isoformat()}\t每季度",
            f"2\t启动二号片区改造\t市交通局\t\t{due.isoformat()}\t每月",
            "3\t建立更新项目库\t\t\t持续推进\t每半月",
        ]
    )
    page.get_by_label("粘贴区").fill(sheet)
    page.get_by_role("button", name="填入表格").click()
    expect(page.get_by_role("status")).to_contain_text("已填入 3 行")
    expect(page.get_by_label("任务名称 1", exact=True)).to_have_value("完成片区规划编制")
    expect(page.get_by_label("任务名称 3", exact=True)).to_have_value("启动一号片区改造")
    expect(page.get_by_label("牵头单位 4", exact=True)).to_have_value("市交通局")
    expect(page.get_by_label("反馈周期 3", exact=True)).to_have_value("quarterly")
    page.get_by_role("button", name="保存子任务").click()

    expect(page.get_by_role("status")).to_contain_text("已分解出 5 项子任务")
    subtasks = page.locator("#subtasks")
    for title in ("完成片区规划编制", "落实更新改造资金", "启动一号片区改造", "建立更新项目库"):
        expect(subtasks.get_by_role("link", name=title)).to_be_visible()
    expect(subtasks.locator(".state-draft")).to_have_count(5)

    # 交办: the confirm page lists the task and its five drafts; all go out together.
    page.locator("#task-actions").get_by_role("link", name="交办").click()
    confirm = page.locator("form.narrow-card")
    expect(confirm).to_contain_text("以下 6 项起草中的任务将一并交办")
    page.get_by_role("button", name="确认交办").click()
    expect(page.get_by_role("status")).to_contain_text("已交办 6 项任务，等待签收")
    expect(page.locator(".task-head .state")).to_have_text("已交办")
    expect(subtasks.locator(".state-assigned")).to_have_count(5)
    expect(units.get_by_text("待签收")).to_have_count(2)

    children = Task.objects.filter(parent=task)
    assert {c.state for c in children} == {TaskState.ASSIGNED}
    money = children.get(title="落实更新改造资金")
    assert money.lead_unit == world.c and money.ongoing
    first = children.get(title="启动一号片区改造")
    assert first.report_cycle == "quarterly"
    co = first.assignments.filter(role=AssignmentRole.CO).values_list("unit__name", flat=True)
    assert list(co) == ["示范市交通运输局"]
    assert re.fullmatch(rf"{re.escape(task.code)}-\d\d", first.code)
