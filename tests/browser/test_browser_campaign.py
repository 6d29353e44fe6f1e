"""督查室人员 runs a campaign in the browser: a plan with one item, 印发; a scheme from that
item; 启动实施 (the notices go out at once, the start being today); a 督查记录 with a photo;
then the report issued and downloaded as .docx."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image
from playwright.sync_api import expect

from luoshi.campaigns.models import Inspection, InspectionNotice


def _png(tmp_path):
    path = tmp_path / "现场.png"
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (20, 120, 200)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_plan_to_inspection_to_record_to_report(world, page, login, tmp_path):
    today = dt.date.today()
    login(page, "sup")
    page.goto("/campaigns/plans/")
    page.get_by_label("年度").fill(str(today.year))
    page.get_by_label("标题").fill(f"{today.year}年度督查计划")
    page.get_by_role("button", name="新建").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{today.year}年度督查计划")

    page.get_by_label("督查事项").fill("优化营商环境专项督查")
    page.get_by_label("计划月份").fill(str(today.month))
    page.get_by_label("督查对象").select_option(label=[world.a.display_name, world.b.display_name])
    page.get_by_role("button", name="增加").click()
    page.get_by_role("button", name="印发").click()
    expect(page.get_by_text("督查计划已印发。")).to_be_visible()

    page.get_by_role("link", name="拟定督查方案").click()
    expect(page.get_by_label("督查事项")).to_have_value("优化营商环境专项督查")
    page.get_by_label("督查内容与范围").fill("检查涉企审批时限。")
    page.get_by_label("听取汇报").check()
    page.get_by_label("实地核查").check()
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_label("结束日期").fill((today + dt.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="保存").click()
    inspection = Inspection.objects.get()
    expect(page).to_have_url(f"{page.url.split('/campaigns/')[0]}/campaigns/{inspection.pk}/")

    page.get_by_role("button", name="启动实施").click()
    expect(page.get_by_text("督查方案已启动实施。")).to_be_visible()
    assert InspectionNotice.objects.filter(inspection=inspection).count() == 2

    page.get_by_role("link", name="记录", exact=True).click()
    page.get_by_role("combobox", name="方式", exact=True).select_option(label="实地核查")
    page.get_by_label("地点").fill("政务服务大厅")
    page.get_by_label("参加人员").fill("周督查、窗口负责人")
    page.get_by_label("情况记录").fill("抽查 20 件审批件，均在承诺时限内办结。")
    page.get_by_label("照片和文件").set_input_files(str(_png(tmp_path)))
    page.get_by_role("button", name="保存记录").click()
    expect(page.get_by_text("督查记录已保存。")).to_be_visible()
    expect(page.get_by_role("link", name="现场.png")).to_be_visible()

    page.get_by_role("link", name="报告", exact=True).click()
    page.get_by_label("总体评价和建议").fill("审批时限执行总体较好。")
    page.get_by_role("button", name="印发").click()
    expect(page.get_by_text(f"督查报告〔{today.year}〕1号").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载督查报告").click()
    assert download.value.suggested_filename.endswith(".docx")
    inspection.refresh_from_db()
    assert inspection.state == "reported"
