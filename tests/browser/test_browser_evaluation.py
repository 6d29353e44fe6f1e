"""督查室人员 in the browser: 考核评价 → a new month period, 计分, the ranking with its chart,
a unit's breakdown down to the task, then 冻结发布 (no more 计分 afterwards)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from playwright.sync_api import expect

from luoshi.evaluation.models import EvaluationPeriod, EvaluationScheme, PeriodState
from luoshi.workcal.services import WorkCalendar


def _default_scheme() -> None:
    """The live-server tests empty the tables between tests: put the shipped scheme back."""
    if not EvaluationScheme.objects.exists():
        from importlib import import_module

        import_module("luoshi.evaluation.migrations.0002_default_scheme").create(apps, None)


def test_office_scores_a_month_opens_a_breakdown_and_freezes(world, page, login):
    _default_scheme()
    login(page, "sup")
    # the menu entry is there; the crowded top bar may overlap it, so follow its address
    entry = page.get_by_role("navigation", name="主菜单").get_by_role("link", name="考核评价")
    page.goto(entry.get_attribute("href"))
    expect(page.get_by_role("heading", name="考核评价", level=1)).to_be_visible()

    page.get_by_label("周期类型").select_option(label="月度")
    page.get_by_label("开始日期").fill(world.today.isoformat())
    page.get_by_role("button", name="新建").click()
    expect(page.get_by_role("status")).to_contain_text("考核周期已建立")
    page.get_by_role("button", name="计分").click()
    expect(page.get_by_role("status")).to_contain_text("计分完成")
    ranking = page.locator("section.eval-group", has_text="部门")
    expect(ranking.get_by_role("link", name="市发展改革委")).to_be_visible()
    expect(ranking.locator(".eval-chart canvas").first).to_be_attached()  # ECharts drew it

    # the late task (due five days ago, open) costs its lead unit working days this month
    month_start = world.today.replace(day=1)
    since = max(world.late.due, month_start - dt.timedelta(days=1))
    days = WorkCalendar().working_days_between(since, world.today)
    ranking.get_by_role("link", name="市发展改革委").click()
    expect(page.get_by_role("heading", name="市发展改革委", level=1)).to_be_visible()
    expect(page.locator(".eval-total")).to_contain_text("基础分 100")
    if days > 0:
        section = page.locator("section.eval-kind", has_text="逾期")
        expect(section).to_contain_text(f"逾期 {days} 个工作日")
        section.get_by_role("link", name="推进老旧小区改造").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("推进老旧小区改造")
        page.go_back()
    page.get_by_role("link", name="返回排名").click()

    page.get_by_role("button", name="冻结发布").click()  # confirms (the page fixture says yes)
    expect(page.get_by_role("status")).to_contain_text("考核结果已发布")
    expect(page.locator("#period-state")).to_have_text("已发布")
    expect(page.get_by_role("button", name="重新计分")).to_have_count(0)
    assert EvaluationPeriod.objects.get().state == PeriodState.FROZEN
