from __future__ import annotations

from luoshi.access import policy


def access_context(request):
    """What the navigation needs to know: which menu entries this user may open."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "nav": {
            action.replace(".", "_"): policy.allowed(user, action) for action in policy.ROLE_ACTIONS
        }
    }
