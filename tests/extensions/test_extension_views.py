"""The pages of 申请延期: the button on the task page, the request form, the request's page
with 同意 / 不同意, the lists on the 工作台 of the office and of the lead leader, and the old
due in the task's history. Refusals: 404 for who may not see, 403 with the reason for who
sees but may not act, the form back with the Chinese message for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.extensions.models import ExtensionRequest, ExtensionState
from luoshi.extensions.services import extension_approve, extension_request
from luoshi.tasks.models import Task
from tests.extensions.world import DUE, snapshot

GOOD = {"new_due": "2026-09-30", "reason": "受汛期影响，主体工程顺延。"}


def _request(world, task=None):
    return extension_request(
        actor=world.liaison_a,
        task=task or world.normal,
        new_due=dt.date(2026, 9, 30),
        reason="受汛期影响，主体工程顺延。",
    )


def _page(client, task) -> str:
    response = client.get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_button_is_on_the_lead_units_task_page(world, today, login):
    url = reverse("extensions:request", args=[world.normal.pk])
    assert url in _page(login(world.liaison_a), world.normal)
    assert url not in _page(login(world.liaison_b), world.normal)  # the co-unit
    assert url not in _page(login(world.sup), world.normal)
    assert reverse("extensions:request", args=[world.ongoing.pk]) not in _page(
        login(world.liaison_a), world.ongoing
    )


def test_request_through_the_form(world, today, login):
    client = login(world.liaison_a)
    url = reverse("extensions:request", args=[world.normal.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "当前完成时限：2026-06-30" in page.content.decode()
    response = client.post(url, GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[world.normal.pk])
    request = ExtensionRequest.objects.get()
    assert (request.new_due, request.requested_by) == (dt.date(2026, 9, 30), world.liaison_a)
    page = _page(client, world.normal)
    assert "延期申请已提交，等待督查室审核。" in page
    assert "申请将完成时限由 2026-06-30 延至 2026-09-30" in page  # the history entry
    assert reverse("extensions:request", args=[world.normal.pk]) not in page  # one at a time


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"new_due": "2026-06-01", "reason": "工期紧。"},
            "申请延至的日期须晚于当前完成时限（2026-06-30）。",
        ),
        ({"new_due": "2026-09-30", "reason": ""}, "请填写延期理由。"),
        ({"new_due": "", "reason": "工期紧。"}, "请填写申请延至的日期。"),
        (
            {"new_due": "9月底", "reason": "工期紧。"},
            "日期格式不正确，请按 2026-06-30 的格式填写。",
        ),
    ],
)
def test_bad_input_comes_back_on_the_form(world, today, login, data, message):
    before = snapshot()
    response = login(world.liaison_a).post(
        reverse("extensions:request", args=[world.normal.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("liaison_b", 403, "只有牵头单位的联络员或负责人可以申请延期。"),
        ("sup", 403, "只有牵头单位的联络员或负责人可以申请延期。"),
        ("liaison_c", 404, None),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_who_may_not_request(world, today, login, who, status, message, method):
    before = snapshot()
    client = login(getattr(world, who))
    url = reverse("extensions:request", args=[world.normal.pk])
    response = client.get(url) if method == "get" else client.post(url, GOOD)
    assert response.status_code == status
    if message:
        assert message in response.content.decode()
    assert snapshot() == before


def test_the_office_decides_on_the_requests_page(world, today, login):
    request = _request(world)
    client = login(world.sup)
    page = _page(client, world.normal)
    assert reverse("extensions:open_for_task", args=[world.normal.pk]) in page
    opened = client.get(reverse("extensions:open_for_task", args=[world.normal.pk]))
    assert opened["Location"] == reverse("extensions:detail", args=[request.pk])
    detail = client.get(opened["Location"]).content.decode()
    assert "受汛期影响，主体工程顺延。" in detail
    assert 'name="decision" value="approve"' in detail
    # 不同意 needs a reason: the page comes back with the message, nothing changes
    before = snapshot()
    url = reverse("extensions:decide", args=[request.pk])
    empty = client.post(url, {"decision": "refuse", "comment": ""})
    assert empty.status_code == 200
    assert "不同意时请填写理由。" in empty.content.decode()
    assert snapshot() == before
    done = client.post(url, {"decision": "approve", "comment": "同意。"})
    assert done.status_code == 302
    assert done["Location"] == reverse("tasks:detail", args=[world.normal.pk])
    assert Task.objects.get(pk=world.normal.pk).due == dt.date(2026, 9, 30)
    page = _page(client, world.normal)
    assert "已同意延期，完成时限调整为 2026-09-30。" in page
    assert "完成时限由 2026-06-30 延至 2026-09-30" in page  # the old due in the history
    assert "已延期" in page


def test_the_leader_decides_a_high_priority_request_from_the_home_page(world, today, login):
    request = _request(world, world.high)
    sup = login(world.sup)
    home = sup.get(reverse("home")).content.decode()
    assert 'id="extensions-pending"' in home
    assert reverse("extensions:detail", args=[request.pk]) in home
    response = sup.post(
        reverse("extensions:decide", args=[request.pk]), {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 302
    assert 'id="extensions-pending"' not in sup.get(reverse("home")).content.decode()

    leader = login(world.leader)
    home = leader.get(reverse("home")).content.decode()
    assert 'id="extensions-pending"' in home
    assert "督查室已同意" in home
    detail = leader.get(reverse("extensions:detail", args=[request.pk])).content.decode()
    assert "领导审批" in detail
    leader.post(
        reverse("extensions:decide", args=[request.pk]),
        {"decision": "refuse", "comment": "不同意。"},
    )
    request.refresh_from_db()
    assert request.state == ExtensionState.REFUSED
    assert Task.objects.get(pk=world.high.pk).due == DUE
    assert 'id="extensions-pending"' not in leader.get(reverse("home")).content.decode()


WHO_DECIDES = "延期申请由督查室审核；重要任务经督查室同意后由牵头领导审批。"


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("liaison_a", 403, WHO_DECIDES),
        ("head_a", 403, WHO_DECIDES),
        # the lead leader of this task, before the office has spoken
        ("leader", 403, "该延期申请尚待督查室审核，督查室同意后再报您审批。"),
        ("leader2", 403, WHO_DECIDES),
        ("liaison_b", 404, None),  # the co-unit does not read the lead unit's request
        ("liaison_c", 404, None),
    ],
)
def test_who_may_not_decide(world, today, login, who, status, message):
    request = _request(world)
    client = login(getattr(world, who))
    before = snapshot()
    response = client.post(
        reverse("extensions:decide", args=[request.pk]), {"decision": "approve", "comment": ""}
    )
    assert response.status_code == status
    if message:
        assert message in response.content.decode()
    assert snapshot() == before


def test_the_request_page_is_the_lead_units_part(world, today, login):
    request = _request(world)
    url = reverse("extensions:detail", args=[request.pk])
    for who in ("liaison_a", "head_a", "sup", "leader"):
        page = login(getattr(world, who)).get(url)
        assert page.status_code == 200, who
    # only the decider gets the form
    assert 'name="decision"' not in login(world.liaison_a).get(url).content.decode()
    assert 'name="decision"' not in login(world.leader).get(url).content.decode()
    # a co-unit neither opens it nor reads the reason in the history
    assert login(world.liaison_b).get(url).status_code == 404
    assert "受汛期影响" not in _page(login(world.liaison_b), world.normal)
    assert "受汛期影响" in _page(login(world.liaison_a), world.normal)


def test_a_decided_request_shows_both_opinions(world, today, login):
    request = _request(world, world.high)
    extension_approve(actor=world.sup, request=request, comment="情况属实。")
    extension_approve(actor=world.leader, request=request, comment="同意延期。")
    page = login(world.liaison_a).get(reverse("extensions:detail", args=[request.pk]))
    text = page.content.decode()
    assert "情况属实。" in text and "同意延期。" in text
    assert 'name="decision"' not in text


def test_wrong_methods(world, today, login):
    request = _request(world)
    client = login(world.sup)
    assert client.get(reverse("extensions:decide", args=[request.pk])).status_code == 405
    assert client.post(reverse("extensions:detail", args=[request.pk])).status_code == 405
    assert client.put(reverse("extensions:request", args=[world.normal.pk])).status_code == 405


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_read_only_pages_refuse_other_methods(world, today, login, method):
    request = _request(world)
    client = login(world.sup)
    urls = [
        reverse("extensions:list"),
        reverse("extensions:detail", args=[request.pk]),
        reverse("extensions:open_for_task", args=[request.task_id]),
    ]
    before = snapshot()
    for url in urls:
        assert getattr(client, method)(url).status_code == 405, url
    assert snapshot() == before
    for url in urls:  # HEAD is a GET without the body (a download is audited as one)
        assert client.head(url).status_code in (200, 302), url
