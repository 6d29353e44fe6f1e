"""Session guard: ends a session idle too long or past its lifetime, and keeps a user who
must first change their password or enrol a second factor on those pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.security.sessions import GATE_ENROL, GATE_PASSWORD, now_ts, session_expired

# Record activity at most once a minute: a session write on every request would cost a
# database write per page.
SEEN_RESOLUTION = 60
GATE_URLS = {GATE_PASSWORD: "security:password", GATE_ENROL: "security:totp"}


class SessionGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "sec_auth_at" in request.session:
            why = session_expired(request.session)
            if why:
                audit_log(
                    actor=user, action="security.session.timeout", obj=user, data={"why": why}
                )
                request.session.flush()
                request.user = AnonymousUser()
                messages.info(
                    request, _("由于长时间未操作或登录时间过长，您已退出登录，请重新登录。")
                )
            else:
                now = now_ts()
                if now - request.session.get("sec_seen", 0) >= SEEN_RESOLUTION:
                    request.session["sec_seen"] = now
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        gate = request.session.get("sec_gate") if hasattr(request, "session") else None
        if not gate or not request.user.is_authenticated:
            return None
        if getattr(view_func, "login_exempt", False) or getattr(view_func, "gate_exempt", False):
            return None
        url = reverse(GATE_URLS.get(gate, "security:password"))
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


def gate_exempt(view):
    """Mark a view a user may open while a gate holds them (change password, enrol)."""
    view.gate_exempt = True
    return view
