"""工作台: each role sees its own lists, and every count links to the ledger that lists it."""

import re

import pytest
from django.urls import reverse

from luoshi.home.panels import ledger_url, unit_home

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def _section(html: str, section_id: str) -> str:
    """The HTML of one <section id=…> of the page."""
    match = re.search(rf'<section class="card" id="{section_id}">(.*?)</section>', html, re.S)
    assert match, section_id
    return match.group(1)


def test_liaison_sees_own_unit_awaiting_signature_only(client, world, today):
    html = _home(client, world.liaison_a).content.decode()
    acks = _section(html, "todo-ack")
    assert world.unsigned.title in acks  # A leads, not signed
    assert world.co_wait.title in acks  # A helps, not signed
    assert world.soon.title not in acks  # B's task, not A's
    assert world.big.title not in acks  # signed already


def test_other_unit_liaison_sees_its_own_awaiting_signature(client, world, today):
    html = _home(client, world.liaison_b).content.decode()
    acks = _section(html, "todo-ack")
    assert world.soon.title in acks
    assert world.unsigned.title not in acks


def test_liaison_sees_reports_due_and_returned(client, world, today):
    html = _home(client, world.liaison_a).content.decode()
    due = _section(html, "todo-report")
    assert world.late.title in due  # February's report never came
    assert world.big.title not in due  # reported on 2026-02-20
    assert "漏报" in due
    returned = _section(html, "todo-returned")
    assert world.returned.title in returned
    assert "退回理由：佐证材料不足，请补充。" in returned  # what the unit must fix
    assert world.pending.title not in returned


def test_report_due_within_the_window_deadline(world):
    """On 2026-03-27 March's window closes on Tuesday 03-31: two working days away."""
    import datetime as dt

    from luoshi.lib import clock

    with clock.pinned_today(dt.date(2026, 3, 27)):
        data = unit_home(world.liaison_a, dt.date(2026, 3, 27))
    due = {r.task.pk: r for r in data["reports_due"]}
    assert world.big.pk in due  # last report 02-20, before March's window began
    assert due[world.big.pk].missed == 0
    assert due[world.big.pk].deadline == dt.date(2026, 3, 31)


def test_unit_home_counts_link_to_the_ledger(client, world, today):
    html = _home(client, world.liaison_a).content.decode()
    assert 'href="/tasks/?light=red"' in html
    assert 'href="/tasks/?todo=ack"' in html
    assert 'href="/tasks/?todo=report"' in html


def test_unit_home_deadline_lists(client, world, today):
    html = _home(client, world.liaison_a).content.decode()
    assert world.late.title in html  # overdue, A leads
    assert world.soon.title not in html  # B's


def test_supervisor_home_lights_by_unit_and_lists(client, world, today):
    response = _home(client, world.sup)
    html = response.content.decode()
    by_unit = _section(html, "by-unit")
    assert "市发展改革委" in by_unit and "市交通局" in by_unit
    red_link = ledger_url(unit=world.a.pk, unit_role="lead", light="red").replace("&", "&amp;")
    assert red_link in by_unit
    assert world.pending.title in _section(html, "pending")
    assert world.returned.title not in _section(html, "pending")
    assert world.late.title in html and world.soon.title in html
    units = {row["name"]: row for row in response.context["units"]}
    assert units["市发展改革委"]["red"] >= 1
    assert units["市交通局"]["yellow"] >= 1


def test_supervisor_count_link_lists_what_it_counts(client, world, today):
    response = _home(client, world.sup)
    row = next(r for r in response.context["units"] if r["unit_id"] == world.a.pk)
    ledger = client.get(row["urls"]["red"])
    assert ledger.status_code == 200
    assert ledger.context["page"].paginator.count == row["red"]
    assert all(t.light == "red" and t.lead_unit_id == world.a.pk for t in ledger.context["page"])


def test_supervisor_overdue_link_lists_overdue_tasks(client, world, today):
    response = _home(client, world.sup)
    ledger = client.get(response.context["overdue_url"])
    codes = {t.code for t in ledger.context["page"]}
    assert world.late.code in codes
    assert world.soon.code not in codes
    soon = client.get(response.context["due_soon_url"])
    assert {t.code for t in soon.context["page"]} == {world.soon.code}


def test_leader_sees_portfolio_and_counts(client, world, today):
    response = _home(client, world.leader)
    html = response.content.decode()
    portfolio = _section(html, "portfolio")
    assert world.big.title in portfolio
    assert world.late.title not in portfolio  # no lead leader
    assert f"leader={world.leader.pk}" in response.context["portfolio_url"]
    assert "light-card c-red" in html


def test_leader_portfolio_excludes_another_leaders_tasks(client, world, today):
    html = _home(client, world.other_leader).content.decode()
    assert world.big.title not in _section(html, "portfolio")


def test_sysadmin_home_counts_units_and_users(client, world, today):
    response = _home(client, world.sysadmin)
    assert response.context["unit_count"] == 4
    html = response.content.decode()
    assert reverse("org:units") in html
    assert world.big.title not in html


def test_secadmin_home_shows_role_holders_not_tasks(client, world, today):
    response = _home(client, world.secadmin)
    html = response.content.decode()
    assert "审计管理员" in html and "auditor" in html
    assert world.big.title not in html
    roles = {r["value"]: r for r in response.context["roles"]}
    assert roles["liaison"]["count"] == 4
    assert [u.username for u in roles["sysadmin"]["holders"]] == ["sysadmin"]


@pytest.mark.parametrize(
    ("username", "shown", "hidden"),
    [
        ("sup", ["台账", "任务来源"], ["审计日志", "单位与账号"]),
        ("liaison_a", ["台账"], ["任务来源", "审计日志", "单位与账号"]),
        ("sysadmin", ["单位与账号"], ["台账", "任务来源", "审计日志"]),
    ],
)
def test_nav_follows_role(client, world, today, username, shown, hidden):
    html = _home(client, getattr(world, username)).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    for label in shown:
        assert label in nav
    for label in hidden:
        assert label not in nav


def test_leader_sees_units_with_most_red_and_yellow(client, world, today):
    response = _home(client, world.leader)
    rows = response.context["lagging_units"]
    assert rows and all(r["red"] or r["yellow"] for r in rows)
    assert [r["red"] for r in rows] == sorted((r["red"] for r in rows), reverse=True)
