"""督查室人员 records a commendation from a task's page; a leader, assigned as reviewer,
fills in a 干部评价 sheet with the evidence beside it; the office reads the results."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from luoshi.cadres.models import ReviewSheet
from luoshi.cadres.services import review_create
from luoshi.org.models import Role, User
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord
from tests.browser.conftest import PASSWORD

DIMENSIONS = ("political", "competence", "responsibility", "fighting", "integrity")


def test_commendation_on_a_task_then_a_cadre_review(world, page, new_page, login):
    head_a = User.objects.create_user(
        "head_a", password=PASSWORD, role=Role.UNIT_HEAD, unit=world.a, full_name="甲主任"
    )

    # the office: task page → 记录表彰问责 → 表彰
    login(page, "sup")
    page.goto(f"/tasks/{world.live.pk}/")
    section = page.locator("#outcomes")
    section.get_by_role("link", name="记录表彰问责").click()
    page.get_by_label("类型").select_option(label="表彰")
    page.get_by_label("涉及干部").select_option(label="甲主任 · 市发展改革委")
    page.get_by_label("文号").fill("市府办通〔2026〕12号")
    page.get_by_label("事由").fill("年度投资计划提前报审，予以表彰。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("已记录表彰。")
    record = OutcomeRecord.objects.get()
    assert record.kind == OutcomeKind.COMMENDATION and record.task == world.live
    assert record.cadre == head_a and record.unit == world.a
    page.get_by_role("link", name=f"{world.live.code} 发布年度投资计划").click()
    expect(page.locator("#outcomes")).to_contain_text("年度投资计划提前报审，予以表彰。")

    # a round: the leader reviews the head of A
    year = world.today.year
    review = review_create(
        actor=world.sup,
        name=f"{year}年单位负责人履职评价",
        date_from=dt.date(year, 1, 1),
        date_to=dt.date(year, 12, 31),
        cadres=[head_a],
        reviewers=[world.leader],
    )

    leader = new_page(viewport={"width": 1280, "height": 800})
    login(leader, "leader")
    # (the menu holds more entries than a 1280-pixel bar shows: reach it by its address)
    leader.goto("/cadres/")
    leader.get_by_role("link", name="我的评价表").click()
    leader.get_by_role("link", name="甲主任").click()
    expect(leader.locator("aside")).to_contain_text("单位任务落实情况")
    expect(leader.locator("aside")).to_contain_text("年度投资计划提前报审")  # the evidence
    leader.get_by_role("button", name="提交").click()  # nothing scored yet: refused
    expect(leader.locator(".errors")).to_contain_text("请为“政治过硬”评分。")
    assert ReviewSheet.objects.count() == 0
    for dim in DIMENSIONS:
        leader.locator(f"#id_{dim}_grade").select_option("9")
    leader.get_by_label("担当负责评语", exact=True).fill("敢于担当，攻坚有力。")
    leader.get_by_label("总体评价").fill("履职优秀。")
    leader.get_by_role("button", name="提交").click()
    expect(leader.get_by_role("status")).to_contain_text("评价表已提交。")
    expect(leader.locator("body")).to_contain_text("已提交的评价表")
    assert ReviewSheet.objects.get().scores.count() == 5

    # the office reads the results
    page.goto("/cadres/")
    page.get_by_role("link", name=review.name).click()
    row = page.locator("table.cadre-results tbody tr", has_text="甲主任")
    expect(row).to_contain_text("9.00")
    expect(row).to_contain_text("优秀")
    expect(row).to_contain_text("1/1")
    row.get_by_role("link", name="评价表").click()
    expect(page.locator("body")).to_contain_text("敢于担当，攻坚有力。")
