"""三员分立: the system, security and audit administrators are distinct; only the 安全管理员
grants roles and scopes; nobody changes their own role; each administrator role keeps an
active account; administrators read no business content; nothing erases the audit trail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.org.models import Role, User
from luoshi.org.services import user_create, user_update
from luoshi.security.services.roles import role_grant
from tests.security.world import make_user

ADMINS = ["sysadmin", "secadmin", "auditor"]


def test_the_sysadmin_cannot_open_an_admin_account(client, w):
    with pytest.raises(ValidationError, match="只能由安全管理员授予"):
        user_create(actor=w.sysadmin, username="x", password="Strong-pass-1", role=Role.AUDITOR)
    client.force_login(w.sysadmin)
    response = client.post(
        reverse("org:user_create"),
        {"username": "x2", "password": "Strong-pass-1", "full_name": "某", "role": "secadmin"},
    )
    assert "只能由安全管理员授予" in response.content.decode()
    assert not User.objects.filter(username__in=["x", "x2"]).exists()


def _user_form(user, **changes) -> dict:
    data = {
        "full_name": user.full_name,
        "role": user.role,
        "unit": user.unit_id or "",
        "scope_unit": user.scope_unit_id or "",
        "title": user.title,
        "phone": user.phone,
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_sysadmin_edits_details_but_not_roles_or_scopes(client, w):
    client.force_login(w.sysadmin)
    url = reverse("org:user_edit", args=[w.leader.pk])
    response = client.post(url, _user_form(w.leader, role="supervisor"))
    assert "角色只能由安全管理员授予或变更" in response.content.decode()
    response = client.post(url, _user_form(w.leader, scope_unit=w.gov.pk))
    assert "管辖范围只能由安全管理员授予或变更" in response.content.decode()
    w.leader.refresh_from_db()
    assert w.leader.role == Role.LEADER and w.leader.scope_unit is None
    assert client.post(url, _user_form(w.leader, title="副市长")).status_code == 302
    w.leader.refresh_from_db()
    assert w.leader.title == "副市长"


def test_the_sysadmin_cannot_deactivate_an_admin_account(w):
    with pytest.raises(ValidationError, match="由安全管理员负责"):
        user_update(actor=w.sysadmin, user=w.auditor, is_active=False)
    # but a business account, yes (audited old → new)
    user_update(actor=w.sysadmin, user=w.liaison, is_active=False)
    event = AuditEvent.objects.get(action="org.user.update")
    assert event.data == {"changes": {"is_active": ["True", "False"]}}


def test_the_secadmin_grants_a_role_audited_old_to_new(client, w):
    client.force_login(w.secadmin)
    response = client.post(
        reverse("security:grant", args=[w.leader.pk]),
        {"role": "supervisor", "scope_unit": w.gov.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    w.leader.refresh_from_db()
    assert w.leader.role == Role.SUPERVISOR and w.leader.scope_unit == w.gov
    event = AuditEvent.objects.get(action="security.role.grant")
    assert event.actor_id == w.secadmin.pk
    assert event.data == {
        "changes": {"role": ["leader", "supervisor"], "scope_unit": ["", str(w.gov)]}
    }


def test_a_new_admin_account_is_opened_by_the_sysadmin_and_granted_by_the_secadmin(w):
    new = user_create(
        actor=w.sysadmin,
        username="auditor2",
        password="Strong-pass-1",
        role=Role.LEADER,
        is_active=False,
    )
    role_grant(actor=w.secadmin, user=new, role=Role.AUDITOR, is_active=True)
    new.refresh_from_db()
    assert new.role == Role.AUDITOR and new.is_active


def test_nobody_changes_their_own_role(client, w):
    with pytest.raises(ValidationError, match="不能变更自己的角色"):
        role_grant(actor=w.secadmin, user=w.secadmin, role=Role.SUPERVISOR)
    with pytest.raises(ValidationError, match="不能变更自己的角色"):
        user_update(actor=w.sysadmin, user=w.sysadmin, role=Role.SECADMIN)
    client.force_login(w.secadmin)
    response = client.post(
        reverse("security:grant", args=[w.secadmin.pk]), {"role": "auditor", "is_active": "on"}
    )
    assert "不能变更自己的角色" in response.content.decode()
    w.secadmin.refresh_from_db()
    assert w.secadmin.role == Role.SECADMIN


@pytest.mark.parametrize("role", ["sysadmin", "auditor"])
def test_the_last_admin_of_a_role_stays(w, role):
    last = getattr(w, role)
    with pytest.raises(ValidationError, match="至少要保留一个启用的账号"):
        role_grant(actor=w.secadmin, user=last, role=Role.LEADER)
    with pytest.raises(ValidationError, match="至少要保留一个启用的账号"):
        role_grant(actor=w.secadmin, user=last, role=role, is_active=False)
    make_user(f"{role}2", role)
    role_grant(actor=w.secadmin, user=last, role=role, is_active=False)
    last.refresh_from_db()
    assert not last.is_active


def test_the_last_secadmin_cannot_be_demoted_by_another_path(w):
    second = make_user("secadmin2", Role.SECADMIN)
    role_grant(actor=second, user=w.secadmin, role=Role.LEADER)
    with pytest.raises(ValidationError):
        user_update(actor=None, user=second, role=Role.LEADER)


def test_grant_bad_input_changes_nothing(client, w):
    client.force_login(w.secadmin)
    url = reverse("security:grant", args=[w.liaison.pk])
    for data, message in [
        ({"role": "king", "is_active": "on"}, "king"),
        ({"role": "liaison", "scope_unit": 987654, "is_active": "on"}, "单位不存在"),
        ({"role": "liaison", "scope_unit": w.gov.pk, "is_active": "on"}, "只有督查室人员和领导"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    w.liaison.refresh_from_db()
    assert w.liaison.role == Role.LIAISON and w.liaison.scope_unit is None
    assert not AuditEvent.objects.filter(action="security.role.grant").exists()


def test_grant_pages(client, w):
    client.force_login(w.secadmin)
    page = client.get(reverse("security:users"), {"role": "auditor"}).content.decode()
    assert "<td>auditor</td>" in page and "<td>liaison</td>" not in page
    assert client.get(reverse("security:grant", args=[987654])).status_code == 404
    assert client.put(reverse("security:grant", args=[w.leader.pk])).status_code == 405
    client.force_login(w.sysadmin)
    assert client.get(reverse("security:grant", args=[w.leader.pk])).status_code == 403
    response = client.post(
        reverse("security:grant", args=[w.leader.pk]), {"role": "secadmin", "is_active": "on"}
    )
    assert response.status_code == 403
    w.leader.refresh_from_db()
    assert w.leader.role == Role.LEADER


BUSINESS_PAGES = [
    "tasks:list",
    "tasks:sources",
    "meetings:list",
    "meetings:instructions",
    "supervision:notices",
    "extensions:list",
    "rechecks:list",
    "bulletins:list",
    "evaluation:periods",
    "outcomes:list",
    "cadres:list",
    "policies:list",
    "cockpit:index",
    "search:search",
]


@pytest.mark.parametrize("admin", ADMINS)
@pytest.mark.parametrize("page", BUSINESS_PAGES)
def test_administrators_read_no_business_content(client, w, admin, page):
    client.force_login(getattr(w, admin))
    assert client.get(reverse(page)).status_code == 403


def test_no_code_deletes_or_rewrites_audit_events():
    """No module outside migrations deletes or updates AuditEvent rows (H4 guards the
    database itself)."""
    root = Path(__file__).resolve().parents[2] / "luoshi"
    pattern = re.compile(r"AuditEvent\.objects[^\n]*\.(delete|update|bulk_update)\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin"])
def test_no_admin_reaches_the_audit_log_but_the_auditor(client, w, admin):
    client.force_login(getattr(w, admin))
    assert client.get(reverse("audit:log")).status_code == 403
