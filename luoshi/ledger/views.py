"""导入台账 (upload → preview with mapping and unit choices → confirm) and 导出台账."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.access.views import rule
from luoshi.audit.services import audit_log
from luoshi.ledger import services
from luoshi.ledger.export import export_filename, ledger_workbook
from luoshi.ledger.forms import PreviewForm, UploadForm
from luoshi.lib import clock
from luoshi.lib.forms import add_service_errors
from luoshi.tasks import queries
from luoshi.tasks.views.ledger_form import LedgerFilterForm

PREVIEW_ROWS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@rule("ledger.import")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            imp = services.ledger_import_start(
                actor=request.user,
                upload=data["file"],
                name=data["file"].name,
                source=data.get("source"),
                new_source_title=data.get("new_source_title", ""),
                year=data["year"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field="file")
        else:
            return redirect("ledger:preview", pk=imp.pk)
    return render(request, "ledger/upload.html", {"form": form})


def _preview_context(request, imp, form=None):
    sheet, plan = services.ledger_import_plan(imp)
    mapping = services.import_mapping(imp)
    names = list(dict.fromkeys([*plan.unmatched, *(imp.resolutions or {}).keys()]))
    if form is None:
        form = PreviewForm(
            labels=sheet.labels,
            mapping=mapping,
            unmatched=names,
            resolutions=imp.resolutions or {},
        )
    rows = plan.rows
    hidden = 0
    if len(rows) > PREVIEW_ROWS:
        # a long ledger: every row with something to say, then the first rows up to the limit
        notable = [r for r in rows if not r.ok or r.warnings or r.changes or r.submit_progress]
        keep = {r.index for r in notable[:PREVIEW_ROWS]}
        for r in rows:
            if len(keep) >= PREVIEW_ROWS:
                break
            keep.add(r.index)
        rows = [r for r in rows if r.index in keep]
        hidden = len(plan.rows) - len(rows)
    return {
        "imp": imp,
        "sheet": sheet,
        "plan": plan,
        "rows": rows,
        "hidden": hidden,
        "form": form,
        "counts": plan.counts,
    }


@rule("ledger.import")
@require_GET
def import_preview(request, pk: int):
    imp = services.ledger_import_get(request.user, pk)
    return render(request, "ledger/preview.html", _preview_context(request, imp))


@rule("ledger.import")
@require_POST
def import_update(request, pk: int):
    imp = services.ledger_import_get(request.user, pk)
    sheet, plan = services.ledger_import_plan(imp)
    names = list(dict.fromkeys([*plan.unmatched, *(imp.resolutions or {}).keys()]))
    form = PreviewForm(
        request.POST,
        labels=sheet.labels,
        mapping=services.import_mapping(imp),
        unmatched=names,
        resolutions=imp.resolutions or {},
    )
    if form.is_valid():
        try:
            services.ledger_import_update(
                actor=request.user,
                imp=imp,
                mapping=form.mapping(),
                resolutions=form.resolutions(),
                new_source_title=request.POST.get("new_source_title"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("ledger:preview", pk=imp.pk)
    return render(request, "ledger/preview.html", _preview_context(request, imp, form), status=400)


@rule("ledger.import")
@require_POST
def import_confirm(request, pk: int):
    imp = services.ledger_import_get(request.user, pk)
    try:
        result = services.ledger_import_confirm(actor=request.user, imp=imp)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("ledger:preview", pk=imp.pk)
    if result.get("unchanged"):
        messages.info(request, _("无变化：台账与系统中的任务一致，没有新建或修改任何内容。"))
    else:
        messages.success(
            request,
            _(
                "台账已导入：新建 %(created)d 项任务，修改 %(changed)d 项，"
                "提交进展 %(progress)d 项。"
            )
            % result,
        )
    imp.refresh_from_db()
    if imp.source_id and result.get("created"):
        return redirect(f"{reverse('tasks:list')}?source={imp.source_id}")
    return redirect("ledger:preview", pk=imp.pk)


@rule("ledger.export")
@require_GET
def export(request):
    choices = queries.ledger_choices(request.user)
    form = LedgerFilterForm(request.GET, user=request.user, choices=choices)
    ledger_filter = form.to_filter()
    today = clock.today()
    tasks = list(queries.ledger_tasks(request.user, ledger_filter, today=today))
    title = ledger_filter.source.title if ledger_filter.source else _("任务台账")
    data = ledger_workbook(user=request.user, tasks=tasks, title=title)
    audit_log(
        actor=request.user,
        action="ledger.export",
        data={"rows": len(tasks), "filter": request.GET.urlencode()[:500]},
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = _content_disposition(export_filename(today))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{quote(filename)}"
