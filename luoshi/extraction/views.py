"""从文件生成任务: upload a document → preview of the tasks found → confirm creates them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.access.views import rule
from luoshi.extraction import services
from luoshi.extraction.forms import PreviewForm, UploadForm
from luoshi.lib.forms import add_service_errors
from luoshi.lib.i18n import join_list


@rule("extraction.run")
@require_http_methods(["GET", "POST"])
def upload(request):
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            ext = services.extraction_start(
                actor=request.user,
                upload=data["file"],
                name=data["file"].name,
                source=data.get("source"),
                new_source_title=data.get("new_source_title", ""),
                year=data.get("year"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field="file")
        else:
            return redirect("extraction:preview", pk=ext.pk)
    return render(request, "extraction/upload.html", {"form": form}, status=400 if posted else 200)


def _preview_form(ext, plan, data=None) -> PreviewForm:
    names = list(dict.fromkeys([*plan.unmatched, *(ext.resolutions or {}).keys()]))
    return PreviewForm(
        data,
        found=ext.found,
        excluded=ext.excluded or [],
        unmatched=names,
        resolutions=ext.resolutions or {},
        initial={"year": ext.year, "new_source_title": ext.new_source_title},
    )


def _context(ext, plan, form) -> dict:
    excluded = set(ext.excluded or [])
    if form.is_bound and form.is_valid():
        excluded = set(form.excluded())
    found_rows = [
        {
            "index": i,
            "kept": i not in excluded,
            "path": task["path"],
            "title": task["title"],
            "lead_units": join_list(task["lead_units"]),
            "co_units": join_list(task["co_units"]),
            "due_text": task["due_text"],
        }
        for i, task in enumerate(ext.found)
    ]
    kept = len(ext.found) - len(ext.excluded or [])
    return {"ext": ext, "plan": plan, "form": form, "kept": kept, "found_rows": found_rows}


@rule("extraction.run")
@require_GET
def preview(request, pk: int):
    ext = services.extraction_get(request.user, pk)
    plan = services.extraction_plan(ext)
    return render(request, "extraction/preview.html", _context(ext, plan, _preview_form(ext, plan)))


@rule("extraction.run")
@require_POST
def update(request, pk: int):
    ext = services.extraction_get(request.user, pk)
    plan = services.extraction_plan(ext)
    form = _preview_form(ext, plan, request.POST)
    if form.is_valid():
        try:
            services.extraction_update(
                actor=request.user,
                ext=ext,
                resolutions=form.resolutions(),
                excluded=form.excluded(),
                year=form.cleaned_data["year"],
                new_source_title=form.cleaned_data.get("new_source_title"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("extraction:preview", pk=ext.pk)
    ext.refresh_from_db()
    return render(request, "extraction/preview.html", _context(ext, plan, form), status=400)


@rule("extraction.run")
@require_POST
def confirm(request, pk: int):
    ext = services.extraction_get(request.user, pk)
    try:
        result = services.extraction_confirm(actor=request.user, ext=ext)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("extraction:preview", pk=ext.pk)
    created = result.get("created", 0)
    messages.success(
        request,
        ngettext(
            "已从文件生成 %(n)d 项任务（起草状态），请核对后交办。",
            "已从文件生成 %(n)d 项任务（起草状态），请核对后交办。",
            created,
        )
        % {"n": created},
    )
    ext.refresh_from_db()
    return redirect(reverse("tasks:source_detail", args=[ext.source_id]))
