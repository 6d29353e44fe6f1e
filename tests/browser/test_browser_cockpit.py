"""领导驾驶舱 in the browser: the leader opens the cockpit from the menu, the charts draw from
the page's JSON, a red figure leads to the list of those tasks; on a phone the panels stack;
a goal's timeline (甘特图) of 1,000 tasks renders, scrolls and folds."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from luoshi.tasks.models import Task

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_leader_opens_the_cockpit_and_drills_into_a_red_figure(world, page, login):
    login(page, "leader")
    page.get_by_role("link", name="驾驶舱", exact=True).click()
    expect(page.get_by_role("heading", name="领导驾驶舱", level=1)).to_be_visible()
    expect(page.locator('[data-kpi="red"] .n')).to_have_text("1")
    # the charts are drawn by the local ECharts from the JSON in the page
    expect(page.locator('#by-unit [data-chart="lights"][data-ready="1"] canvas')).to_have_count(1)
    expect(page.locator('#trend [data-chart="trend"][data-ready="1"] canvas')).to_have_count(1)
    row = page.locator("#by-unit tbody tr", has_text="市发展改革委")
    row.locator("td.c-red a").click()
    expect(page).to_have_url(re.compile(rf"/tasks/\?unit={world.a.pk}&unit_role=lead&light=red$"))
    rows = page.locator("table.ledger tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("推进老旧小区改造")

    # the most overdue list names it with its working days overdue, and links to it
    page.go_back()
    overdue = page.locator("#overdue tbody tr").first
    expect(overdue).to_contain_text("推进老旧小区改造")
    overdue.get_by_role("link", name="推进老旧小区改造").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("推进老旧小区改造")

    # 大屏: dark and big
    page.goto("/cockpit/?screen=1")
    screen = page.locator(".cockpit-screen")
    expect(screen).to_be_visible()
    size = page.locator('[data-kpi="red"] .n').evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 40


def test_cockpit_on_a_phone_stacks_the_panels(world, phone, login):
    login(phone, "leader")
    phone.goto("/cockpit/")
    first = phone.locator("#by-unit").bounding_box()
    second = phone.locator("#trend").bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1  # one column
    assert first["width"] <= 375
    # nothing of the cockpit reaches past the screen (wide tables scroll in their frame)
    wider = phone.evaluate(
        """() => Array.from(document.querySelectorAll('#cockpit *'))
            .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > 376)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert wider == []


def _big_tree(world, n: int = 1000) -> Task:
    """A goal with 49 tasks of 19 sub-tasks each plus 50 more (1,000 rows with the goal),
    inserted in bulk (the services are tested elsewhere; this is a page to render)."""
    goal = world.fresh
    today = world.today
    rows: list[Task] = []
    for i in range(n - 1):
        rows.append(
            Task(
                source=goal.source,
                parent=goal,
                code=f"GANTT-{i:04d}",
                title=f"甘特子任务 {i}",
                lead_unit=world.a,
                state="in_progress",
                light=("green", "yellow", "red", "blue")[i % 4],
                start_date=today - dt.timedelta(days=100 - i % 90),
                due=today + dt.timedelta(days=i % 200 - 30),
                progress=i % 100,
                depth=1,
                sort_order=i,
            )
        )
    made = Task.objects.bulk_create(rows)
    if made[0].pk is None:
        made = list(Task.objects.filter(code__startswith="GANTT-").order_by("code"))
    # every 20th is a parent of the next 19
    parent = None
    for i, t in enumerate(made):
        if i % 20 == 0:
            parent = t
            t.path, t.depth = f"{goal.path}{t.pk}/", 1
        else:
            t.parent, t.path, t.depth = parent, f"{parent.path}{t.pk}/", 2
    Task.objects.bulk_update(made, ["parent", "path", "depth"], batch_size=500)
    return goal


def test_gantt_of_a_thousand_tasks(world, page, login):
    goal = _big_tree(world)
    login(page, "leader")
    started = time.perf_counter()
    page.goto(f"/cockpit/goals/{goal.pk}/timeline/")
    expect(page.locator(".gantt-row").last).to_be_attached()
    rows = page.locator(".gantt-row")
    expect(rows).to_have_count(1000)
    expect(rows.first.locator(".gantt-bar")).to_be_visible()
    loaded = time.perf_counter() - started
    timing = page.evaluate(
        "() => { const t = performance.getEntriesByType('navigation')[0];"
        " return {dcl: t.domContentLoadedEventEnd, load: t.loadEventEnd}; }"
    )
    # loosely: a loaded CI machine is slow, but the page must not stall
    assert loaded < 10, loaded
    # it scrolls to the last row
    page.locator(".gantt-row").last.scroll_into_view_if_needed()
    expect(page.locator(".gantt-row").last).to_be_in_viewport()
    # fold a task with 19 sub-tasks: 19 rows disappear; unfold: they come back
    first_parent = page.locator(".gantt-row", has_text="甘特子任务 0").first
    first_parent.locator(".gantt-toggle").click()
    expect(page.locator(".gantt-row:visible")).to_have_count(1000 - 19)
    first_parent.locator(".gantt-toggle").click()
    expect(page.locator(".gantt-row:visible")).to_have_count(1000)
    page.get_by_role("button", name="全部折叠").click()
    expect(page.locator(".gantt-row:visible")).to_have_count(1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gantt-1000.json").write_text(
        json.dumps({"rows": 1000, "wall_s": round(loaded, 2), **timing}, indent=2)
    )
