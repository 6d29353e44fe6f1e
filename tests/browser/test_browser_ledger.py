"""导入台账 in the browser: the office uploads the sample ledger (merged two-row headers,
chapters, abbreviations), sees the preview with one unmatched unit (市园林局), chooses the unit
for it, confirms, and finds the tasks in 台账; then exports the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from luoshi.demo.units import build_units
from luoshi.org.models import Role, User
from luoshi.tasks.models import Source, Task
from tests.browser.conftest import PASSWORD, RESULTS

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ledgers" / "taizhang-merged-headers.xlsx"


@pytest.fixture
def city(transactional_db, live_server):
    units = build_units(actor=None)
    User.objects.create_user(
        "sup", password=PASSWORD, role=Role.SUPERVISOR, unit=units.duchashi, full_name="林督查"
    )
    User.objects.create_user(
        "li",
        password=PASSWORD,
        role=Role.LEADER,
        unit=units.root,
        full_name="李建国",
        title="副市长",
    )
    return units


def test_supervisor_imports_the_sample_ledger(city, page, login):
    login(page, "sup")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="台账").click()
    page.get_by_role("link", name="导入台账").click()
    expect(page.get_by_role("heading", name="导入台账")).to_be_visible()
    page.get_by_label("台账文件").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="上传并预览").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("导入预览")
    blocking = page.locator("#plan-blocking")
    expect(blocking).to_contain_text("市园林局")
    confirm = page.get_by_role("button", name="确认导入")
    expect(confirm).to_be_disabled()
    plan = page.locator(".ledger-plan")
    expect(plan).to_contain_text("实施制造业重点产业链高质量发展行动")
    expect(plan).to_contain_text("市工信局")  # 市工信局 matched to its unit
    expect(page.get_by_label("责任单位›牵头单位")).to_have_value("lead_units")
    page.screenshot(path=str(RESULTS / "ledger-preview.png"), full_page=True)

    page.get_by_label("市园林局").select_option(label="示范市城市管理局")
    page.get_by_role("button", name="更新预览").click()
    expect(page.locator("#plan-blocking")).to_have_count(0)
    expect(confirm).to_be_enabled()
    confirm.click()

    expect(page.get_by_role("heading", name="任务台账")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("台账已导入：新建 6 项任务")
    table = page.locator("table.ledger")
    expect(table).to_contain_text("实施制造业重点产业链高质量发展行动")
    expect(table).to_contain_text("新建改建城市公园和口袋公园30个")
    source = Source.objects.get(title="示范市2026年重点工作任务推进台账")
    parks = Task.objects.get(source=source, title="新建改建城市公园和口袋公园30个")
    assert parks.lead_unit.short_name == "市城管局"
    assert Task.objects.filter(source=source).count() == 6

    with page.expect_download() as download:
        page.get_by_role("link", name="导出台账").click()
    path = download.value.path()
    assert Path(path).read_bytes()[:2] == b"PK"
