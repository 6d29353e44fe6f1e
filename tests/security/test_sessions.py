"""Sessions: a new key at log-in, idle timeout (30 minutes) and absolute lifetime (8 hours)
from the policy, audited."""

from __future__ import annotations

from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.security.services.policy import policy_update
from tests.security.world import post_login


def test_the_session_key_changes_at_log_in(client, w):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    post_login(client, "liaison")
    assert client.session.session_key != before


def test_idle_timeout(client, w, at):
    post_login(client, "liaison")
    at(29)
    assert client.get(reverse("home")).status_code == 200
    at(58)  # 29 minutes after the last activity
    assert client.get(reverse("home")).status_code == 200
    at(89)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="security.session.timeout")
    assert event.actor_id == w.liaison.pk and event.data == {"why": "idle"}
    page = client.get(response["Location"]).content.decode()
    assert "您已退出登录" in page


def test_the_policy_sets_the_idle_timeout_for_the_next_log_in(client, w, at):
    policy_update(actor=w.secadmin, idle_timeout_minutes=10)
    post_login(client, "liaison")
    at(11)
    assert client.get(reverse("home")).status_code == 302


def test_absolute_lifetime(client, w, at):
    post_login(client, "liaison")
    for n in range(1, 24):  # busy all day, every 20 minutes
        at(20 * n)
        assert client.get(reverse("home")).status_code == 200
    at(20 * 24 + 1)
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.get(action="security.session.timeout").data == {"why": "lifetime"}


def test_activity_is_written_at_most_once_a_minute(client, w, at, django_assert_num_queries):
    post_login(client, "liaison")
    at(0.5)
    client.get(reverse("security:account"))
    seen = client.session["sec_seen"]
    at(0.9)
    client.get(reverse("security:account"))
    assert client.session["sec_seen"] == seen
    at(2)
    client.get(reverse("security:account"))
    assert client.session["sec_seen"] > seen
