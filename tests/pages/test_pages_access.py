"""Who may open which page: each page renders for the roles that may see it and answers
403, 404 or a redirect to everyone else; nobody gets in without logging in."""

import pytest
from django.urls import reverse

PASSWORD = "pw-Secret-2026"  # the world fixture's password

pytestmark = pytest.mark.django_db

ALL = ("sup", "leader", "liaison_a", "head_a", "sysadmin", "secadmin", "auditor")


def _status(client, world, username, url):
    client.force_login(getattr(world, username))
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("sup", 200),
        ("leader", 200),
        ("liaison_a", 200),
        ("head_a", 200),
        ("sysadmin", 200),
        ("secadmin", 200),
        ("auditor", 302),
    ],
)
def test_home_per_role(client, world, today, username, expected):
    assert _status(client, world, username, reverse("home")) == expected


def test_auditor_home_goes_to_audit_log(client, world, today):
    client.force_login(world.auditor)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:log")


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("sup", 200),
        ("leader", 200),
        ("liaison_a", 200),
        ("head_a", 200),
        ("sysadmin", 403),
        ("secadmin", 403),
        ("auditor", 403),
    ],
)
def test_ledger_per_role(client, world, today, username, expected):
    assert _status(client, world, username, reverse("tasks:list")) == expected


@pytest.mark.parametrize(
    ("username", "task", "expected"),
    [
        ("sup", "big", 200),
        ("sup", "draft", 200),
        ("leader", "big", 200),
        ("liaison_a", "big", 200),  # lead unit
        ("liaison_b", "big", 200),  # co-unit
        ("liaison_c", "big", 404),  # leads a sub-task only, not the parent
        ("liaison_c", "big_2", 200),
        ("liaison_a", "draft", 404),  # units never see drafts
        ("liaison_a", "soon", 404),  # another unit's task
        ("sysadmin", "big", 404),
        ("secadmin", "big", 404),
        ("auditor", "big", 404),
    ],
)
def test_task_page_per_role(client, world, today, username, task, expected):
    url = reverse("tasks:detail", args=[getattr(world, task).pk])
    assert _status(client, world, username, url) == expected


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("sup", 200),
        ("leader", 200),
        ("liaison_a", 403),
        ("head_a", 403),
        ("sysadmin", 403),
        ("auditor", 403),
    ],
)
def test_sources_per_role(client, world, today, username, expected):
    assert _status(client, world, username, reverse("tasks:sources")) == expected
    detail = reverse("tasks:source_detail", args=[world.source.pk])
    assert _status(client, world, username, detail) == expected


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("auditor", 200),
        ("sup", 403),
        ("leader", 403),
        ("liaison_a", 403),
        ("sysadmin", 403),
        ("secadmin", 403),
    ],
)
def test_audit_log_per_role(client, world, username, expected):
    assert _status(client, world, username, reverse("audit:log")) == expected


@pytest.mark.parametrize(
    "url_name",
    ["home", "tasks:list", "tasks:sources", "audit:log"],
)
def test_anonymous_is_sent_to_login(client, world, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert f"next={url}" in response["Location"]


def test_anonymous_task_page_is_sent_to_login(client, world):
    response = client.get(reverse("tasks:detail", args=[world.big.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_chinese_and_public(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名" in html and "密码" in html and 'name="username"' in html
    assert 'name="password"' in html and 'type="password"' in html


def test_wrong_password_shows_chinese_error(client, world):
    response = client.post(reverse("login"), {"username": "sup", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_login_then_lands_on_home(client, world, today):
    response = client.post(reverse("login"), {"username": "sup", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_logout_is_a_post_form_in_the_top_bar(client, world, today):
    client.force_login(world.sup)
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
