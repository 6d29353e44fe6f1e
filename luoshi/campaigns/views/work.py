"""The inspection's work: 督查记录 (and their files), 发现问题, 报告 (preview, issue,
download), 结果运用."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.access import campaigns as access
from luoshi.access.views import rule
from luoshi.audit.services import audit_log
from luoshi.campaigns.forms import FindingForm, OutcomeForm, RecordForm, ReportForm
from luoshi.campaigns.report_docx import report_docx
from luoshi.campaigns.services.findings import finding_add
from luoshi.campaigns.services.records import record_add
from luoshi.campaigns.services.reporting import report_issue
from luoshi.campaigns.services.results import inspection_outcome_record
from luoshi.campaigns.views.common import back_to
from luoshi.campaigns.views.inspections import detail_page
from luoshi.lib import clock
from luoshi.lib.downloads import uploaded_file_response
from luoshi.lib.forms import add_service_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@rule("campaign.list")
@require_POST
def record_create(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "record")
    form = RecordForm(request.POST, request.FILES, inspection=inspection)
    if form.is_valid():
        try:
            record_add(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("督查记录已保存。"))
            return redirect(back_to(pk, "records"))
    return detail_page(request, inspection, "records", status=400, record_form=form)


@rule("campaign.view")
@require_safe
def record_file(request, pk: int):
    item = access.get_record_file_for_user(request.user, pk)
    return uploaded_file_response(item, actor=request.user, action="campaigns.record_file_download")


@rule("campaign.manage")
@require_POST
def finding_create(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    form = FindingForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            finding_add(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录发现的问题，并通知被督查单位。"))
            return redirect(back_to(pk, "findings"))
    return detail_page(request, inspection, "findings", status=400, finding_form=form)


@rule("campaign.manage")
@require_safe
def report_preview(request, pk: int):
    """The report as it would be issued today, marked 草稿 and without a number."""
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    content = report_docx(inspection=inspection, number="", summary="", dated=clock.today())
    audit_log(actor=request.user, action="campaigns.report_preview", obj=inspection)
    response = HttpResponse(content, content_type=DOCX)
    name = f"{inspection.code}-draft.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@rule("campaign.manage")
@require_POST
def report_create(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report = report_issue(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("督查报告已印发：%(n)s。") % {"n": report.number})
            return redirect(back_to(pk, "report"))
    return detail_page(request, inspection, "report", status=400, report_form=form)


@rule("campaign.view")
@require_safe
def report_download(request, pk: int):
    _inspection, report = access.get_report_for_user(request.user, pk)
    return uploaded_file_response(report, actor=request.user, action="campaigns.report_download")


@rule("campaign.manage")
@require_POST
def outcome_create(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    form = OutcomeForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            inspection_outcome_record(
                actor=request.user, inspection=inspection, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("结果运用已记录。"))
            return redirect(back_to(pk, "results"))
    return detail_page(request, inspection, "results", status=400, outcome_form=form)
