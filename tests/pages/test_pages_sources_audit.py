"""任务来源 pages for oversight roles, and the audit log for the audit administrator."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from luoshi.audit.guard import drop_triggers
from luoshi.audit.models import AuditEvent
from luoshi.org.models import Role, User

pytestmark = pytest.mark.django_db


def test_source_list_with_counts_by_light(client, world, today):
    client.force_login(world.sup)
    response = client.get(reverse("tasks:sources"))
    html = response.content.decode()
    assert "2026年政府工作报告" in html and "市政府第3次常务会议" in html
    source = next(s for s in response.context["page"] if s.pk == world.source.pk)
    assert source.counts["red"] >= 1 and source.counts["yellow"] >= 1
    assert f"source={world.source.pk}&amp;light=red" in html
    other = next(s for s in response.context["page"] if s.pk == world.other_source.pk)
    assert other.counts["blue"] == 1


def test_source_list_filters_by_kind(client, world, today):
    client.force_login(world.sup)
    response = client.get(reverse("tasks:sources"), {"kind": "meeting"})
    assert [s.pk for s in response.context["page"]] == [world.other_source.pk]


def test_source_detail_tree_in_order(client, world, today):
    client.force_login(world.sup)
    response = client.get(reverse("tasks:source_detail", args=[world.source.pk]))
    tree = response.context["tree"]
    order = [t.pk for t in tree]
    assert order.index(world.big.pk) + 1 == order.index(world.big_1.pk)
    assert order.index(world.big_1.pk) + 1 == order.index(world.big_2.pk)
    levels = {t.pk: t.tree_level for t in tree}
    assert levels[world.big.pk] == 0 and levels[world.big_1.pk] == 1
    assert world.done.pk not in order  # another source
    assert response.context["counts"]["red"] >= 1


def test_scoped_leader_sees_only_sources_with_tasks_in_scope(client, world, today):
    scoped = User.objects.create_user(
        "leader_b", password="x-pw-2026!", role=Role.LEADER, scope_unit=world.b
    )
    client.force_login(scoped)
    pks = [s.pk for s in client.get(reverse("tasks:sources")).context["page"]]
    assert pks == [world.source.pk]  # B's tasks are all in the work report
    detail = reverse("tasks:source_detail", args=[world.other_source.pk])
    assert client.get(detail).status_code == 404


def test_audit_log_lists_and_filters(client, world):
    client.force_login(world.auditor)
    response = client.get(reverse("audit:log"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "task.assign" in html and "周督查" in html
    assert response.context["page"].paginator.count == AuditEvent.objects.count()

    by_action = client.get(reverse("audit:log"), {"action": "task.closure"}).context["page"]
    assert {e.action for e in by_action} == {
        "task.closure.request",
        "task.closure.return",
        "task.closure.approve",
    }
    by_actor = client.get(reverse("audit:log"), {"actor": "乙联络员"}).context["page"]
    assert by_actor and {e.actor_id for e in by_actor} == {world.liaison_b.pk}


def test_audit_log_date_range(client, world):
    event = AuditEvent.objects.order_by("id").first()
    day = timezone.localdate(event.at)
    client.force_login(world.auditor)
    page = client.get(
        reverse("audit:log"), {"date_from": day.isoformat(), "date_to": day.isoformat()}
    ).context["page"]
    assert page.paginator.count >= 1
    later = (day + dt.timedelta(days=1)).isoformat()
    empty = client.get(reverse("audit:log"), {"date_from": later}).context["page"]
    assert empty.paginator.count == 0


def test_audit_log_verifies_the_chain(client, world):
    client.force_login(world.auditor)
    html = client.get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert "校验通过" in html
    # tampering needs the append-only triggers dropped, as the database owner could (the
    # test's transaction puts them back)
    drop_triggers(connection)
    AuditEvent.objects.filter(pk=AuditEvent.objects.order_by("id").first().pk).update(ip="6.6.6.6")
    html = client.get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert "校验未通过" in html


def test_source_detail_offers_adding_a_task_to_the_office_only(client, world, today):
    add_url = reverse("tasks:task_create", kwargs={"source_pk": world.source.pk})
    client.force_login(world.sup)
    assert (
        add_url
        in client.get(reverse("tasks:source_detail", args=[world.source.pk])).content.decode()
    )
    client.force_login(world.leader)
    assert (
        add_url
        not in client.get(reverse("tasks:source_detail", args=[world.source.pk])).content.decode()
    )
