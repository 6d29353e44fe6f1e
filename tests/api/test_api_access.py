"""Every role × endpoint: the status each persona of the access world gets (DESIGN.md,
Roles; the same policy as the pages). 404 for a task the persona does not see, 403 for an
action it may not do, 401 for a disabled account's token."""

from __future__ import annotations

import pytest

from tests.access.test_access_matrix import SEES
from tests.api.conftest import PERSONAS, snapshot

pytestmark = pytest.mark.django_db

BUSINESS = {
    "sup",
    "sup_out",
    "leader_in",
    "leader_out",
    "leader_lead",
    "lead_liaison",
    "lead_head",
    "co_liaison",
    "co_head",
    "other_liaison",
    "other_head",
}
ADMINS = {"sysadmin", "secadmin", "auditor"}
assert BUSINESS | ADMINS | {"inactive"} == set(PERSONAS)


def _by(**groups) -> dict[str, int]:
    table = {}
    for status, who in groups.items():
        for p in who:
            table[p] = int(status.removeprefix("s"))
    table["inactive"] = 401
    assert set(table) == set(PERSONAS)
    return table


SEE_LIVE = SEES["live"]
UNITS_ON_LIVE = {"lead_liaison", "lead_head", "co_liaison", "co_head"}
LEAD = {"lead_liaison", "lead_head"}

EXPECTED = {
    "list": _by(s200=BUSINESS, s403=ADMINS),
    "units": _by(s200=BUSINESS, s403=ADMINS),
    "detail": _by(s200=SEE_LIVE, s404=set(PERSONAS) - SEE_LIVE - {"inactive"}),
    "source": _by(s201={"sup", "sup_out"}, s403=set(PERSONAS) - {"sup", "sup_out", "inactive"}),
    # a scoped office user does not see the source (none of its tasks lies in their scope)
    "task": _by(
        s201={"sup"}, s404={"sup_out"}, s403=set(PERSONAS) - {"sup", "sup_out", "inactive"}
    ),
    "report": _by(
        s201=UNITS_ON_LIVE,
        s403=SEE_LIVE - UNITS_ON_LIVE,
        s404=set(PERSONAS) - SEE_LIVE - {"inactive"},
    ),
    "closure": _by(s201=LEAD, s403=SEE_LIVE - LEAD, s404=set(PERSONAS) - SEE_LIVE - {"inactive"}),
}


def call(api, world, endpoint: str, persona: str):
    c = api(persona)
    live = world.live.code
    if endpoint == "list":
        return c.get("tasks")
    if endpoint == "units":
        return c.get("units")
    if endpoint == "detail":
        return c.get(f"tasks/{live}")
    if endpoint == "source":
        return c.post("sources", {"kind": "document", "title": "关于优化营商环境的通知"})
    if endpoint == "task":
        return c.post("tasks", {"source": "2026-ZD", "title": "新任务", "lead_unit": world.a.pk})
    if endpoint == "report":
        return c.post(f"tasks/{live}/reports", {"progress_text": "已推进。", "percent": 50})
    if endpoint == "closure":
        return c.post(f"tasks/{live}/closure-request", {"summary": "已完成全部工作。"})
    raise AssertionError(endpoint)


CASES = [(e, p) for e in EXPECTED for p in PERSONAS]


@pytest.mark.parametrize(("endpoint", "persona"), CASES, ids=[f"{e}-{p}" for e, p in CASES])
def test_role_by_endpoint(api, world, endpoint, persona):
    before = snapshot()
    response = call(api, world, endpoint, persona)
    expected = EXPECTED[endpoint][persona]
    assert response.status_code == expected, response.content.decode()
    body = response.json()
    if expected >= 400:
        assert body["detail"] and not body["detail"].isascii(), body  # a Chinese reason
        assert snapshot() == before
    if endpoint == "list" and expected == 200:
        assert body["count"] == len(body["results"])


def test_a_unit_lists_only_its_own_tasks_and_never_drafts(api, world):
    codes = {r["code"] for r in api("co_liaison").get("tasks").json()["results"]}
    assert world.draft.code not in codes
    assert world.live.code in codes
    assert api("other_liaison").get("tasks").json()["count"] == 0
    assert api("sup").get("tasks").json()["count"] == 6


def test_no_token_bad_token_revoked_token(api, world, client):
    assert api(None).get("tasks").status_code == 401
    bad = client.get("/api/v1/tasks", headers={"Authorization": "Bearer ls_00000000_nope"})
    assert bad.status_code == 401
    assert "令牌" in bad.json()["detail"]
    # a session is not enough: the API takes tokens only
    client.force_login(world.sup)
    assert client.get("/api/v1/tasks").status_code == 401


def test_wrong_method(api, world):
    assert api("sup").post(f"tasks/{world.live.code}").status_code == 405
    assert api("sup").get(f"tasks/{world.live.code}/reports").status_code == 405
