"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a downloaded
browser) against pytest-django's live server.

The live server answers from another thread with the real clock, and clock.pinned_today is
a context variable that does not cross threads. So the world below is built relative to the
real today: past events are recorded under a pinned date in this thread, and every date the
pages show is computed from today, so the tests pass on any day of the year.

Units: the government with 发改委 (A), 交通局 (B) and 财政局 (C). Tasks of the source
《<year>年政府工作报告》:

  fresh  A leads, B helps, with an indicator; assigned today, nobody has signed
  live   A leads; assigned three weeks ago and signed, reported 90 %: ready for 申请办结
  late   A leads; assigned two months ago, signed, due five days ago, never reported: red
  bus    B leads; assigned today, due in half a year: green
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.reports.services import report_submit
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign
from luoshi.tasks.services.refresh import lights_refresh_all
from luoshi.tasks.services.sources import source_create

# Playwright's sync API runs an event loop in this thread; the fixtures still use the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-Browser-2026"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing (Debian package: apt-get install chromium)"
        if os.environ.get("LUOSHI_ALLOW_NO_BROWSER") == "1":
            pytest.skip(reason)
        pytest.fail(reason + "; set LUOSHI_ALLOW_NO_BROWSER=1 to skip the browser tests")
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine is slower than a laptop; auto-waiting covers it up to this long.
    expect.set_options(timeout=10_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _screenshot_on_failure(request, page, n: int) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    RESULTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    suffix = f"-{n + 1}" if n else ""  # the second person's page in a two-person test
    # A crashed page must not hide the test's own failure.
    with contextlib.suppress(Exception):
        page.screenshot(path=str(RESULTS / f"{name}{suffix}.png"), full_page=True)


def _new_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # 签收 and the like ask "确认……？" through window.confirm (htmx hx-confirm): say yes.
    page.on("dialog", lambda dialog: dialog.accept())
    return context, page


@pytest.fixture
def new_page(browser, live_server, request):
    """Open another page in its own context (its own cookies: another user at once)."""
    opened = []

    def open_page(**options):
        context, page = _new_page(browser, live_server, **options)
        opened.append((context, page))
        return page

    yield open_page
    for n, (context, page) in enumerate(opened):
        _screenshot_on_failure(request, page, n)
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page (1280×800)."""
    return new_page(viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone(new_page):
    """A phone: 375×740, touch, mobile viewport rules."""
    return new_page(**PHONE)


def _login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real log-in form and wait for the page it leads to."""
    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


@pytest.fixture
def login():
    """login(page, username): through the log-in form, as a person would."""
    return _login


# --- the world --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _user(username, role, unit=None, full_name="") -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=full_name or username
    )


@pytest.fixture
def world(transactional_db, live_server):
    today = clock.today()
    w = SimpleNamespace(today=today)
    w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
    w.a = unit_create(
        actor=None,
        name="示范市发展和改革委员会",
        short_name="市发展改革委",
        aliases="市发改委",
        kind=UnitKind.DEPARTMENT,
        parent=w.gov,
    )
    w.b = unit_create(
        actor=None,
        name="示范市交通运输局",
        short_name="市交通局",
        kind=UnitKind.DEPARTMENT,
        parent=w.gov,
    )
    w.c = unit_create(
        actor=None,
        name="示范市财政局",
        short_name="市财政局",
        kind=UnitKind.DEPARTMENT,
        parent=w.gov,
    )
    w.sup = _user("sup", Role.SUPERVISOR, w.gov, "周督查")
    w.leader = _user("leader", Role.LEADER, w.gov, "李副市长")
    w.liaison_a = _user("liaison_a", Role.LIAISON, w.a, "甲联络员")
    w.liaison_b = _user("liaison_b", Role.LIAISON, w.b, "乙联络员")
    w.sysadmin = _user("sysadmin", Role.SYSADMIN, None, "系统管理员")
    w.auditor = _user("auditor", Role.AUDITOR, None, "审计管理员")

    w.source = source_create(
        actor=w.sup,
        kind="work_report",
        title=f"{today.year}年政府工作报告",
        code=f"{today.year}-ZD",
    )

    def make(title, lead, due, co=(), **fields):
        return task_create(
            actor=w.sup,
            source=w.source,
            title=title,
            lead_unit=lead,
            co_units=list(co),
            due=due,
            report_cycle="monthly",
            **fields,
        )

    long_ago = today - dt.timedelta(days=60)
    with clock.pinned_today(long_ago):
        w.late = make("推进老旧小区改造", w.a, today - dt.timedelta(days=5), lead_leader=w.leader)
        task_assign(actor=w.sup, task=w.late)
        assignment_acknowledge(actor=w.liaison_a, task=w.late)

    weeks_ago = today - dt.timedelta(days=21)
    with clock.pinned_today(weeks_ago):
        w.live = make("发布年度投资计划", w.a, today + dt.timedelta(days=90))
        task_assign(actor=w.sup, task=w.live)
        assignment_acknowledge(actor=w.liaison_a, task=w.live)
        report_submit(
            actor=w.liaison_a, task=w.live, progress_text="计划已报市政府审定。", percent=90
        )

    w.fresh = make(
        "实施重大项目攻坚行动",
        w.a,
        today + dt.timedelta(days=150),
        co=[w.b],
        lead_leader=w.leader,
        indicators=[
            {"name": "重大项目完成投资", "measure_unit": "亿元", "baseline": 0, "target": 800}
        ],
    )
    task_assign(actor=w.sup, task=w.fresh)
    w.bus = make("开通城市快速公交线路", w.b, today + dt.timedelta(days=180))
    task_assign(actor=w.sup, task=w.bus)

    lights_refresh_all(today=today)
    for name in vars(w).copy():
        obj = getattr(w, name)
        if hasattr(obj, "refresh_from_db") and getattr(obj, "pk", None):
            obj.refresh_from_db()
    return w
