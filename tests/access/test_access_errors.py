"""Refusals and errors are pages in Chinese inside the layout: 403 says why (the policy's
reason, specific to the action and the task's state), 404 does not reveal what exists, 500
stands alone. The test settings run with DEBUG off, as production does."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import path, reverse
from django.views.defaults import server_error

from luoshi.access.views import rule

pytestmark = pytest.mark.django_db

LEAD_ONLY = "只有牵头单位的联络员或负责人可以申请办结。"


def _page(response) -> str:
    return response.content.decode()


def _main(html: str) -> str:
    """The page's main part (the top bar holds the URL and a CSRF token)."""
    return re.search(r"<main.*</main>", html, re.S).group(0)


def test_debug_is_off_in_the_tests():
    assert settings.DEBUG is False


def _forbidden(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 403
    html = _page(response)
    assert "无权执行此操作" in html
    assert f'href="{reverse("home")}"' in html and "返回工作台" in html
    assert 'class="topbar"' in html  # inside the layout, with the menu
    return html


@pytest.mark.parametrize(
    ("who", "url_name", "task", "reason"),
    [
        # who may (role)
        ("auditor", "tasks:create", None, "只有督查室人员可以新建任务。"),
        ("lead_liaison", "tasks:sources", None, "只有督查室人员和领导可以查看任务来源。"),
        ("sup", "audit:log", None, "只有审计管理员可以查看审计日志。"),
        ("leader_in", "org:units", None, "只有系统管理员可以管理单位与账号。"),
        ("sysadmin", "tasks:list", None, "台账只对督查室人员、领导和承办单位开放。"),
        ("leader_in", "tasks:task_edit", "live", "只有督查室人员可以编辑任务。"),
        ("leader_in", "tasks:decompose", "live", "只有督查室人员可以分解任务。"),
        ("lead_liaison", "tasks:verify", "pending", "只有督查室人员可以审核办结申请。"),
        ("lead_liaison", "tasks:return", "pending", "只有督查室人员可以退回办结申请。"),
        ("co_liaison", "tasks:suspend", "live", "只有督查室人员可以暂缓任务。"),
        ("leader_in", "tasks:assign", "draft", "只有督查室人员可以交办任务。"),
        ("co_liaison", "tasks:closure_request", "live", LEAD_ONLY),
        ("sup", "reports:submit", "live", "只有任务承办单位的联络员或负责人可以填报进展。"),
        # why not now (state, signature)
        ("sup", "tasks:verify", "live", "该任务没有待审核的办结申请（当前状态为“办理中”）。"),
        ("sup", "tasks:assign", "live", "只有起草中的任务可以交办；该任务当前状态为“办理中”。"),
        ("sup", "tasks:task_edit", "closed", "任务已办结或已撤销，不能再修改。"),
        ("sup", "tasks:suspend", "closed", "任务当前状态为“已办结”，不能暂缓。"),
        ("lead_liaison", "tasks:closure_request", "fresh", "请先签收任务。"),
        ("lead_liaison", "tasks:closure_request", "pending", "该任务已申请办结，正在等待审核。"),
        ("lead_liaison", "reports:submit", "fresh", "请先签收任务。"),
        ("co_liaison", "reports:submit", "closed", "任务当前状态为“已办结”，不能填报。"),
        ("lead_liaison", "reports:submit", "suspended", "任务当前状态为“暂缓”，不能填报。"),
    ],
)
def test_a_form_opened_without_permission_says_why(
    world, today, login, who, url_name, task, reason
):
    args = [getattr(world, task).pk] if task else []
    html = _forbidden(login(getattr(world, who)), reverse(url_name, args=args))
    assert reason in html
    assert "您没有执行此操作的权限。" not in html  # the specific reason, not the generic one


def test_a_refused_post_says_why(world, today, login):
    client = login(world.co_liaison)
    response = client.post(
        reverse("tasks:closure_request", args=[world.live.pk]), {"summary": "配合单位不能申请。"}
    )
    assert response.status_code == 403
    assert "只有牵头单位可以申请办结。" in _page(response)


def test_an_invalid_form_from_someone_not_allowed_is_refused_with_the_reason(world, today, login):
    client = login(world.leader_in)
    response = client.post(reverse("tasks:suspend", args=[world.live.pk]), {"reason": ""})
    assert response.status_code == 403
    assert "只有督查室人员可以暂缓任务。" in _page(response)


def test_an_unknown_url_is_a_chinese_404_page(world, login):
    response = login(world.sup).get("/no/such/page/")
    assert response.status_code == 404
    html = _page(response)
    assert "页面不存在" in html and "返回工作台" in html
    assert 'class="topbar"' in html
    assert "Not Found" not in html and "tried" not in html


def test_an_unknown_url_is_a_404_page_for_anonymous_users_too(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in _page(response)


def test_a_task_the_user_may_not_see_is_404_with_the_same_words_as_a_missing_one(
    world, today, login
):
    client = login(world.other_liaison)
    hidden = client.get(reverse("tasks:detail", args=[world.live.pk]))
    missing = client.get(reverse("tasks:detail", args=[987654]))
    assert hidden.status_code == missing.status_code == 404
    assert "任务不存在或您无权查看。" in _page(hidden)
    assert _main(_page(hidden)) == _main(_page(missing))


def test_djangos_english_not_found_text_is_not_shown(world, today, login):
    response = login(world.sup).get(reverse("tasks:source_detail", args=[987654]))
    assert response.status_code == 404
    html = _page(response)
    assert "页面不存在" in html
    assert "matches the given query" not in html


def test_the_500_page_needs_no_database_and_no_context(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    html = _page(response)
    assert response.status_code == 500
    assert "抱歉，系统出错了" in html and "请联系系统管理员" in html
    assert "{%" not in html and "{{" not in html


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", rule("home.view")(_boom))]


@pytest.mark.urls(__name__)
def test_an_error_in_a_view_shows_the_500_page(world, client):
    client.raise_request_exception = False
    client.force_login(world.sup)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "抱歉，系统出错了" in _page(response)


def test_while_the_unit_head_reviews_a_closure_the_reasons_say_so(world, today, login, settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLOSURE_NEEDS_HEAD_APPROVAL": True}
    client = login(world.lead_liaison)
    url = reverse("tasks:closure_request", args=[world.live.pk])
    assert client.post(url, {"summary": "全部完成。"}).status_code == 302
    html = _forbidden(client, url)
    assert "办结申请已提交，正在等待本单位负责人审核。" in html
    # the liaison may not approve it; the co-unit's head is not the lead unit's head
    approve = reverse("tasks:head_approve", args=[world.live.pk])
    assert "只有牵头单位的负责人可以审核本单位的办结申请。" in _forbidden(client, approve)
    co_head = login(world.co_head)
    assert "只有牵头单位的负责人可以审核本单位的办结申请。" in _forbidden(co_head, approve)
    assert login(world.lead_head).get(approve).status_code == 200
