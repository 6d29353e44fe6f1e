"""Every URL names the rule that guards it (luoshi.access.views: rule, object_rule, public),
and nobody reaches a page that is not public without logging in.

The URL configuration is walked, not listed: a new endpoint without a mark fails here,
named by its route."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RoutePattern

from luoshi.access import policy
from luoshi.access.views import public

OBJECT_ACTIONS = {"task.view", *policy.TASK_ACTIONS}


@dataclass(frozen=True)
class Endpoint:
    route: str  # the full route, e.g. "tasks/<int:pk>/edit/"
    name: str  # "namespace:name", or "" when unnamed
    callback: object
    converters: dict

    @property
    def rule(self) -> str:
        return access_rule(self.callback)

    def url(self) -> str:
        """The route with a made-up value for each parameter (of the right type)."""

        def fill(match: re.Match) -> str:
            converter = self.converters.get(match["name"])
            return DUMMY.get(type(converter), "x")

        return "/" + re.sub(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>", fill, self.route)


DUMMY = {
    IntConverter: "987654",
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x/y",
    UUIDConverter: str(uuid.UUID(int=1)),
}


def access_rule(callback) -> str:
    """The mark on a view: on the callback itself, or on a class-based view's class."""
    mark = getattr(callback, "access_rule", "")
    if not mark and hasattr(callback, "view_class"):
        mark = getattr(callback.view_class, "access_rule", "")
    return mark


def walk(resolver=None, prefix="", namespace="", converters=None):
    resolver = resolver if resolver is not None else get_resolver()
    converters = converters or {}
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            raise AssertionError(
                f"{prefix}{pattern}: a regex URL (re_path); give it a route so this test "
                "can fill its parameters"
            )
        route = prefix + str(pattern)
        found = {**converters, **pattern.converters}
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry, route, ns, found)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Endpoint(route, name, entry.callback, found)


ENDPOINTS = list(walk())
PUBLIC = [e for e in ENDPOINTS if e.rule == "public"]
# REST API operations (luoshi/api/urls.py) are marked "api:<action>,…" with the policy action
# every operation on the path declares; they take a token, not a session, and answer 401.
API = [e for e in ENDPOINTS if e.rule.startswith("api:")]
GUARDED = [e for e in ENDPOINTS if e.rule and e.rule != "public" and e not in API]


def _id(endpoint: Endpoint) -> str:
    return endpoint.name or endpoint.route


def test_the_walk_finds_the_urls_of_every_app():
    names = {e.name for e in ENDPOINTS}
    assert {
        "login",
        "home",
        "tasks:list",
        "tasks:detail",
        "tasks:acknowledge",
        "reports:submit",
        "reports:attachment",
        "workcal:calendar",
        "org:units",
        "audit:log",
    } <= names
    assert len(ENDPOINTS) >= 30


def test_every_url_names_its_access_rule():
    unmarked = [
        f"/{e.route} ({_id(e)}, view {getattr(e.callback, '__qualname__', e.callback)})"
        for e in ENDPOINTS
        if not e.rule
    ]
    assert not unmarked, (
        "These URLs have no access rule; decorate the view with luoshi.access.views.rule, "
        "object_rule or public:\n  " + "\n  ".join(unmarked)
    )


def test_every_rule_names_an_action_the_policy_knows():
    unknown = []
    for e in ENDPOINTS:
        mark = e.rule
        if not mark or mark == "public":
            continue
        if mark.startswith("api:"):
            for action in mark.removeprefix("api:").split(","):
                if action not in OBJECT_ACTIONS and action not in policy.ROLE_ACTIONS:
                    unknown.append(f"/{e.route} ({_id(e)}): {mark}")
        elif mark.startswith("object:"):
            # a task action, or a role action checked with the object (e.g. clue.triage on
            # a clue the user sees: luoshi/access/clues.py)
            action = mark.removeprefix("object:")
            if action not in OBJECT_ACTIONS and action not in policy.ROLE_ACTIONS:
                unknown.append(f"/{e.route} ({_id(e)}): {mark}")
        elif mark not in policy.ROLE_ACTIONS:
            unknown.append(f"/{e.route} ({_id(e)}): {mark}")
    assert not unknown, (
        "These rules name actions that policy.ROLE_ACTIONS / policy.TASK_ACTIONS do not "
        "define:\n  " + "\n  ".join(unknown)
    )


def _unmarked_view(request, pk):  # for the self-test below
    raise AssertionError("never called")


@public
def _open_view(request):
    raise AssertionError("never called")


urlpatterns = [  # a URL configuration with one unmarked view, for the self-test below
    path("things/<int:pk>/", _unmarked_view, name="thing"),
    path("open/", _open_view, name="open"),
]


def test_the_walk_names_an_unmarked_view():
    found = {e.name: e for e in walk(get_resolver(__name__))}
    assert found["thing"].rule == ""
    assert found["thing"].url() == "/things/987654/"
    assert found["open"].rule == "public"


def test_only_the_login_page_log_out_and_language_switch_are_public():
    # and the health check of load balancers (no business content: luoshi/worker/views.py)
    # and the public clue pages (群众线索: the form, the status by receipt code, the CAPTCHA)
    clues = {"clues:submit", "clues:status", "clues:captcha"}
    # and the log-in's second step (the 6-digit code: the user is not logged in yet)
    security = {"security:login_code"}
    assert {e.name for e in PUBLIC} == {
        "login",
        "logout",
        "set_language",
        "health",
    } | clues | security


@pytest.mark.parametrize("endpoint", GUARDED, ids=_id)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(db, client, endpoint, method):
    url = endpoint.url()
    response = getattr(client, method)(url)
    assert response.status_code == 302, (
        f"{method.upper()} {url} ({_id(endpoint)}) answered {response.status_code} to an "
        "anonymous user instead of sending them to log in"
    )
    assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]


@pytest.mark.parametrize("endpoint", API, ids=_id)
@pytest.mark.parametrize("method", ["get", "post"])
def test_api_without_a_token_is_refused_in_json(db, client, endpoint, method):
    response = getattr(client, method)(endpoint.url())
    assert response.status_code in (401, 405), f"{method.upper()} {endpoint.url()}"
    if response.status_code == 401:
        assert "令牌" in response.json()["detail"]


@pytest.mark.parametrize("endpoint", [e for e in PUBLIC if e.name != "logout"], ids=_id)
def test_public_pages_answer_without_login(db, client, endpoint):
    response = client.get(endpoint.url())
    assert response.status_code in (200, 302, 405)
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("login"))
