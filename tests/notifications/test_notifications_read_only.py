"""The notification pages that only show something answer GET and HEAD, nothing else (405)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.notifications.models import WebhookEndpoint
from luoshi.notifications.services import notify


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


PAGES = [
    ("liaison_a", "notifications:inbox"),
    ("liaison_a", "notifications:badge"),
    ("sysadmin", "notifications:deliveries"),
    ("sysadmin", "notifications:webhooks"),
]


@pytest.mark.parametrize(("who", "name"), PAGES)
def test_read_only_pages_answer_get_and_head(world, today, login, who, name):
    notify(recipients=[world.liaison_a], kind="task", title="新任务")
    client = login(getattr(world, who))
    url = reverse(name)
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200


@pytest.mark.parametrize(("who", "name"), PAGES)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_read_only_pages_refuse_other_methods(world, today, login, who, name, method):
    client = login(getattr(world, who))
    before = WebhookEndpoint.objects.count()
    assert getattr(client, method)(reverse(name)).status_code == 405
    assert WebhookEndpoint.objects.count() == before
