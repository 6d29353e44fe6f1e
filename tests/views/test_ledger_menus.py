"""The task list's filter menus: only what the reader's visible tasks use, kept in the cache
per user, and a new source or unit of a new task in the menu at once."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.urls import reverse

from luoshi.lib import clock
from luoshi.org.models import UnitKind
from luoshi.org.services import unit_create
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.sources import source_create


def _menu(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_menus_list_what_is_visible_and_are_cached(world, login):
    client = login(world.sup)
    url = reverse("tasks:list")
    html = client.get(url).content.decode()
    assert "市发展改革委" in _menu(html, "unit")
    assert "2026年政府工作报告" in _menu(html, "source")
    assert "李副市长" in _menu(html, "leader")
    cache.clear()
    first = len(_queries(client, url))
    second = len(_queries(client, url))
    assert second <= first - 4  # units, sources, leaders and categories from the cache
    # a liaison's menu has only its own unit's tasks' units, and no leader menu
    html = login(world.liaison_c).get(url).content.decode()
    assert "市发展改革委" not in _menu(html, "unit") and 'name="leader"' not in html


def test_a_new_source_and_unit_show_at_once(world, login):
    client = login(world.sup)
    url = reverse("tasks:list")
    client.get(url)  # menus cached
    with clock.pinned_today(dt.date(2026, 3, 2)):
        unit = unit_create(
            actor=None, name="示范市数据局", kind=UnitKind.DEPARTMENT, parent=world.gov
        )
        source = source_create(actor=world.sup, kind="meeting", title="数字政府建设推进会")
        task_create(actor=world.sup, source=source, title="建设一网通办平台", lead_unit=unit)
    html = client.get(url).content.decode()
    assert "数字政府建设推进会" in _menu(html, "source")
    assert "示范市数据局" in _menu(html, "unit")
    # a chosen menu value still filters (validated against the visible units)
    listed = client.get(url, {"unit": unit.pk}).content.decode()
    assert "建设一网通办平台" in listed and "推进城市更新行动" not in listed


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return ctx.captured_queries
