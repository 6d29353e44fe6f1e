"""消息: the inbox and preferences (every user, their own), and for the system administrator
the deliveries that failed and the group robots."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from luoshi.access.views import rule
from luoshi.lib.forms import add_service_errors
from luoshi.notifications import services
from luoshi.notifications.forms import PreferenceForm, WebhookForm
from luoshi.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    WebhookEndpoint,
)
from luoshi.notifications.texts import note_path

PAGE_SIZE = 30


def _back(request, default: str):
    """Where a form posted from a list page returns to (only a path on this site)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# --- the inbox ---------------------------------------------------------------------------------


@rule("inbox.view")
@require_safe
def inbox(request):
    only_unread = request.GET.get("filter") == "unread"
    notes = Notification.objects.filter(recipient=request.user).select_related("task")
    if only_unread:
        notes = notes.filter(read_at__isnull=True)
    notes = notes.annotate(
        unread=Case(
            When(read_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-unread", "-created_at", "-id")
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread": services.unread_count(request.user),
        },
    )


@rule("inbox.view")
@require_GET
def open_notification(request, pk: int):
    """Open what a notification is about (its task), marking it read on the way."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, ids=[note.pk])
    path = note_path(note)
    if path and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return redirect(path)
    return redirect("notifications:inbox")


@rule("inbox.view")
@require_POST
def mark_read(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, ids=[note.pk])
    if request.htmx:
        note.refresh_from_db()
        note.unread = 0
        return render(
            request,
            "notifications/_row.html",
            {"note": note, "oob_badge": True, "unread": services.unread_count(request.user)},
        )
    return _back(request, "notifications:inbox")


@rule("inbox.view")
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    return _back(request, "notifications:inbox")


@rule("inbox.view")
@require_safe
def badge(request):
    """The unread count in the top bar, for htmx to refresh."""
    return render(
        request, "notifications/_badge.html", {"unread": services.unread_count(request.user)}
    )


@rule("inbox.view")
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    current = services.preferences_for([user.pk])[user.pk]
    initial = {"email": current.email, "sms": current.sms, "mode": current.mode}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_save(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "account": user})


# --- the system administrator's pages ---------------------------------------------------------

PROBLEMS = (DeliveryStatus.FAILED, DeliveryStatus.DEAD)


@rule("notify.manage")
@require_safe
def delivery_list(request):
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    rows = Delivery.objects.select_related("user", "endpoint").order_by("-created_at", "-id")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    elif status != "all":
        status = ""
        rows = rows.filter(status__in=PROBLEMS)
    if channel in Channel.values:
        rows = rows.filter(channel=channel)
    else:
        channel = ""
    counts = dict(
        Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page": page,
            "status": status,
            "channel": channel,
            "statuses": DeliveryStatus.choices,
            "channels": Channel.choices,
            "counts": [(v, label, counts.get(v, 0)) for v, label in DeliveryStatus.choices],
            "retryable": PROBLEMS,
        },
    )


@rule("notify.manage")
@require_POST
def delivery_retry(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已重新排队，稍后由后台发送。"))
    return _back(request, "notifications:deliveries")


@rule("notify.manage")
@require_safe
def webhook_list(request):
    endpoints = WebhookEndpoint.objects.select_related("unit").annotate(
        problems=Count("deliveries", filter=Q(deliveries__status__in=PROBLEMS))
    )
    return render(request, "notifications/webhooks.html", {"endpoints": endpoints})


@rule("notify.manage")
@require_http_methods(["GET", "POST"])
def webhook_edit(request, pk: int | None = None):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk) if pk else None
    if endpoint:
        initial = {
            "name": endpoint.name,
            "platform": endpoint.platform,
            "url": endpoint.url,
            "unit": endpoint.unit,
            "mode": endpoint.mode,
            "enabled": endpoint.enabled,
        }
    else:
        initial = {"mode": "immediate", "enabled": True}
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_endpoint_save(
                actor=request.user, endpoint=endpoint, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("群机器人已保存。"))
            return redirect("notifications:webhooks")
    return render(request, "notifications/webhook_form.html", {"form": form, "endpoint": endpoint})


@rule("notify.manage")
@require_POST
def webhook_test(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    services.webhook_endpoint_test(actor=request.user, endpoint=endpoint)
    messages.success(
        request,
        _("测试消息已排队，稍后由后台发送；结果见“推送记录”。"),
    )
    return redirect("notifications:webhooks")
