"""The cockpit pages over HTTP: who opens them, drill-down links lead to the right lists, the
page's queries are bounded, the timeline renders."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def _ledger_titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    table = body[body.index("<tbody") : body.index("</tbody>")]
    found = re.findall(r'<a href="/tasks/\d+/"[^>]*>([^<]+)</a>', table)
    return [t for t in found if not re.match(r"\d{4}-[A-Z]+-", t)]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("sup", 200),
        ("leader", 200),
        ("leader_d", 200),
        ("liaison_a", 403),
        ("head_a", 403),
    ],
)
def test_who_opens_the_cockpit(world, today, client, who, status):
    client.force_login(getattr(world, who))
    response = client.get(reverse("cockpit:index"))
    assert response.status_code == status
    if status == 403:
        assert "领导驾驶舱只对督查室人员和领导开放。" in response.content.decode()


def test_anonymous_is_sent_to_log_in(world, today, client):
    response = client.get(reverse("cockpit:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_wrong_method(world, today, client):
    client.force_login(world.leader)
    assert client.post(reverse("cockpit:index")).status_code == 405
    assert client.post(reverse("cockpit:drill") + "?set=moved").status_code == 405


def test_page_shows_charts_from_local_json_and_a_menu_entry(world, today, client):
    client.force_login(world.leader)
    body = client.get(reverse("cockpit:index")).content.decode()
    assert "vendor/echarts-6.1.0.min.js" in body and "http://" not in body.split("<body")[0]
    units = json.loads(re.search(r'id="chart-units"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert units["names"] == ["市发展改革委", "东城区", "市交通局"]
    assert units["series"]["red"] == [1, 1, 0]
    assert f'href="{reverse("cockpit:index")}"' in body  # 驾驶舱 in the menu
    assert "cockpit-screen" not in body
    screen = client.get(reverse("cockpit:index") + "?screen=1").content.decode()
    assert 'class="cockpit cockpit-screen"' in screen


def test_red_figure_of_a_unit_drills_to_its_red_tasks_in_the_ledger(world, today, client):
    client.force_login(world.sup)
    body = client.get(reverse("cockpit:index")).content.decode()
    wanted = f"/tasks/?unit={world.a.pk}&unit_role=lead&light=red"
    assert wanted in _links(body)
    assert _ledger_titles(client, wanted) == ["优化营商环境专项行动"]


@pytest.mark.parametrize(
    ("param", "light", "titles"),
    [
        ("source", "red", ["优化营商环境专项行动", "东城区老旧小区改造"]),
        ("category", "yellow", ["开通城市快速公交线路"]),
        ("leader", "green", ["实施重大项目攻坚行动"]),
    ],
)
def test_other_light_figures_drill_to_the_ledger(world, today, client, param, light, titles):
    client.force_login(world.sup)
    body = client.get(reverse("cockpit:index")).content.decode()
    value = {"source": world.s1.pk, "category": "交通", "leader": world.leader.pk}[param]
    link = next(
        h
        for h in _links(body)
        if h.startswith(f"/tasks/?{param}=")
        and f"light={light}" in h
        and (str(value) in h or (param == "category" and "%E4%BA%A4%E9%80%9A" in h))
    )
    assert sorted(_ledger_titles(client, link)) == sorted(titles)


def test_trend_and_moved_drill_to_the_cockpit_lists(world, today, client):
    client.force_login(world.sup)
    body = client.get(reverse("cockpit:index")).content.decode()
    links = _links(body)
    late = reverse("cockpit:drill") + "?set=closed&month=2026-02&t=late"
    moved = reverse("cockpit:drill") + "?set=moved"
    assert late in links and moved in links
    assert client.get(late).content.decode().count("建设综合交通枢纽") == 1
    assert "清理拖欠企业账款" not in client.get(late).content.decode()
    moved_page = client.get(moved).content.decode()
    assert "开通城市快速公交线路" in moved_page and "优化营商环境专项行动" not in moved_page
    assert client.get(reverse("cockpit:drill") + "?set=nonsense").status_code == 404


def test_district_leader_drills_only_into_the_district(world, today, client):
    client.force_login(world.leader_d)
    body = client.get(reverse("cockpit:drill") + "?set=overdue").content.decode()
    assert "东城区老旧小区改造" in body and "优化营商环境专项行动" not in body
    page = client.get(reverse("cockpit:index")).content.decode()
    assert "市发展改革委" not in page and "实施重大项目攻坚行动" not in page


def test_the_cockpit_takes_a_bounded_number_of_queries(
    world, today, client, django_assert_max_num_queries
):
    client.force_login(world.sup)
    with django_assert_max_num_queries(17):
        assert client.get(reverse("cockpit:index")).status_code == 200


def test_figures_are_cached_until_the_next_change(
    world, today, client, django_assert_max_num_queries
):
    from luoshi.cockpit import queries
    from luoshi.tasks.services.lifecycle import task_suspend

    client.force_login(world.leader)
    assert client.get(reverse("cockpit:index")).status_code == 200
    # shown again with nothing changed: only the session, the user, the key and the menu
    with django_assert_max_num_queries(6):
        assert client.get(reverse("cockpit:index")).status_code == 200
    assert queries.cockpit(world.sup, today)["totals"]["yellow"] == 1
    task_suspend(actor=world.sup, task=world.soon, reason="等待上级政策。")
    assert queries.cockpit(world.sup, today)["totals"]["yellow"] == 0


def test_timeline_page(world, today, client):
    client.force_login(world.leader)
    response = client.get(reverse("cockpit:timeline", args=[world.extended.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    rows = json.loads(re.search(r'id="gantt-rows"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert len(rows) == 1
    (row,) = rows
    assert (row["c"], row["s"], row["d"], row["lt"]) == (
        world.extended.code,
        "2026-01-05",
        "2026-02-27",
        "blue",
    )
    assert [e[2:] for e in row["e"]] == [["2026-01-30", "2026-02-27"]]
    assert row["u"] == reverse("tasks:detail", args=[world.extended.pk])
    client.force_login(world.liaison_d)
    assert client.get(reverse("cockpit:timeline", args=[world.late.pk])).status_code == 404


def test_task_page_links_a_goal_with_sub_tasks_to_its_timeline(world, today, client):
    from luoshi.tasks.services.editing import tasks_create_children
    from luoshi.tasks.services.lifecycle import task_assign

    handed, _drafted = tasks_create_children(
        actor=world.sup,
        parent=world.green,
        rows=[
            {"title": "开工十个重大项目", "lead_unit": world.a, "due": world.green.due},
            {"title": "储备二十个重大项目", "lead_unit": world.a, "due": world.green.due},
        ],
    )
    task_assign(actor=world.sup, task=handed)
    client.force_login(world.liaison_a)
    timeline = reverse("cockpit:timeline", args=[world.green.pk])
    assert timeline in client.get(reverse("tasks:detail", args=[world.green.pk])).content.decode()
    assert (
        timeline not in client.get(reverse("tasks:detail", args=[world.late.pk])).content.decode()
    )

    def titles() -> list[str]:
        body = client.get(timeline).content.decode()
        found = re.search(r'id="gantt-rows"[^>]*>(.*?)</script>', body, re.S).group(1)
        return [row["t"] for row in json.loads(found)]

    # a draft stays out of a unit's tree: units never see drafts
    assert titles() == ["实施重大项目攻坚行动", "开工十个重大项目"]
    client.force_login(world.leader)
    assert titles() == ["实施重大项目攻坚行动", "开工十个重大项目", "储备二十个重大项目"]
