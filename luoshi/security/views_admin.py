"""The 安全管理员's pages: overview, the policy, locks, second-factor resets, role grants."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.access.views import rule
from luoshi.audit.models import AuditEvent
from luoshi.lib.forms import add_service_errors
from luoshi.org.models import Role, User
from luoshi.security.forms import GrantForm, PolicyForm, UnlockForm
from luoshi.security.services import lockout, roles, totp
from luoshi.security.services.policy import policy_update, security_policy

RECENT_EVENTS = 20


def _without_second_factor():
    """Active accounts that must use a second factor and have none."""
    enrolled = Q(security__totp_confirmed_at__isnull=False) & ~Q(security__totp_secret="")
    users = User.objects.filter(is_active=True).exclude(enrolled)
    if not security_policy().totp_for_all:
        users = users.filter(role__in=totp.ALWAYS_TOTP_ROLES)
    return users.order_by("role", "username")


@rule("security.manage")
@require_GET
def overview(request):
    events = AuditEvent.objects.filter(
        Q(action__startswith="security.") | Q(action__startswith="auth.")
    ).order_by("-id")[:RECENT_EVENTS]
    return render(
        request,
        "security/overview.html",
        {
            "policy": security_policy(),
            "locks": lockout.locked_accounts(),
            "no_factor": _without_second_factor(),
            "events": events,
        },
    )


@rule("security.manage")
@require_http_methods(["GET", "POST"])
def policy(request):
    form = PolicyForm(request.POST or None, instance=security_policy())
    if request.method == "POST" and form.is_valid():
        try:
            policy_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("安全策略已保存。"))
            return redirect("security:overview")
    return render(request, "security/policy.html", {"form": form})


@rule("security.manage")
@require_POST
def unlock(request):
    form = UnlockForm(request.POST)
    if form.is_valid():
        lockout.lock_release(actor=request.user, **form.cleaned_data)
        messages.success(request, _("已解锁：%(key)s") % {"key": form.cleaned_data["key"]})
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("security:overview")


@rule("security.manage")
@require_GET
def user_list(request):
    users = User.objects.select_related("unit", "scope_unit", "security").order_by(
        "role", "username"
    )
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "security/user_list.html",
        {"page": page, "q": q, "role": role, "roles": Role.choices},
    )


@rule("security.manage")
@require_http_methods(["GET", "POST"])
def grant(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    initial = {
        "role": account.role,
        "scope_unit": account.scope_unit,
        "is_active": account.is_active,
    }
    form = GrantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            roles.role_grant(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("角色与启用状态已保存。"))
            return redirect("security:users")
    return render(request, "security/grant.html", {"form": form, "account": account})


@rule("security.manage")
@require_POST
def totp_reset(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    try:
        totp.totp_reset(actor=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("已重置 %(name)s 的动态口令。") % {"name": account.display_name}
        )
    return redirect("security:grant", pk=account.pk)
