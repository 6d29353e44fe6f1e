"""搜索 and 接口令牌 in the browser: a liaison finds a task by a word inside its title from the
top-bar box (another unit's liaison does not); makes an API token, calls the API with it,
revokes it and is refused."""

from __future__ import annotations

from playwright.sync_api import expect


def test_search_from_the_top_bar(world, page, login):
    login(page, "liaison_a")
    box = page.locator("form.topsearch input[name=q]")
    box.fill("小区改造")
    box.press("Enter")
    expect(page.get_by_role("heading", name="搜索", exact=True)).to_be_visible()
    expect(page.locator(".search-count")).to_contain_text("找到 1 条结果")
    hit = page.locator(".search-hit").first
    expect(hit.locator("mark").first).to_have_text("小区改造")
    hit.get_by_role("link", name=world.late.code, exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("推进老旧小区改造")

    # a report's words, and the punctuation-only refusal
    page.locator("form.topsearch input[name=q]").fill("市政府审定")
    page.locator("form.topsearch input[name=q]").press("Enter")
    expect(page.locator(".search-hit").first).to_contain_text("进展反馈")
    page.locator("form.search-form input[name=q]").fill("！？")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_role("alert")).to_contain_text("只有标点符号无法搜索")


def test_another_unit_finds_nothing(world, page, login):
    login(page, "liaison_b")
    page.goto("/".join(page.url.split("/")[:3]) + "/search/?q=老旧小区")
    expect(page.locator(".search-count")).to_contain_text("找到 0 条结果")


def test_make_use_and_revoke_a_token(world, page, login):
    login(page, "liaison_a")
    page.get_by_role("link", name="接口令牌").click()
    expect(page.get_by_role("heading", name="接口令牌")).to_be_visible()
    page.get_by_label("名称").fill("OA 对接")
    page.get_by_role("button", name="创建令牌").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("ls_")
    base = "/".join(page.url.split("/")[:3])
    api = page.context.request
    listed = api.get(f"{base}/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert listed.status == 200
    assert world.late.code in {row["code"] for row in listed.json()["results"]}
    page.goto(f"{base}/api/v1/tokens/")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    expect(page.get_by_role("cell", name="OA 对接")).to_be_visible()
    page.get_by_role("button", name="吊销").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text("已吊销")
    refused = api.get(f"{base}/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
