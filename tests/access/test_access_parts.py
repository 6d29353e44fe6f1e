"""A co-unit sees the task and its own part (DESIGN.md, Roles): on a task it helps with, a
co-unit reads its own progress reports and files, not the lead unit's nor its closure
request; the office, leaders and the lead unit read every part. Checked in the policy, on
the task page and on the download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.access import policy

pytestmark = pytest.mark.django_db

LEAD_TEXT = "牵头单位：已完成更新方案初稿。"
LEAD_PROBLEM = "牵头单位：资金缺口较大。"
CO_TEXT = "配合单位：完成交通配套方案。"
CLOSURE_TEXT = "牵头单位办结情况：全部完成。"

EVERY_PART = ("sup", "leader_in", "leader_lead", "lead_liaison", "lead_head")
OWN_PART = ("co_liaison", "co_head")


@pytest.mark.parametrize("who", EVERY_PART + OWN_PART)
def test_visible_reports(world, who):
    user = getattr(world, who)
    units = set(policy.visible_reports(user, world.live).values_list("unit__short_name", flat=True))
    if who in OWN_PART:
        assert units == {"市交通局"}
        assert policy.part_unit_id(user, world.live) == world.b.pk
        assert not policy.sees_every_part(user, world.live)
    else:
        assert units == {"市发展改革委", "市交通局"}
        assert policy.sees_every_part(user, world.live)


@pytest.mark.parametrize("who", ("other_liaison", "sup_out", "leader_out", "sysadmin", "inactive"))
def test_nobody_else_reads_any_part(world, who):
    user = getattr(world, who)
    assert not policy.visible_reports(user, world.live).exists()
    assert not policy.visible_closure_requests(user, world.pending).exists()
    assert not policy.visible_events(user, world.live).exists()
    assert not policy.sees_every_part(user, world.live)


def test_closure_requests_are_the_lead_units(world):
    assert policy.visible_closure_requests(world.lead_liaison, world.pending).count() == 1
    assert policy.visible_closure_requests(world.sup, world.pending).count() == 1
    assert policy.visible_closure_requests(world.leader_in, world.pending).count() == 1
    assert not policy.visible_closure_requests(world.co_liaison, world.pending).exists()


def test_history_hides_the_other_units_reports_from_a_co_unit(world):
    def kinds(user, task):
        return sorted(
            (e.kind, e.unit.short_name if e.unit else "")
            for e in policy.visible_events(user, task).select_related("unit")
        )

    lead_view = kinds(world.lead_liaison, world.live)
    co_view = kinds(world.co_liaison, world.live)
    assert ("reported", "市发展改革委") in lead_view and ("reported", "市交通局") in lead_view
    assert ("reported", "市交通局") in co_view
    assert ("reported", "市发展改革委") not in co_view
    # who signed is part of the task, not of a unit's part
    assert ("acknowledged", "市发展改革委") in co_view
    assert set(co_view) == set(lead_view) - {("reported", "市发展改革委")}
    assert ("closure_requested", "市发展改革委") in kinds(world.sup, world.pending)
    assert ("closure_requested", "市发展改革委") not in kinds(world.co_liaison, world.pending)


def _task_page(client, task) -> str:
    response = client.get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", OWN_PART)
def test_task_page_of_a_co_unit_shows_its_own_part_only(world, today, login, who):
    html = _task_page(login(getattr(world, who)), world.live)
    # the task itself, its time node, overall progress and who takes part
    assert "推进城市更新行动" in html and "完成方案" in html
    assert "市发展改革委" in html and "市交通局" in html
    # its own part
    assert CO_TEXT in html and "配合单位进展.pdf" in html
    assert reverse("reports:attachment", args=[world.co_file.pk]) in html
    # not the lead unit's
    assert LEAD_TEXT not in html and LEAD_PROBLEM not in html
    assert "牵头单位进展.pdf" not in html
    assert reverse("reports:attachment", args=[world.lead_file.pk]) not in html


@pytest.mark.parametrize("who", OWN_PART)
def test_task_page_of_a_co_unit_hides_the_closure_request(world, today, login, who):
    html = _task_page(login(getattr(world, who)), world.pending)
    assert "清理拖欠企业账款" in html
    assert CLOSURE_TEXT not in html
    assert "办结佐证.pdf" not in html
    assert "牵头单位：已完成。" not in html


@pytest.mark.parametrize("who", EVERY_PART)
def test_task_page_shows_every_part_to_the_office_leaders_and_lead_unit(world, today, login, who):
    html = _task_page(login(getattr(world, who)), world.live)
    assert LEAD_TEXT in html and CO_TEXT in html
    assert "牵头单位进展.pdf" in html and "配合单位进展.pdf" in html


@pytest.mark.parametrize("who", ("sup", "leader_in", "lead_liaison", "lead_head"))
def test_closure_request_is_shown_to_those_who_see_every_part(world, today, login, who):
    html = _task_page(login(getattr(world, who)), world.pending)
    assert CLOSURE_TEXT in html and "办结佐证.pdf" in html


# who may download each file of the world: everyone else who sees the task gets 404
FILES = {
    "lead_file": {"sup", "leader_in", "leader_lead", "lead_liaison", "lead_head"},
    "co_file": {
        "sup",
        "leader_in",
        "leader_lead",
        "lead_liaison",
        "lead_head",
        "co_liaison",
        "co_head",
    },
    "closure_file": {"sup", "leader_in", "lead_liaison", "lead_head"},
}


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize(
    "who",
    EVERY_PART + OWN_PART + ("other_liaison", "leader_out", "sup_out", "sysadmin", "auditor"),
)
def test_download(world, today, login, file, who):
    url = reverse("reports:attachment", args=[getattr(world, file).pk])
    response = login(getattr(world, who)).get(url)
    if who in FILES[file]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == 404
        assert "附件不存在。" in response.content.decode()


def test_a_co_unit_gets_the_same_404_for_a_hidden_file_as_for_a_missing_one(world, today, login):
    client = login(world.co_liaison)
    hidden = client.get(reverse("reports:attachment", args=[world.lead_file.pk]))
    missing = client.get(reverse("reports:attachment", args=[987654]))
    assert hidden.status_code == missing.status_code == 404
    assert "附件不存在。" in hidden.content.decode() and "附件不存在。" in missing.content.decode()


def test_the_task_page_reads_parts_in_a_bounded_number_of_queries(
    world, today, login, django_assert_max_num_queries
):
    client = login(world.co_liaison)
    with django_assert_max_num_queries(40):
        _task_page(client, world.live)
