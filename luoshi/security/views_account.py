"""账户安全: every user's own password and second factor."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.access.views import rule
from luoshi.lib.forms import add_service_errors
from luoshi.security.forms import PasswordChangeForm, TotpConfirmForm
from luoshi.security.middleware import gate_exempt
from luoshi.security.models import AccountSecurity
from luoshi.security.services import totp
from luoshi.security.services.passwords import (
    password_change,
    password_change_reason,
    password_expires_at,
)
from luoshi.security.sessions import gate_refresh


def _state(user) -> AccountSecurity | None:
    return AccountSecurity.objects.filter(user=user).first()


@rule("security.account")
@require_GET
def account(request):
    user = request.user
    return render(
        request,
        "security/account.html",
        {
            "state": _state(user),
            "expires_at": password_expires_at(user),
            "totp_required": totp.totp_required(user),
            "codes_left": totp.recovery_codes_left(user),
        },
    )


@gate_exempt
@rule("security.account")
@sensitive_post_parameters("old_password", "new_password", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password(request):
    form = PasswordChangeForm(request.POST or None)
    reason = password_change_reason(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field="new_password")
        else:
            # this session stays; every other session of the account ends (its hash changed)
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            if gate_refresh(request, request.user) == "enrol":
                return redirect("security:totp")
            return redirect("security:account")
    return render(request, "security/password.html", {"form": form, "reason": reason})


@gate_exempt
@rule("security.account")
@never_cache
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    user = request.user
    state = _state(user)
    if state is not None and state.totp_enrolled:
        return redirect("security:account")
    if state is None or not state.totp_secret:
        totp.totp_enrol_start(user=user)
        state = _state(user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp.totp_enrol_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc, field="code")
        else:
            gate_refresh(request, user)
            return render(request, "security/recovery_codes.html", {"codes": codes})
    return render(
        request,
        "security/totp_setup.html",
        {
            "form": form,
            "secret": state.totp_secret,
            "forced": request.session.get("sec_gate") == "enrol",
        },
    )


@gate_exempt
@rule("security.account")
@never_cache
@require_GET
def totp_qr(request):
    """The pending secret's QR code as SVG (an image from the project, no script)."""
    state = _state(request.user)
    if state is None or not state.totp_secret or state.totp_confirmed_at:
        raise Http404(_("没有待启用的动态口令密钥。"))
    buffer = io.BytesIO()
    uri = totp.provisioning_uri(request.user, state.totp_secret)
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@rule("security.account")
@require_POST
def recovery_renew(request):
    try:
        codes = totp.recovery_codes_renew(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("security:account")
    return render(request, "security/recovery_codes.html", {"codes": codes})
