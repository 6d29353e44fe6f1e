"""办结 in the browser, two people at once: the lead liaison applies with evidence, the office
returns it with a reason, the liaison reads the reason on the 工作台 and applies again, the
office approves and the task turns blue."""

from __future__ import annotations

from playwright.sync_api import expect

from luoshi.tasks.models import ClosureDecision, Light, TaskState

REASON = "佐证材料不足，请补充验收报告。"


def apply_for_closure(page, task, summary: str, evidence) -> None:
    page.goto(f"/tasks/{task.pk}/")
    page.locator("#task-actions").get_by_role("link", name="申请办结").click()
    expect(page.get_by_role("heading", name="申请办结")).to_be_visible()
    page.get_by_label("办结情况").fill(summary)
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="申请办结").click()
    expect(page.get_by_role("status")).to_contain_text("办结申请已提交，等待督查室审核")
    expect(page.locator(".task-head .state")).to_have_text("申请办结")


def test_closure_is_returned_with_a_reason_then_approved(world, page, new_page, login, tmp_path):
    liaison, office = page, new_page(viewport={"width": 1280, "height": 800})
    login(liaison, "liaison_a")
    login(office, "sup")
    evidence = tmp_path / "投资计划.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n")

    apply_for_closure(liaison, world.live, "年度投资计划已印发。", evidence)

    # The office sees it waiting on its 工作台, opens it and returns it with a reason.
    office.goto("/")
    office.get_by_role("link", name="发布年度投资计划").first.click()
    closures = office.locator("#closures")
    expect(closures).to_contain_text("年度投资计划已印发。")
    with office.expect_download() as download:
        closures.get_by_role("link", name="投资计划.pdf").click()
    assert download.value.suggested_filename == "投资计划.pdf"
    assert download.value.path().read_bytes() == evidence.read_bytes()
    actions = office.locator("#task-actions")
    actions.locator("summary", has_text="退回").click()
    actions.get_by_label("退回理由").fill(REASON)
    actions.get_by_role("button", name="退回").click()
    expect(office.get_by_role("status")).to_contain_text("已退回，任务回到办理中")
    expect(office.locator(".task-head .state")).to_have_text("办理中")

    # The liaison finds it under 被退回 on the 工作台, with the reason.
    liaison.goto("/")
    returned = liaison.locator("#todo-returned")
    expect(returned).to_contain_text("发布年度投资计划")
    expect(returned).to_contain_text(f"退回理由：{REASON}")
    returned.get_by_role("link", name="发布年度投资计划").click()
    expect(liaison.locator("#closures")).to_contain_text(REASON)
    expect(liaison.locator(".task-head")).to_contain_text("被退回")

    report = tmp_path / "验收报告.pdf"
    report.write_bytes(b"%PDF-1.4\n% acceptance\n")
    apply_for_closure(liaison, world.live, "已补充验收报告。", report)
    liaison.goto("/")
    expect(liaison.locator("#todo-returned")).to_have_count(0)

    # The office approves: 已办结, blue.
    office.reload()
    expect(office.locator("#closures .timeline > li")).to_have_count(2)
    actions.locator("summary", has_text="审核通过").click()
    actions.get_by_label("审核意见（可不填）").fill("同意办结。")
    actions.get_by_role("button", name="审核通过").click()
    expect(office.get_by_role("status")).to_contain_text("已审核通过，任务已办结")
    head = office.locator(".task-head")
    expect(head.locator(".state")).to_have_text("已办结")
    expect(head.locator(".light")).to_have_text("蓝灯")
    expect(head.locator(".light")).to_have_class("light light-blue")
    # Nothing left to decide on it.
    expect(actions.locator("summary", has_text="审核通过")).to_have_count(0)
    expect(actions.locator("summary", has_text="退回")).to_have_count(0)

    world.live.refresh_from_db()
    assert (world.live.state, world.live.light) == (TaskState.CLOSED, Light.BLUE)
    decisions = list(world.live.closure_requests.order_by("id").values_list("decision", flat=True))
    assert decisions == [ClosureDecision.RETURNED, ClosureDecision.APPROVED]
