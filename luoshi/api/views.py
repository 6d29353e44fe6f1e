"""接口令牌 (a user's API tokens) and 推送订阅 (the system administrator's webhooks)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.access import policy
from luoshi.access.views import rule
from luoshi.api.forms import TokenForm, WebhookForm
from luoshi.api.models import OutgoingWebhook, WebhookDeliveryStatus
from luoshi.api.tokens import token_create, tokens_for_user
from luoshi.api.tokens import token_revoke as revoke
from luoshi.api.webhooks import webhook_save
from luoshi.lib.forms import add_service_errors


@rule("api.tokens")
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The user's tokens (the system administrator: everyone's); a new one is shown once."""
    may_create = policy.allowed(request.user, "api.use")
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST":
        policy.require(request.user, "api.use")
        if form.is_valid():
            try:
                _row, new_token = token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    expires_on=form.cleaned_data["expires_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                form = TokenForm()
    tokens = tokens_for_user(request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "may_create": may_create},
    )


@rule("api.tokens")
@require_POST
def token_revoke(request, pk: int):
    token = tokens_for_user(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("令牌不存在。"))
    try:
        revoke(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("令牌“%(name)s”已吊销。") % {"name": token.name})
    return redirect("api:token_list")


@rule("api.webhooks")
def webhook_list(request):
    hooks = OutgoingWebhook.objects.annotate(
        sent=Count("deliveries", filter=Q(deliveries__status=WebhookDeliveryStatus.SENT)),
        waiting=Count("deliveries", filter=Q(deliveries__status=WebhookDeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=WebhookDeliveryStatus.FAILED)),
    )
    return render(request, "api/webhooks.html", {"hooks": hooks})


@rule("api.webhooks")
@require_http_methods(["GET", "POST"])
def webhook_edit(request, pk: int | None = None):
    hook = OutgoingWebhook.objects.filter(pk=pk).first() if pk else None
    if pk and hook is None:
        raise Http404(_("推送订阅不存在。"))
    initial = {}
    if hook is not None:
        initial = {"name": hook.name, "url": hook.url, "events": hook.events, "active": hook.active}
    form = WebhookForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = webhook_save(actor=request.user, webhook=hook, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if hook is None:
                messages.success(
                    request,
                    _("推送订阅已创建。签名密钥：%(secret)s（请转交接收方保存）")
                    % {"secret": saved.secret},
                )
            else:
                messages.success(request, _("推送订阅已保存。"))
            return redirect("api:webhook_list")
    return render(request, "api/webhook_form.html", {"form": form, "hook": hook})
