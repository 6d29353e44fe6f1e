"""Every view of the pages that change things names the rule that guards it."""

from django.urls import get_resolver

NAMESPACES = ("tasks", "reports", "workcal")


def _views(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _views(pattern, pattern.namespace or namespace)
        else:
            yield namespace, pattern.name, pattern.callback


def test_every_view_is_marked():
    views = [(ns, name, cb) for ns, name, cb in _views(get_resolver()) if ns in NAMESPACES]
    names = {f"{ns}:{name}" for ns, name, _ in views}
    assert {"tasks:decompose", "reports:submit", "reports:attachment", "workcal:calendar"} <= names
    unmarked = [f"{ns}:{name}" for ns, name, cb in views if not getattr(cb, "access_rule", "")]
    assert unmarked == []
