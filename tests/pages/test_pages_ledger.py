"""台账: each filter narrows the rows correctly, sorting works, only visible tasks show,
the page is a bounded number of queries whatever its length, htmx gets the table only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.lib import clock
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import task_assign

pytestmark = pytest.mark.django_db


def _codes(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("tasks:list"), params)
    assert response.status_code == 200
    return [t.code for t in response.context["page"]]


def test_supervisor_sees_all_including_drafts(client, world, today):
    codes = _codes(client, world.sup)
    assert world.draft.code in codes and world.soon.code in codes and world.big_2.code in codes


def test_liaison_sees_only_own_unit_tasks(client, world, today):
    codes = set(_codes(client, world.liaison_a))
    assert world.big.code in codes and world.co_wait.code in codes  # lead, co
    assert world.soon.code not in codes  # B's
    assert world.big_2.code not in codes  # C's sub-task
    assert world.draft.code not in codes


def test_filter_by_unit_lead_or_co(client, world, today):
    any_part = set(_codes(client, world.sup, unit=world.b.pk))
    assert any_part == {world.big.code, world.soon.code, world.co_wait.code}
    lead = set(_codes(client, world.sup, unit=world.b.pk, unit_role="lead"))
    assert lead == {world.soon.code, world.co_wait.code}
    co = set(_codes(client, world.sup, unit=world.b.pk, unit_role="co"))
    assert co == {world.big.code}


def test_filter_by_source(client, world, today):
    assert _codes(client, world.sup, source=world.other_source.pk) == [world.done.code]


def test_filter_by_light(client, world, today):
    client.force_login(world.sup)
    for light in ("red", "yellow", "green", "blue"):
        response = client.get(reverse("tasks:list"), {"light": light})
        rows = list(response.context["page"])
        assert rows, light
        assert {t.light for t in rows} == {light}
    assert _codes(client, world.sup, light="blue") == [world.done.code]
    assert world.draft.code in _codes(client, world.sup, light="none")


def test_filter_by_state(client, world, today):
    assert _codes(client, world.sup, state="closure_requested") == [world.pending.code]
    open_codes = set(_codes(client, world.sup, state="open"))
    assert world.pending.code in open_codes and world.soon.code in open_codes
    assert world.done.code not in open_codes and world.draft.code not in open_codes


def test_filter_by_due_range(client, world, today):
    codes = set(_codes(client, world.sup, due_from="2026-03-01", due_to="2026-03-31"))
    assert codes == {world.late.code, world.soon.code}
    assert set(_codes(client, world.sup, due_to="2026-03-05")) == {world.late.code}


def test_filter_by_text_title_code_or_content(client, world, today):
    assert _codes(client, world.sup, q="老旧小区") == [world.late.code]
    assert _codes(client, world.sup, q=world.soon.code) == [world.soon.code]


def test_filter_by_category_and_priority(client, world, today):
    assert set(_codes(client, world.sup, category="民生")) == {world.late.code, world.soon.code}
    assert _codes(client, world.sup, priority="high") == [world.big.code]


def test_filter_by_leader(client, world, today):
    assert _codes(client, world.sup, leader=world.leader.pk) == [world.big.code]


def test_unit_todo_filters(client, world, today):
    ack = set(_codes(client, world.liaison_a, todo="ack"))
    assert ack == {world.unsigned.code, world.co_wait.code}
    assert _codes(client, world.liaison_a, todo="returned") == [world.returned.code]
    assert world.late.code in _codes(client, world.liaison_a, todo="report")


def test_filters_combine(client, world, today):
    codes = _codes(client, world.sup, unit=world.a.pk, light="red", state="open")
    assert codes == [world.late.code]


def test_bad_values_are_ignored_not_errors(client, world, today):
    codes = _codes(client, world.sup, unit="abc", due_from="not-a-date", light="purple")
    assert world.big.code in codes and world.soon.code in codes


def test_liaison_cannot_widen_view_with_a_unit_filter(client, world, today):
    # B's unit is offered only because B shares tasks with A; B's own tasks stay hidden
    codes = set(_codes(client, world.liaison_a, unit=world.b.pk))
    assert world.soon.code not in codes
    assert codes == {world.big.code, world.co_wait.code}


def test_sort_by_due_and_reverse(client, world, today):
    codes = _codes(client, world.sup, sort="due", state="open")
    assert codes[0] == world.late.code  # 03-05 first
    assert codes[1] == world.soon.code
    reverse_codes = _codes(client, world.sup, sort="-due", state="open")
    assert reverse_codes.index(world.late.code) > reverse_codes.index(world.soon.code)


def test_sort_by_light_severity(client, world, today):
    client.force_login(world.sup)
    rows = list(client.get(reverse("tasks:list"), {"sort": "light"}).context["page"])
    rank = {"red": 4, "yellow": 3, "green": 2, "blue": 1, "": 0}
    severities = [rank[t.light] for t in rows]
    assert severities == sorted(severities, reverse=True)
    rows = list(client.get(reverse("tasks:list"), {"sort": "-light"}).context["page"])
    assert [rank[t.light] for t in rows] == sorted(rank[t.light] for t in rows)


def test_sort_by_progress_and_last_report(client, world, today):
    client.force_login(world.sup)
    rows = list(client.get(reverse("tasks:list"), {"sort": "-progress"}).context["page"])
    assert [t.progress for t in rows] == sorted((t.progress for t in rows), reverse=True)
    rows = list(client.get(reverse("tasks:list"), {"sort": "-last_report"}).context["page"])
    dates = [t.last_report_on for t in rows if t.last_report_on]
    assert dates == sorted(dates, reverse=True)
    assert rows[0].last_report_on is not None


def test_columns_show_units_owner_due_and_light(client, world, today):
    client.force_login(world.sup)
    html = client.get(reverse("tasks:list"), {"q": world.big.code}).content.decode()
    assert "市发展改革委" in html and "市交通局" in html  # lead, co
    assert "甲责任人" in html
    assert "2026-12-31" in html
    assert 'class="light light-' in html
    assert "2026-02-20" in html  # last report
    ongoing = task_create(
        actor=world.sup, source=world.source, title="长期任务", lead_unit=world.a, ongoing=True
    )
    html = client.get(reverse("tasks:list"), {"q": ongoing.code}).content.decode()
    assert "长期坚持" in html


def test_filters_are_kept_in_sort_and_page_links(client, world, today):
    client.force_login(world.sup)
    html = client.get(reverse("tasks:list"), {"light": "red", "sort": "due"}).content.decode()
    assert "?light=red&amp;sort=-due" in html  # the due header reverses, keeping the filter


def test_htmx_request_gets_only_the_table(client, world, today):
    client.force_login(world.sup)
    response = client.get(reverse("tasks:list"), {"light": "red"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<table" in html
    assert world.late.code in html
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("tasks:list"), {"light": "red"})
    assert "<html" in full.content.decode() and 'hx-push-url="true"' in full.content.decode()


def test_htmx_history_restore_gets_the_whole_page(client, world, today):
    client.force_login(world.sup)
    response = client.get(
        reverse("tasks:list"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_pagination_fifty_per_page(client, world, today):
    with clock.pinned_today(dt.date(2026, 2, 2)):
        for i in range(55):
            task_create(
                actor=world.sup,
                source=world.other_source,
                title=f"批量任务{i}",
                lead_unit=world.c,
                due=dt.date(2026, 12, 31),
            )
    client.force_login(world.sup)
    first = client.get(reverse("tasks:list"), {"source": world.other_source.pk})
    assert len(first.context["page"]) == 50
    assert first.context["page"].paginator.count == 56
    second = client.get(reverse("tasks:list"), {"source": world.other_source.pk, "page": 2})
    assert len(second.context["page"]) == 6
    assert f"source={world.other_source.pk}&amp;page=2" in first.content.decode()


def _add_tasks(world, n):
    with clock.pinned_today(dt.date(2026, 2, 2)):
        for i in range(n):
            t = task_create(
                actor=world.sup,
                source=world.source,
                title=f"加量任务{i}",
                lead_unit=world.a,
                co_units=[world.b, world.c],
                owner=world.owner_a,
                lead_leader=world.leader,
                due=dt.date(2026, 12, 31),
            )
            task_assign(actor=world.sup, task=t)


@pytest.mark.parametrize("username", ["sup", "liaison_a"])
def test_ledger_queries_do_not_grow_with_rows(
    client, world, today, django_assert_max_num_queries, username
):
    client.force_login(getattr(world, username))
    url = reverse("tasks:list")
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    _add_tasks(world, 30)
    with django_assert_max_num_queries(len(few)):
        big = client.get(url)
    assert len(big.context["page"]) >= len(small.context["page"]) + 30
    assert len(few) <= 16
