"""The access matrix (DESIGN.md, Roles): role × action × own/other unit, for every task
state, written out here by hand and checked against the policy and over HTTP.

The world (conftest.py): A leads every task and B helps; C and 东城区 are on none. Each
persona stands in one place relative to those tasks: the office (whole tree, or scoped
elsewhere), leaders (scope over A, scope elsewhere, or lead leader of `live` only), the
liaison and head of the lead unit, of the co-unit and of an unrelated unit, the three
administrators, and a disabled account.

Over HTTP: a user who may not see the task gets 404 (its existence is not revealed), a user
who sees it but may not act gets 403, a disabled account is sent to log in, and a request
with the wrong method gets 405 whoever sends it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.access import policy
from luoshi.org.models import Role
from tests.access.conftest import PERSONAS, TASKS, pdf, snapshot

pytestmark = pytest.mark.django_db

OFFICE = {"sup"}
LEAD = {"lead_liaison", "lead_head"}
CO = {"co_liaison", "co_head"}
UNITS = LEAD | CO
NOBODY: set[str] = set()

# Who sees each task. Units never see drafts; the office and leaders see what lies in their
# scope, a leader also the tasks they lead; the administrators see no business content.
SEES = {
    "draft": OFFICE | {"leader_in"},
    "fresh": OFFICE | {"leader_in"} | UNITS,
    "live": OFFICE | {"leader_in", "leader_lead"} | UNITS,
    "pending": OFFICE | {"leader_in"} | UNITS,
    "closed": OFFICE | {"leader_in"} | UNITS,
    "suspended": OFFICE | {"leader_in"} | UNITS,
}


def _on(*tasks: str, who: set[str]) -> dict[str, set[str]]:
    return {task: (who if task in tasks else NOBODY) for task in TASKS}


# Who may do each action on each task (beyond seeing it).
MAY = {
    "task.edit": _on("draft", "fresh", "live", "pending", "suspended", who=OFFICE),
    "task.decompose": _on("draft", "fresh", "live", "pending", "suspended", who=OFFICE),
    "task.assign": _on("draft", who=OFFICE),
    "task.verify": _on("pending", who=OFFICE),
    "task.return": _on("pending", who=OFFICE),
    "task.suspend": _on("draft", "fresh", "live", "pending", who=OFFICE),
    "task.cancel": _on("draft", "fresh", "live", "pending", who=OFFICE),
    "task.resume": _on("suspended", who=OFFICE),
    # the units' own steps: each unit signs for itself, then reports; only the lead closes
    "task.acknowledge": _on("fresh", who=UNITS),
    "task.report": _on("live", "pending", who=UNITS),
    "task.request_closure": _on("live", who=LEAD),
    # no closure request awaits a unit head in this world
    "task.head_review": _on(who=NOBODY),
    # 申请延期: the signed lead unit of a task in progress; nothing awaits a decision here
    "task.request_extension": _on("live", who=LEAD),
    "task.decide_extension": _on(who=NOBODY),
    # 回头看: the office schedules one on a closed task; none is due in this world
    "task.schedule_recheck": _on("closed", who=OFFICE),
    "task.confirm_recheck": _on(who=NOBODY),
    "task.verify_recheck": _on(who=NOBODY),
    "task.cancel_recheck": _on(who=NOBODY),
    # 督办: the office urges and issues notices on tasks being worked on, and records talks,
    # field checks (and closes notices) on any task past its draft; no notice awaits a reply
    "task.urge": _on("fresh", "live", who=OFFICE),
    "task.notice": _on("fresh", "live", who=OFFICE),
    "task.supervise": _on("fresh", "live", "pending", "closed", "suspended", who=OFFICE),
    "task.notice_reply": _on(who=NOBODY),
    # 批示/点评: leaders who see the task, once it is handed out (not a draft, not cancelled)
    "task.comment": {
        **_on("fresh", "live", "pending", "closed", "suspended", who={"leader_in"}),
        "live": {"leader_in", "leader_lead"},
    },
    "task.milestone": {
        **_on("fresh", "live", "pending", who=OFFICE),
        "live": OFFICE | LEAD,
        "pending": OFFICE | LEAD,
    },
}

# Role-level actions: which roles may do them at all.
ROLE_MAY = {
    "home.view": set(Role.values),
    "task.list": {"supervisor", "leader", "liaison", "unit_head"},
    "task.create": {"supervisor"},
    "source.list": {"supervisor", "leader"},
    "source.create": {"supervisor"},
    "calendar.view": {"supervisor", "leader", "sysadmin"},
    "calendar.edit": {"sysadmin"},
    "org.manage": {"sysadmin"},
    "audit.view": {"auditor"},
    "supervision.ladder": {"supervisor"},
    "supervision.urge": {"supervisor"},
    "supervision.notices": {"supervisor", "leader"},
    "extension.list": {"supervisor", "leader", "liaison", "unit_head"},
    "recheck.list": {"supervisor", "leader", "liaison", "unit_head"},
    "inbox.view": set(Role.values),
    "notify.manage": {"sysadmin"},
    "meeting.list": {"supervisor", "leader"},
    "meeting.manage": {"supervisor"},
    "instruction.list": {"supervisor", "leader"},
    "instruction.manage": {"supervisor"},
    "bulletin.generate": {"supervisor"},
    "bulletin.view": {"supervisor", "leader"},
    # 台账: the office imports; a unit re-imports its own ledger for progress only
    "ledger.import": {"supervisor", "liaison", "unit_head"},
    "ledger.export": {"supervisor", "leader", "liaison", "unit_head"},
    "extraction.run": {"supervisor"},
    # 表彰与问责: the office records; leaders and units read (a leader's 领导表扬 is per task)
    "outcome.list": {"supervisor", "leader", "liaison", "unit_head"},
    "outcome.manage": {"supervisor"},
    # 干部评价: the office runs rounds; reviewers are the office, leaders and unit heads
    "cadre.manage": {"supervisor"},
    "cadre.review": {"supervisor", "leader", "unit_head"},
    "cadre.results": {"supervisor", "leader"},
    # 政策体系: units read the policies whose deliverables they take part in
    "policy.view": {"supervisor", "leader", "liaison", "unit_head"},
    "policy.manage": {"supervisor"},
    # 考核评价: the office keeps schemes, grades and scores; leaders read the results
    "evaluation.manage": {"supervisor"},
    "evaluation.view": {"supervisor", "leader"},
    # 接口: business roles call it; everyone who may keeps tokens (the sysadmin revokes any)
    "api.use": {"supervisor", "leader", "liaison", "unit_head"},
    "api.tokens": {"supervisor", "leader", "liaison", "unit_head", "sysadmin"},
    "api.webhooks": {"sysadmin"},
    "search.use": {"supervisor", "leader", "liaison", "unit_head"},
    # 领导驾驶舱: the office and leaders, over the tasks in their scope
    "cockpit.view": {"supervisor", "leader"},
    # 督查活动: the office plans and runs; leaders read; a supervised unit its own part
    "campaign.view": {"supervisor", "leader", "liaison", "unit_head"},
    "campaign.plans": {"supervisor", "leader"},
    "campaign.list": {"supervisor", "leader"},
    "campaign.manage": {"supervisor"},
    "campaign.unit": {"liaison", "unit_head"},
    # 群众线索: the office triages; leaders read the clues in scope; units never see a clue
    "clue.list": {"supervisor", "leader"},
    "clue.triage": {"supervisor"},
    # 账户安全: everyone their own; the 安全管理员 the policy, locks, second factors, role grants
    "security.account": set(Role.values),
    "security.manage": {"secadmin"},
}


def expected_actions(persona: str, task: str) -> set[str]:
    return {action for action, cells in MAY.items() if persona in cells[task]}


def test_the_matrix_covers_every_action_the_policy_knows():
    assert set(MAY) == set(policy.TASK_ACTIONS), (
        "policy.TASK_ACTIONS and this matrix differ: write the new action's row in MAY"
    )
    assert set(ROLE_MAY) == set(policy.ROLE_ACTIONS)
    # every action is allowed to someone somewhere, except the one this world never reaches
    assert {a for a, cells in MAY.items() if not any(cells.values())} == {
        "task.head_review",
        "task.decide_extension",
        "task.confirm_recheck",
        "task.verify_recheck",
        "task.cancel_recheck",
        "task.notice_reply",
    }


def test_whoever_may_act_may_see():
    for action, cells in MAY.items():
        for task, who in cells.items():
            assert who <= SEES[task], (action, task, who - SEES[task])


# --- the policy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_policy_matrix(world, today, persona, task):
    """One cell row: everything this persona may do on this task, and nothing else."""
    user, obj = getattr(world, persona), getattr(world, task)
    sees = persona in SEES[task]
    assert policy.can_view_task(user, obj) is sees
    assert policy.can(user, "task.view", obj) is sees
    assert policy.visible_tasks(user).filter(pk=obj.pk).exists() is sees
    actions = policy.task_actions(user, obj)
    expected = expected_actions(persona, task)
    assert actions == expected, (
        f"{persona} on {task}: allowed but not in the matrix {sorted(actions - expected)}, "
        f"in the matrix but refused {sorted(expected - actions)}"
    )
    for action in MAY:
        assert policy.can(user, action, obj) is (action in expected), action


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_tasks(world, persona):
    user = getattr(world, persona)
    titles = {world.__dict__[t].pk: t for t in TASKS}
    seen = {titles[pk] for pk in policy.visible_tasks(user).values_list("pk", flat=True)}
    assert seen == {t for t in TASKS if persona in SEES[t]}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(ROLE_MAY))
def test_role_actions(world, persona, action):
    user = getattr(world, persona)
    expected = user.is_active and user.role in ROLE_MAY[action]
    assert policy.allowed(user, action) is expected


def test_a_role_action_the_policy_does_not_know_is_an_error(world):
    with pytest.raises(KeyError):
        policy.allowed(world.sup, "task.fly")
    with pytest.raises(KeyError):
        policy.can(world.sup, "task.fly", world.live)


def test_nobody_anonymous_sees_anything(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not policy.visible_tasks(anonymous).exists()
    assert not policy.can_view_task(anonymous, world.live)
    assert policy.task_actions(anonymous, world.live) == set()
    assert not policy.allowed(anonymous, "home.view")


# --- over HTTP -----------------------------------------------------------------------------------

REPORT = {"progress_text": "本期推进顺利。", "percent": "50", "problems": "", "next_steps": ""}


def _files(data):
    return {**data, "files": [pdf("佐证.pdf")]}


# name, url name, task, the url's object, method, action, data
ENDPOINTS = [
    ("task page", "tasks:detail", "live", "task", "get", "task.view", None),
    ("edit form", "tasks:task_edit", "live", "task", "get", "task.edit", None),
    ("decompose form", "tasks:decompose", "live", "task", "get", "task.decompose", None),
    ("report form", "reports:submit", "live", "task", "get", "task.report", None),
    ("report", "reports:submit", "live", "task", "post", "task.report", REPORT),
    ("report with file", "reports:submit", "pending", "task", "post", "task.report", REPORT),
    ("acknowledge", "tasks:acknowledge", "fresh", "task", "post", "task.acknowledge", {}),
    (
        "closure request",
        "tasks:closure_request",
        "live",
        "task",
        "post",
        "task.request_closure",
        {"summary": "全部完成。"},
    ),
    ("verify", "tasks:verify", "pending", "task", "post", "task.verify", {"comment": "同意。"}),
    (
        "return",
        "tasks:return",
        "pending",
        "task",
        "post",
        "task.return",
        {"return-reason": "佐证不足。"},
    ),
    ("assign", "tasks:assign", "draft", "task", "post", "task.assign", {}),
    ("suspend", "tasks:suspend", "live", "task", "post", "task.suspend", {"reason": "暂停。"}),
    ("cancel", "tasks:cancel", "fresh", "task", "post", "task.cancel", {"reason": "撤销。"}),
    ("resume", "tasks:resume", "suspended", "task", "post", "task.resume", {}),
    ("time node done", "tasks:milestone_done", "live", "milestone", "post", "task.milestone", {}),
    (
        "leader comment",
        "cockpit:comment",
        "live",
        "task",
        "post",
        "task.comment",
        {"text": "请加快进度。"},
    ),
    (
        "extension request",
        "extensions:request",
        "live",
        "task",
        "post",
        "task.request_extension",
        {"new_due": "2027-03-31", "reason": "受汛期影响，工期顺延。"},
    ),
    (
        "schedule recheck",
        "rechecks:schedule",
        "closed",
        "task",
        "post",
        "task.schedule_recheck",
        {"when": "3", "note": ""},
    ),
]


def _url(world, url_name, task, obj) -> str:
    target = getattr(world, task)
    pk = target.milestones.get().pk if obj == "milestone" else target.pk
    return reverse(url_name, args=[pk])


def expected_status(persona: str, task: str, action: str) -> str:
    if persona == "inactive":
        return "login"
    if persona not in SEES[task]:
        return "404"
    if action == "task.view" or persona in MAY[action][task]:
        return "ok"
    return "403"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "url_name", "task", "obj", "method", "action", "data"),
    ENDPOINTS,
    ids=[e[0] for e in ENDPOINTS],
)
def test_http_matrix(world, today, login, persona, name, url_name, task, obj, method, action, data):
    url = _url(world, url_name, task, obj)
    client = login(getattr(world, persona))
    before = snapshot()
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, _files(data) if name == "report with file" else data)
    after = snapshot()
    expected = expected_status(persona, task, action)
    got = response.status_code
    where = f"{persona} {method.upper()} {name} ({url})"
    if expected == "login":
        assert got == 302 and response["Location"].startswith(reverse("login")), where
    elif expected == "ok" and method == "get":
        assert got == 200, f"{where}: {got}"
    elif expected == "ok":
        assert got == 302, f"{where}: {got}"
        assert response["Location"] == reverse("tasks:detail", args=[getattr(world, task).pk])
        assert after != before, f"{where}: nothing was written"
    else:
        assert got == int(expected), f"{where}: expected {expected}, got {got}"
    if expected != "ok":
        assert after == before, f"{where}: something was written"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("file", ["lead_file", "co_file", "closure_file"])
def test_http_download(world, today, login, persona, file):
    """Attachments: what the task page lists for this persona is what they may download."""
    attachment = getattr(world, file)
    owner = attachment.report or attachment.closure_request
    task = next(t for t in TASKS if getattr(world, t).pk == owner.task_id)
    client = login(getattr(world, persona))
    response = client.get(reverse("reports:attachment", args=[attachment.pk]))
    if persona == "inactive":
        assert response.status_code == 302
        return
    every_part = persona in SEES[task] - CO
    own_part = persona in CO and owner.unit_id == world.b.pk
    assert response.status_code == (200 if every_part or own_part else 404)


# --- fixed users for each mutating view (allowed, read-only, outsider, wrong method) -----------

# name, allowed persona, read-only persona (sees, may not act), outsider persona
FIXED = {
    "report": ("co_liaison", "leader_in", "other_liaison"),
    "acknowledge": ("co_head", "sup", "other_head"),
    "closure request": ("lead_head", "co_liaison", "leader_out"),
    "verify": ("sup", "leader_in", "sup_out"),
    "return": ("sup", "lead_liaison", "other_liaison"),
    "assign": ("sup", "leader_in", "lead_liaison"),  # units never see drafts
    "suspend": ("sup", "lead_head", "sysadmin"),
    "cancel": ("sup", "co_head", "auditor"),
    "resume": ("sup", "leader_in", "secadmin"),
    "time node done": ("lead_liaison", "co_liaison", "other_liaison"),
}
BY_NAME = {e[0]: e for e in ENDPOINTS}
# the views that answer GET with a form; the others take POST only
FORM_VIEWS = {"report", "closure request", "verify", "return", "assign", "suspend", "cancel"}


@pytest.mark.parametrize("name", FIXED)
def test_fixed_users(world, today, login, name):
    _, url_name, task, obj, _, action, data = BY_NAME[name]
    allowed, read_only, outsider = FIXED[name]
    assert expected_status(allowed, task, action) == "ok"
    assert expected_status(read_only, task, action) == "403"
    assert expected_status(outsider, task, action) == "404"
    url = _url(world, url_name, task, obj)
    before = snapshot()
    assert login(getattr(world, outsider)).post(url, data).status_code == 404
    refused = login(getattr(world, read_only)).post(url, data)
    assert refused.status_code == 403
    assert "无权执行此操作" in refused.content.decode()
    assert snapshot() == before
    done = login(getattr(world, allowed)).post(url, data)
    assert done.status_code == 302
    assert snapshot() != before


@pytest.mark.parametrize("name", FIXED)
def test_wrong_method(world, today, login, name):
    _, url_name, task, obj, _, _, _ = BY_NAME[name]
    url = _url(world, url_name, task, obj)
    allowed = FIXED[name][0]
    client = login(getattr(world, allowed))
    before = snapshot()
    if name in FORM_VIEWS:
        assert client.get(url).status_code == 200
    else:
        assert client.get(url).status_code == 405
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize(
    "url_name", ["tasks:detail", "reports:attachment"], ids=["task page", "download"]
)
def test_read_only_views_refuse_writes(world, today, login, url_name):
    pk = world.live.pk if url_name == "tasks:detail" else world.lead_file.pk
    client = login(world.sup)
    assert client.post(reverse(url_name, args=[pk])).status_code == 405
