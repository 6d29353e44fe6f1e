"""Token lifecycle: made once (only the hash stored), used, expired, revoked; the 接口令牌
page (own tokens; the system administrator sees and revokes all); audit entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from luoshi.api.models import ApiToken
from luoshi.api.tokens import token_authenticate, token_create, token_revoke
from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from tests.api.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_made_shown_once_hash_stored(world, today):
    row, token = token_create(actor=world.lead_liaison, name="OA 对接")
    assert token.startswith(f"ls_{row.prefix}_")
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert token_authenticate(token) == world.lead_liaison
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None
    assert token_authenticate(token[:-1] + "x") is None
    assert token_authenticate("") is None
    assert AuditEvent.objects.filter(action="api.token.create", actor=world.lead_liaison).exists()


def test_revoked_and_expired_tokens_stop_working(world, today, client):
    row, token = token_create(actor=world.sup, name="甲", expires_on=today + dt.timedelta(days=1))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/tasks", headers=headers).status_code == 200
    with clock.pinned_today(today + dt.timedelta(days=2)):
        assert token_authenticate(token) is None
    token_revoke(actor=world.sup, token=row)
    assert client.get("/api/v1/tasks", headers=headers).status_code == 401
    assert AuditEvent.objects.filter(action="api.token.revoke").exists()
    with pytest.raises(ValidationError, match="已吊销"):
        token_revoke(actor=world.sup, token=row)


@pytest.mark.parametrize(
    ("name", "expires", "message"),
    [("", None, "请填写令牌名称"), ("甲", dt.date(2026, 3, 10), "有效期须晚于今天")],
)
def test_bad_input(world, today, name, expires, message):
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        token_create(actor=world.sup, name=name, expires_on=expires)
    assert snapshot() == before and not ApiToken.objects.exists()


def test_administrators_make_no_tokens_and_nobody_revokes_anothers(world, today):
    with pytest.raises(PermissionDenied):
        token_create(actor=world.sysadmin, name="甲")
    row, _token = token_create(actor=world.sup, name="甲")
    with pytest.raises(PermissionDenied, match="只能吊销自己的令牌"):
        token_revoke(actor=world.lead_liaison, token=row)
    token_revoke(actor=world.sysadmin, token=row)  # the system administrator may


def test_the_page(world, today, login):
    client = login(world.lead_liaison)
    page = client.get(reverse("api:token_list"))
    assert page.status_code == 200
    made = client.post(reverse("api:token_list"), {"name": "OA 对接"})
    assert made.status_code == 200
    token = made.context["new_token"]
    assert token.startswith("ls_") and token in made.content.decode()
    # shown once: the next view of the page has only the prefix
    again = client.get(reverse("api:token_list")).content.decode()
    assert token not in again and token.split("_")[1] in again
    row = ApiToken.objects.get()
    assert client.post(reverse("api:token_revoke", args=[row.pk])).status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get(reverse("api:token_revoke", args=[row.pk])).status_code == 405


def test_the_page_by_role(world, today, login):
    row, _t = token_create(actor=world.sup, name="督查室对接")
    # another user's token is not found on their page; the system administrator sees all
    client = login(world.lead_liaison)
    assert client.post(reverse("api:token_revoke", args=[row.pk])).status_code == 404
    client = login(world.sysadmin)
    page = client.get(reverse("api:token_list"))
    assert "督查室对接" in page.content.decode() and page.context["may_create"] is False
    assert client.post(reverse("api:token_list"), {"name": "甲"}).status_code == 403
    client = login(world.auditor)
    assert client.get(reverse("api:token_list")).status_code == 403
