"""单位负责人审核 (DESIGN.md, roles: the unit head "must approve the unit's closure requests
before they go up (configurable)"). With LUOSHI["CLOSURE_NEEDS_HEAD_APPROVAL"] on, a liaison's
办结申请 waits for the head of the lead unit; the head sends it up (同意上报) or returns it with
a reason; the office only ever sees requests the head approved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.access import policy
from luoshi.tasks.models import ClosureDecision, EventKind, TaskState
from luoshi.tasks.services.lifecycle import closure_request
from tests.views.conftest import snapshot


@pytest.fixture
def head_approval(settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLOSURE_NEEDS_HEAD_APPROVAL": True}


@pytest.fixture
def requested(world, today, head_approval):
    """The liaison of A asks to close `live`; it now waits for A's head."""
    closure_request(actor=world.liaison_a, task=world.live, summary="改造全部完成。")
    world.live.refresh_from_db()
    return world.live


def test_off_by_default_a_liaison_request_goes_straight_to_the_office(world, today, settings):
    assert settings.LUOSHI["CLOSURE_NEEDS_HEAD_APPROVAL"] is False
    request = closure_request(actor=world.liaison_a, task=world.live, summary="完成。")
    world.live.refresh_from_db()
    assert request.decision == ClosureDecision.PENDING
    assert world.live.state == TaskState.CLOSURE_REQUESTED


def test_liaison_request_waits_for_the_head_and_the_office_cannot_verify_yet(world, requested):
    assert requested.state == TaskState.IN_PROGRESS
    assert requested.closure_requests.get().decision == ClosureDecision.HEAD_PENDING
    assert "task.verify" not in policy.task_actions(world.sup, requested)
    assert "task.request_closure" not in policy.task_actions(world.liaison_a, requested)
    assert policy.task_actions(world.head_a, requested) >= {"task.head_review"}
    assert "task.head_review" not in policy.task_actions(world.liaison_a, requested)


def test_a_second_request_while_the_head_has_not_decided_is_refused(world, requested, login):
    before = snapshot()
    response = login(world.liaison_a).post(
        reverse("tasks:closure_request", args=[requested.pk]), {"summary": "再申请一次"}
    )
    assert response.status_code == 200
    assert "已提交办结申请，正在等待单位负责人审核。" in response.content.decode()
    assert snapshot() == before


def test_head_home_lists_it_and_the_head_sends_it_up(world, requested, login):
    client = login(world.head_a)
    home = client.get(reverse("home")).content.decode()
    assert "待负责人审核的办结申请" in home and requested.title in home

    page = client.get(reverse("tasks:head_approve", args=[requested.pk]))
    assert page.status_code == 200
    assert "改造全部完成。" in page.content.decode()

    response = client.post(
        reverse("tasks:head_approve", args=[requested.pk]), {"comment": "同意上报"}
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    request = requested.closure_requests.get()
    assert requested.state == TaskState.CLOSURE_REQUESTED
    assert request.decision == ClosureDecision.PENDING
    assert request.head_approved_by == world.head_a
    assert requested.events.filter(kind=EventKind.HEAD_APPROVED, actor=world.head_a).exists()
    assert "task.verify" in policy.task_actions(world.sup, requested)


def test_head_returns_it_with_a_reason_the_liaison_sees_and_may_ask_again(world, requested, login):
    client = login(world.head_a)
    before = snapshot()
    empty = client.post(reverse("tasks:head_return", args=[requested.pk]), {"return-reason": ""})
    assert empty.status_code == 200
    assert "请填写理由" in empty.content.decode()
    assert snapshot() == before

    response = client.post(
        reverse("tasks:head_return", args=[requested.pk]), {"return-reason": "佐证材料不全"}
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.state == TaskState.IN_PROGRESS
    assert requested.closure_requests.get().decision == ClosureDecision.RETURNED
    assert requested.events.filter(kind=EventKind.HEAD_RETURNED).exists()

    liaison_home = login(world.liaison_a).get(reverse("home")).content.decode()
    assert "佐证材料不全" in liaison_home
    assert "task.request_closure" in policy.task_actions(world.liaison_a, requested)


@pytest.mark.parametrize("who", ["liaison_a", "sup", "liaison_b", "leader"])
def test_only_the_lead_units_head_may_decide(world, requested, login, who):
    before = snapshot()
    response = login(getattr(world, who)).post(
        reverse("tasks:head_approve", args=[requested.pk]), {"comment": ""}
    )
    assert response.status_code in (403, 404)
    assert snapshot() == before
    requested.refresh_from_db()
    assert requested.closure_requests.get().decision == ClosureDecision.HEAD_PENDING


def test_a_heads_own_request_goes_straight_up(world, today, head_approval):
    request = closure_request(actor=world.head_a, task=world.live, summary="完成。")
    world.live.refresh_from_db()
    assert request.decision == ClosureDecision.PENDING
    assert request.head_approved_by == world.head_a
    assert world.live.state == TaskState.CLOSURE_REQUESTED
