"""Log-in in two steps: the password (with lockout per account and per address), then, when
a second factor applies, the 6-digit code or a recovery code. docs/SECURITY.md."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from luoshi.access.views import public
from luoshi.audit.services import audit_log
from luoshi.lib.request_context import client_ip
from luoshi.security.forms import CodeForm, LoginForm
from luoshi.security.services import lockout
from luoshi.security.services.totp import totp_enrolled, totp_verify
from luoshi.security.sessions import PENDING_SECONDS, now_ts, session_start


def _locked_message(lock: lockout.Lock) -> str:
    until = timezone.localtime(lock.until).strftime("%H:%M")
    return _("登录失败次数过多，已暂时锁定，请于 %(until)s 后再试，或联系安全管理员解锁。") % {
        "until": until
    }


def _next_url(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return settings.LOGIN_REDIRECT_URL


def _finish(request, user, backend: str, next_url: str):
    login(request, user, backend=backend)  # a new session key; auth.login audited (signal)
    session_start(request, user)
    gate = request.session.get("sec_gate")
    if gate == "password":
        return redirect("security:password")
    if gate == "enrol":
        return redirect("security:totp")
    return redirect(_next_url(request, next_url))


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        attempt, lock = lockout.attempt_begin(username=username, ip=client_ip())
        if lock is not None:
            audit_log(actor=None, action="security.login_blocked", data={"username": username})
            form.add_error(None, ValidationError(_locked_message(lock), code="locked"))
        else:
            user = authenticate(
                request, username=username, password=form.cleaned_data["password"]
            )  # a failure is audited as auth.login_failed (luoshi/audit/auth_events.py)
            if user is None:
                lock = lockout.attempt_failed(attempt)
                if lock is not None:
                    form.add_error(None, ValidationError(_locked_message(lock), code="locked"))
                else:
                    form.add_error(None, ValidationError("", code="invalid_login"))
            else:
                if totp_enrolled(user):
                    # not a success yet: only the second step resets the failure count
                    lockout.attempt_password_ok(attempt)
                    request.session.cycle_key()
                    request.session["sec_pending"] = {
                        "user": user.pk,
                        "backend": user.backend,
                        "at": now_ts(),
                        "next": next_url,
                    }
                    return redirect("security:login_code")
                lockout.attempt_succeeded(attempt)
                return _finish(request, user, user.backend, next_url)
    return render(request, "registration/login.html", {"form": form, "next": next_url})


@public
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    pending = request.session.get("sec_pending")
    user = None
    if pending and now_ts() - pending.get("at", 0) <= PENDING_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        # no password step in progress (expired, locked, or never begun): start again
        request.session.pop("sec_pending", None)
        return render(request, "registration/login_code.html", {"expired": True})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt, lock = lockout.attempt_begin(username=user.username, ip=client_ip())
        if lock is not None:
            request.session.pop("sec_pending", None)
            audit_log(actor=None, action="security.login_blocked", data={"username": user.username})
            form.add_error(None, _locked_message(lock))
        elif totp_verify(user=user, code=form.cleaned_data["code"]):
            lockout.attempt_succeeded(attempt)
            del request.session["sec_pending"]
            return _finish(request, user, pending["backend"], pending.get("next", ""))
        else:
            audit_log(actor=None, action="security.totp.failed", obj=user)
            lock = lockout.attempt_failed(attempt, user=user, step="totp")
            if lock is not None:
                request.session.pop("sec_pending", None)
                form.add_error(None, _locked_message(lock))
            else:
                form.add_error(
                    "code", _("动态口令不正确或已使用过，请输入手机上当前显示的 6 位数字。")
                )
    return render(request, "registration/login_code.html", {"form": form, "account": user})
