"""The published OpenAPI lists exactly the registered operations; the docs are served from
the project (no CDN) to logged-in business users."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from luoshi.api.endpoints import ACTIONS, api

pytestmark = pytest.mark.django_db


def registered() -> set[tuple[str, str]]:
    found = set()
    for router_prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                full = "/api/v1" + (router_prefix + path).rstrip("/")
                for method in op.methods:
                    found.add((method.lower(), full))
    return found


def test_openapi_lists_exactly_the_registered_operations(client, world):
    client.force_login(world.sup)
    schema = client.get("/api/v1/openapi.json").json()
    published = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert published == registered()
    assert published == {
        ("get", "/api/v1/tasks"),
        ("post", "/api/v1/tasks"),
        ("get", "/api/v1/tasks/{ref}"),
        ("get", "/api/v1/units"),
        ("post", "/api/v1/sources"),
        ("post", "/api/v1/tasks/{ref}/reports"),
        ("post", "/api/v1/tasks/{ref}/closure-request"),
    }
    # every operation declares its policy action and asks for the bearer token
    assert len(ACTIONS) == len(published)
    for item in schema["paths"].values():
        for op in item.values():
            assert op["security"] == [{"TokenAuth": []}]


def test_docs_are_local(client, world):
    client.force_login(world.lead_liaison)
    page = client.get(reverse("api:openapi-view"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "a CDN link"


def test_docs_need_a_business_user(client, world):
    assert client.get(reverse("api:openapi-view")).status_code == 302  # to log in
    client.force_login(world.auditor)
    assert client.get(reverse("api:openapi-view")).status_code == 403
    assert client.get("/api/v1/openapi.json").status_code == 403
