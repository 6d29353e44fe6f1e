"""督查室人员 in the browser: 督查通报 → 生成通报, preview this year's figures (the overdue task
is listed), generate the draft, download its Word document and 印发 it (numbered)."""

from __future__ import annotations

import io

from docx import Document
from playwright.sync_api import expect

from luoshi.bulletins.models import Bulletin, BulletinState


def test_supervisor_previews_generates_downloads_and_issues_a_bulletin(world, page, login):
    login(page, "sup")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="督查通报").click()
    expect(page.get_by_role("heading", name="督查通报", level=1)).to_be_visible()
    page.get_by_role("link", name="生成通报").click()

    page.get_by_label("通报期间").select_option(label="本年")
    page.get_by_role("button", name="预览统计").click()
    preview = page.get_by_role("region", name="预览")
    expect(preview).to_contain_text(f"预览：{world.today.year}年")
    expect(preview.locator(".card", has_text="逾期未办结事项")).to_contain_text("推进老旧小区改造")
    assert not Bulletin.objects.exists()  # a preview writes nothing

    page.get_by_label("标题").fill("关于重点工作任务落实情况的通报")
    page.get_by_role("button", name="生成通报").click()
    expect(page.get_by_role("status")).to_contain_text("通报草稿已生成")
    expect(page.get_by_role("heading", level=1)).to_have_text("关于重点工作任务落实情况的通报")
    expect(page.locator(".bulletin-state")).to_have_text("草稿")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as f:
        texts = [p.text for p in Document(io.BytesIO(f.read())).paragraphs]
    assert "关于重点工作任务落实情况的通报" in texts
    assert any("推进老旧小区改造" in t for t in texts)

    page.get_by_role("button", name="印发").click()  # confirms (the page fixture says yes)
    number = f"督查通报〔{world.today.year}〕1号"
    expect(page.get_by_role("status")).to_contain_text(f"{number} 已印发。")
    expect(page.locator(".bulletin-state")).to_have_text("已印发")
    expect(page.get_by_role("button", name="印发")).to_have_count(0)
    bulletin = Bulletin.objects.get()
    assert bulletin.state == BulletinState.ISSUED and bulletin.number == number
