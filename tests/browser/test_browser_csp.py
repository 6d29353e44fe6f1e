"""The content-security policy in a real browser: the main pages of each role load with no
violation reported in the console (Chromium logs every refused script, style, image or
connection), and the htmx fragments and the API's Swagger UI work under it."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

PAGES = {
    "sup": [
        "/",
        "/tasks/",
        "task",
        "/cockpit/",
        "/evaluation/",
        "/policies/",
        "/ledger/import/",
        "/api/v1/docs",
    ],
    "leader": ["/", "/tasks/", "task", "/cockpit/"],
    "liaison_a": ["/", "/tasks/", "task"],
}


def _watch(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: (
            seen.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: seen.append(f"page error: {exc}"))
    return seen


def test_main_pages_of_each_role_raise_no_csp_violation(world, new_page, login):
    task_url = reverse("tasks:detail", args=[world.fresh.pk])
    problems: dict[str, list[str]] = {}
    for username, paths in PAGES.items():
        page = new_page(viewport={"width": 1280, "height": 800})
        page.set_default_navigation_timeout(60_000)  # a loaded machine renders slowly
        seen = _watch(page)
        login(page, username)
        for path in paths:
            url = task_url if path == "task" else path
            response = page.goto(url)
            assert response is not None and response.status < 400, (username, url)
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
            page.wait_for_load_state("networkidle", timeout=60_000)
            if seen:
                problems[f"{username} {url}"] = list(seen)
                seen.clear()
    assert problems == {}


def test_swagger_ui_renders_under_the_policy(world, page, login):
    page.set_default_navigation_timeout(60_000)
    seen = _watch(page)
    login(page, "sup")
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Luoshi", timeout=60_000)
    assert seen == []


def test_htmx_and_the_confirm_handler_work_without_inline_script(world, page, login):
    """签收 is an htmx post with hx-confirm; the page's own JS is all from files."""
    seen = _watch(page)
    login(page, "liaison_a")
    page.goto(reverse("tasks:detail", args=[world.fresh.pk]))
    page.locator("#task-actions").get_by_role("button", name="签收").click()
    expect(page.get_by_role("status")).to_contain_text("已签收")
    assert seen == []
