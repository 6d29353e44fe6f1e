"""The 延期申请 list: every request the user may read — the office's and leaders', those on
the tasks they see; a unit's, those of the tasks it leads (a co-unit reads none) — those
awaiting a decision first, by state and unit. Read-only (GET/HEAD), and only for the office,
leaders and units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.extensions.services import extension_approve, extension_refuse, extension_request
from luoshi.lib import clock
from luoshi.org.models import Role
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import assignment_acknowledge, task_assign
from tests.extensions.world import ASSIGNED, SIGNED, user

NEW_DUE = dt.date(2026, 9, 30)


def ask(who, task, reason="受汛期影响，主体工程顺延。"):
    return extension_request(actor=who, task=task, new_due=NEW_DUE, reason=reason)


@pytest.fixture
def requests(world, today):
    """Requests of A: normal (待督查室审核), high (sent on to the leader: 待牵头领导审批),
    urgent (同意), late (不同意); and one of C's own task (待督查室审核)."""
    with clock.pinned_today(ASSIGNED):
        world.c_task = task_create(
            actor=world.sup,
            source=world.source,
            title="清理拖欠企业账款",
            lead_unit=world.c,
            due=dt.date(2026, 6, 30),
            report_cycle="none",
        )
        task_assign(actor=world.sup, task=world.c_task)
    with clock.pinned_today(SIGNED):
        assignment_acknowledge(actor=world.liaison_c, task=world.c_task)
    world.c_task.refresh_from_db()
    out = {}
    with clock.pinned_today(dt.date(2026, 3, 2)):
        out["urgent"] = ask(world.liaison_a, world.urgent)
        extension_approve(actor=world.sup, request=out["urgent"], comment="同意。")
        out["late"] = ask(world.liaison_a, world.late)
        extension_refuse(actor=world.sup, request=out["late"], comment="理由不充分。")
    with clock.pinned_today(dt.date(2026, 3, 4)):
        out["high"] = ask(world.liaison_a, world.high)
        extension_approve(actor=world.sup, request=out["high"], comment="报领导。")
    with clock.pinned_today(dt.date(2026, 3, 6)):
        out["c_task"] = ask(world.liaison_c, world.c_task)
    with clock.pinned_today(dt.date(2026, 3, 9)):
        out["normal"] = ask(world.liaison_a, world.normal)
    return out


def listed(html: str, world) -> list[str]:
    """The tasks listed, in order, by name."""
    found = []
    for name in ("normal", "high", "urgent", "late", "c_task"):
        task = getattr(world, name, None)
        at = html.find(f">{task.code}<") if task is not None else -1
        if at >= 0:
            found.append((at, name))
    return [name for _at, name in sorted(found)]


def test_the_office_sees_every_request_awaiting_ones_first(world, requests, login):
    html = login(world.sup).get(reverse("extensions:list")).content.decode()
    # awaiting a decision, oldest first; then the decided ones (same day: the latest first)
    assert listed(html, world) == ["high", "c_task", "normal", "late", "urgent"]
    assert "待督查室审核" in html and "待牵头领导审批" in html and "不同意" in html
    # the office's own to decide carry the button; the one with the leader does not
    assert html.count("#decide") == 2
    assert reverse("extensions:detail", args=[requests["normal"].pk]) + "#decide" in html


def test_the_leader_decides_from_the_list(world, requests, login):
    html = login(world.leader).get(reverse("extensions:list")).content.decode()
    assert len(listed(html, world)) == 5
    assert html.count("#decide") == 1
    assert reverse("extensions:detail", args=[requests["high"].pk]) + "#decide" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "pending"}, ["c_task", "normal"]),
        ({"state": "leader_pending"}, ["high"]),
        ({"state": "approved"}, ["urgent"]),
        ({"state": "refused"}, ["late"]),
        ({"state": "nonsense"}, ["high", "c_task", "normal", "late", "urgent"]),
        ({"unit": "C"}, ["c_task"]),
        ({"unit": "A", "state": "pending"}, ["normal"]),
        ({"unit": "x"}, ["high", "c_task", "normal", "late", "urgent"]),
    ],
)
def test_filters(world, requests, login, query, expected):
    query = {k: {"A": world.a.pk, "C": world.c.pk}.get(v, v) for k, v in query.items()}
    response = login(world.sup).get(reverse("extensions:list"), query)
    assert response.status_code == 200
    assert listed(response.content.decode(), world) == expected


def test_a_unit_sees_the_requests_of_the_tasks_it_leads(world, requests, login):
    lead = login(world.liaison_a).get(reverse("extensions:list")).content.decode()
    assert listed(lead, world) == ["high", "normal", "late", "urgent"]
    assert 'name="unit"' not in lead and "#decide" not in lead
    assert listed(login(world.head_a).get(reverse("extensions:list")).content.decode(), world)
    c = login(world.liaison_c).get(reverse("extensions:list")).content.decode()
    assert listed(c, world) == ["c_task"]
    co = login(world.liaison_b).get(reverse("extensions:list")).content.decode()
    assert listed(co, world) == [] and "没有延期申请。" in co  # B only helps on normal


def test_who_has_the_list_and_its_menu_entry(world, requests, login):
    url = reverse("extensions:list")
    for who in (world.sup, world.leader, world.liaison_a, world.liaison_c):
        page = login(who).get(url)
        assert page.status_code == 200 and f'href="{url}"' in page.content.decode()
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.SECADMIN):
        admin = user(f"admin_{role}", role)
        refused = login(admin).get(url)
        assert refused.status_code == 403
        assert "延期申请只对督查室人员、领导和承办单位开放。" in refused.content.decode()


def test_the_list_is_read_only(world, login):
    client = login(world.sup)
    assert client.post(reverse("extensions:list")).status_code == 405
    assert client.put(reverse("extensions:list")).status_code == 405
    assert client.head(reverse("extensions:list")).status_code == 200
