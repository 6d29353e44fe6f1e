"""Units and accounts, for the system administrator (系统管理员)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luoshi.access.views import rule
from luoshi.lib.forms import add_service_errors
from luoshi.org import services
from luoshi.org.forms import NewUserForm, PasswordForm, UnitForm, UserForm
from luoshi.org.models import Role, Unit, User


@rule("org.manage")
def unit_list(request):
    units = Unit.objects.annotate(user_count=Count("users")).order_by("path")
    return render(request, "org/unit_list.html", {"units": units})


@rule("org.manage")
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int | None = None):
    unit = get_object_or_404(Unit, pk=pk) if pk else None
    initial = {f: getattr(unit, f) for f in services.UNIT_FIELDS} if unit else {"is_active": True}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
                unit = services.unit_create(actor=request.user, **data)
            else:
                services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("单位已保存。"))
            return redirect("org:units")
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@rule("org.manage")
def user_list(request):
    users = User.objects.select_related("unit").order_by("unit__path", "role", "username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(unit__name__icontains=q)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/user_list.html",
        {"page": page, "q": q, "role": role, "roles": Role.choices},
    )


@rule("org.manage")
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int | None = None):
    user = get_object_or_404(User, pk=pk) if pk else None
    form_class = UserForm if user else NewUserForm
    initial = {f: getattr(user, f) for f in services.USER_FIELDS} if user else {"is_active": True}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if user is None:
                user = services.user_create(
                    actor=request.user,
                    username=data.pop("username"),
                    password=data.pop("password"),
                    **data,
                )
            else:
                services.user_update(actor=request.user, user=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("账号已保存。"))
            return redirect("org:users")
    return render(request, "org/user_form.html", {"form": form, "account": user})


@rule("org.manage")
@require_http_methods(["GET", "POST"])
def user_password(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=user, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field="password")
        else:
            messages.success(request, _("密码已重置。"))
            return redirect("org:users")
    return render(request, "org/password_form.html", {"form": form, "account": user})
