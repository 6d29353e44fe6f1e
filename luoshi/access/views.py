"""Marks on views: every URL's view names the rule that guards it. A test walks the URL
configuration and fails on a view with no mark."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.shortcuts import render
from django.utils.functional import Promise

from luoshi.access import policy


def rule(action: str) -> Callable:
    """Guard a view by a role-level action (see policy.ROLE_ACTIONS) and record the rule.

    Object-level checks (this task, this unit) are made inside the view through
    policy.get_task_for_user, which this decorator cannot see; `action` then names the
    view's coarse rule, e.g. "task.list" for a list page.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            policy.require(request.user, action)
            return view(request, *args, **kwargs)

        wrapped.access_rule = action
        return wrapped

    return decorate


def object_rule(action: str) -> Callable:
    """Mark a view whose check is on one object (made in the view via policy.get_*_for_user)."""

    def decorate(view):
        view.access_rule = f"object:{action}"
        return view

    return decorate


def public(view):
    """Mark a view open without log-in (log-in page, public clue form)."""
    view.access_rule = "public"
    view.login_exempt = True
    return view


# Django's own get_object_or_404 message, in English and naming a model: not for users.
_DJANGO_NOT_FOUND = re.compile(r"^No .+ matches the given query\.$")


def page_not_found(request, exception):
    """404 (settings.DEBUG off): the Chinese page, with the reason the code gave when it gave
    one (e.g. 附件文件已丢失); never Django's English text or the URL patterns tried."""
    message = exception.args[0] if getattr(exception, "args", None) else ""
    reason = str(message) if isinstance(message, str | Promise) else ""
    if _DJANGO_NOT_FOUND.match(reason):
        reason = ""
    return render(request, "404.html", {"reason": reason}, status=404)
