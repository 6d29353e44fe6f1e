"""/api/v1/: the API's operations (luoshi.api.endpoints), its OpenAPI schema (openapi.json)
and interactive docs (docs, Swagger UI served from the project), plus the 接口令牌 and 推送订阅
pages.

Access marks for the URL walker (tests/access/test_access_urls.py): an operation's URL is
marked "api:<action>[,<action>…]" with the policy actions its operations declare (one Django
view serves every method of a path), and is exempt from the log-in redirect: the token is
checked by the API, which answers 401 in JSON. The docs and the schema need a logged-in
business user (rule "api.use").
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import URLPattern, path

from luoshi.access.views import rule
from luoshi.api import views
from luoshi.api.endpoints import ACTIONS, api

app_name = "api"


def _marked(patterns: list) -> list:
    by_route: dict[str, set[str]] = defaultdict(set)
    for p in patterns:
        if isinstance(p, URLPattern) and p.name in ACTIONS:
            by_route[str(p.pattern)].add(ACTIONS[p.name])
    marked = []
    for p in patterns:
        if p.name == "api-root":  # ninja's home (the docs' link), for logged-in users
            p = path(str(p.pattern), rule("api.use")(p.callback), name=p.name)
        if p.name in ACTIONS:
            p.callback.access_rule = "api:" + ",".join(sorted(by_route[str(p.pattern)]))
            p.callback.login_exempt = True
        marked.append(p)
    return marked


urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/<int:pk>/", views.webhook_edit, name="webhook_edit"),
    path("webhooks/new/", views.webhook_edit, name="webhook_create"),
    *_marked(api.urls[0]),
]
