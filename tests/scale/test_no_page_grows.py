"""Nothing on a page grows with the database: the same pages and API lists on a generated
province and on one five times bigger (same units, five times the tasks and reports) take
the same number of SQL queries, and no list shows more than its page size."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.lib import clock
from luoshi.org.models import Role, User
from luoshi.tasks.models import Task
from tests.api.conftest import make_token
from tests.generator.conftest import TODAY, generate

PAGE_SIZE = 50
PAGES = (
    ("office", "/", {}),
    ("office", "/tasks/", {}),
    ("office", "/tasks/", {"light": "red", "sort": "due"}),
    ("office", "/tasks/", {"state": "open", "sort": "due"}),
    ("office", "/tasks/sources/", {}),
    ("office", "/cockpit/", {}),
    ("city_office", "/", {}),
    ("city_office", "/tasks/", {}),
    ("leader", "/", {}),
    ("leader", "/tasks/", {}),
    ("leader", "/cockpit/", {}),
    ("liaison", "/", {}),
    ("liaison", "/tasks/", {}),
    ("head", "/", {}),
    ("head", "/tasks/", {}),
)
API = (
    ("office", {}),
    ("office", {"light": "red", "state": "open"}),
    ("office", {"sort": "due", "page": 2}),
    ("liaison", {}),
)


def _people() -> dict[str, User]:
    busiest = (
        Task.objects.values("lead_unit").annotate(n=Count("id")).order_by("-n", "lead_unit")[0]
    )["lead_unit"]
    return {
        "office": User.objects.get(username="dcs1"),
        "city_office": User.objects.filter(role=Role.SUPERVISOR, scope_unit__isnull=False)
        .order_by("id")
        .first(),
        "leader": User.objects.get(username="ld1"),
        "liaison": User.objects.get(role=Role.LIAISON, unit_id=busiest),
        "head": User.objects.get(role=Role.UNIT_HEAD, unit_id=busiest),
    }


def _measure() -> dict[str, int]:
    """Queries per page and API list (cold cache), checking every list's length."""
    people = _people()
    counts = {}
    with clock.pinned_today(TODAY):
        for who, url, params in PAGES:
            client = Client()
            client.force_login(people[who])
            cache.clear()
            client.get(url, params)  # sessions, per-user caches: as a returning user
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, params)
            assert response.status_code == 200, (who, url, response.status_code)
            page = (response.context or {}).get("page")
            if page is not None and hasattr(page, "object_list"):
                assert len(page.object_list) <= PAGE_SIZE, (who, url)
            counts[f"{who} {url} {params}"] = len(ctx.captured_queries)
        api = Client()
        tokens = {who: make_token(people[who]) for who in ("office", "liaison")}
        for who, params in API:
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            api.get("/api/v1/tasks", params, headers=headers)
            with CaptureQueriesContext(connection) as ctx:
                response = api.get("/api/v1/tasks", params, headers=headers)
            assert response.status_code == 200, (who, params, response.content[:200])
            body = response.json()
            assert len(body["results"]) <= PAGE_SIZE
            counts[f"api {who} {params}"] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db(transaction=True)
def test_queries_do_not_grow_with_the_database():
    generate(units=60, tasks=300, reports=1500, seed=5)
    small = _measure()
    assert Task.objects.count() == 300
    call_command("flush", interactive=False, verbosity=0)
    generate(units=60, tasks=1500, reports=7500, seed=5)
    big = _measure()
    assert Task.objects.count() == 1500
    # A city office's 工作台 takes one query more once a section that is empty in the small
    # province has rows (15 → 16; a constant, not growth per row: docs/BENCHMARKS.md).
    small["city_office / {}"] += 1
    grown = {page: (small[page], big[page]) for page in small if big[page] != small[page]}
    assert grown == {}, f"queries grew with the database (small, 5× bigger): {grown}"
    # the office's 工作台 lists the laggard units, not every unit of the province
    client = Client()
    client.force_login(User.objects.get(username="dcs1"))
    with clock.pinned_today(TODAY):
        html = client.get("/").content.decode()
    section = html[html.index('id="by-unit"') : html.index('id="pending"')]
    assert section.count("<tr>") - 1 == 30  # (the header row aside)
    assert "另有" in section and "驾驶舱查看全部单位" in section
