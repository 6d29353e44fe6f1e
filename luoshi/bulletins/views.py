"""督查通报 pages: the list of bulletins, 生成通报 (period, a preview of the figures, generate),
one bulletin (its figures as generated, download, 印发) and its .docx.

The office generates and issues; leaders read and download (access.policy: bulletin.generate,
bulletin.view). Every bulletin is a document for the whole office, so whoever may read
bulletins reads each of them; its figures cover the tasks its author saw."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import rule
from luoshi.bulletins import services
from luoshi.bulletins.forms import BulletinForm
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.texts import labelled
from luoshi.lib.downloads import uploaded_file_response
from luoshi.lib.forms import add_service_errors


@rule("bulletin.view")
@require_safe
def bulletin_list(request):
    qs = Bulletin.objects.select_related("generated_by", "scope_unit").order_by(
        "-generated_at", "-id"
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "bulletins/bulletin_list.html",
        {"page": page, "can_generate": policy.allowed(request.user, "bulletin.generate")},
    )


@rule("bulletin.generate")
@require_http_methods(["GET", "POST"])
def bulletin_new(request):
    """GET: the form; with ?preview the figures the bulletin would hold now. POST: generate."""
    preview = None
    if request.method == "POST":
        form = BulletinForm(request.POST)
    elif "preview" in request.GET:
        form = BulletinForm(request.GET)
    else:
        form = BulletinForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            if request.method == "POST":
                bulletin = services.bulletin_generate(
                    actor=request.user,
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    title=data["title"],
                )
            else:
                preview = labelled(
                    services.bulletin_preview(
                        actor=request.user, date_from=data["date_from"], date_to=data["date_to"]
                    )
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.method == "POST":
                messages.success(request, _("通报草稿已生成，请核对后下载或印发。"))
                return redirect("bulletins:detail", bulletin.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "bulletins/bulletin_new.html", {"form": form, "preview": preview}, status=status
    )


def _bulletin(pk: int) -> Bulletin:
    return get_object_or_404(
        Bulletin.objects.select_related("generated_by", "issued_by", "scope_unit"), pk=pk
    )


@rule("bulletin.view")
@require_safe
def bulletin_detail(request, pk: int):
    bulletin = _bulletin(pk)
    return render(
        request,
        "bulletins/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "stats": labelled(bulletin.statistics),
            "can_issue": not bulletin.is_issued
            and policy.allowed(request.user, "bulletin.generate"),
        },
    )


@rule("bulletin.view")
@require_safe
def bulletin_download(request, pk: int):
    """The .docx, audited, watermarked with the reader and the time."""
    return uploaded_file_response(
        _bulletin(pk), actor=request.user, action="bulletin.download", watermark=True
    )


@rule("bulletin.generate")
@require_POST
def bulletin_issue(request, pk: int):
    bulletin = _bulletin(pk)
    try:
        bulletin = services.bulletin_issue(actor=request.user, bulletin=bulletin)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(number)s 已印发。") % {"number": bulletin.number})
    url = reverse("bulletins:detail", args=[bulletin.pk])
    if request.headers.get("HX-Request"):  # the button asks to confirm through htmx
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
