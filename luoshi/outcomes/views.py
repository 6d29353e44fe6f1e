"""表彰与问责 pages: the list (filters, Excel export), recording (from the list for a unit, or
from a task's page), a record's page with 撤销 and 更正.

Thin views: the object if the user may read it (else 404), the form, the service (which
checks the permission itself: PermissionDenied → 403), then a redirect with a message.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import object_rule, rule
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.lib.forms import add_service_errors
from luoshi.outcomes import queries, services
from luoshi.outcomes.forms import OutcomeForm, RevokeForm
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@rule("outcome.list")
@require_safe
def outcome_list(request):
    f = queries.OutcomeFilter.from_query(request.GET)
    page = Paginator(queries.outcome_rows(request.user, f), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outcomes/list.html",
        {
            "page": page,
            "f": f,
            "kinds": OutcomeKind.choices,
            "units": queries.filter_units(request.user),
            "query": request.GET.urlencode(),
            "may_record": policy.allowed(request.user, "outcome.manage"),
        },
    )


@rule("outcome.list")
@require_safe
def outcome_export(request):
    f = queries.OutcomeFilter.from_query(request.GET)
    records = list(queries.outcome_rows(request.user, f))
    data = queries.outcomes_workbook(records, user=request.user)
    audit_log(
        actor=request.user,
        action="outcome.export",
        data={"rows": len(records), "filter": request.GET.urlencode()[:500]},
    )
    name = _("表彰与问责记录 %(date)s.xlsx") % {"date": clock.today().isoformat()}
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"outcomes.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _record_form(request, *, task=None, record=None):
    """Record (or correct `record`) through the form; on success, go to the record."""
    user = request.user
    initial = {"recorded_on": clock.today()}
    if record is not None:
        initial = {
            "kind": record.kind,
            "unit": record.unit_id,
            "cadre": record.cadre_id,
            "recorded_on": record.recorded_on,
            "doc_number": record.doc_number,
            "text": record.text,
            "talk_record": record.talk_record_id,
        }
    elif request.GET.get("kind") in OutcomeKind.values:
        initial["kind"] = request.GET["kind"]
    data = request.POST if request.method == "POST" else None
    form = OutcomeForm(data, user=user, task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                saved = services.outcome_record(actor=user, **form.service_args())
                message = _("已记录%(kind)s。") % {"kind": saved.get_kind_display()}
            else:
                saved = services.outcome_correct(actor=user, record=record, **form.service_args())
                message = _("已更正，原记录保留并标注为已更正。")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("outcomes:detail", pk=saved.pk)
    return render(
        request,
        "outcomes/form.html",
        {"form": form, "task": task, "record": record},
    )


@rule("outcome.manage")
@require_http_methods(["GET", "POST"])
def outcome_new(request):
    """The office records an outcome about a unit (not on one task)."""
    return _record_form(request)


@object_rule("task.view")
@require_http_methods(["GET", "POST"])
def outcome_new_for_task(request, pk: int):
    """From a task's page: the office, any kind; a leader who sees the task, 领导表扬."""
    task = policy.get_task_for_user(request.user, pk)
    kind = OutcomeKind.LEADER_COMMENDATION if request.user.role == "leader" else ""
    if not policy.may_record_outcome(request.user, kind, None, task):
        raise PermissionDenied(policy.denial_message("outcome.manage"))
    return _record_form(request, task=task)


def _detail(request, record: OutcomeRecord, revoke_form=None, status=200):
    return render(
        request,
        "outcomes/detail.html",
        {
            "record": record,
            "may_change": policy.may_change_outcome(request.user, record),
            "revoke_form": revoke_form or RevokeForm(),
            "supersedes": OutcomeRecord.objects.filter(superseded_by=record).first(),
            "status_text": queries.status_text(record),
        },
        status=status,
    )


@rule("outcome.list")
@require_safe
def outcome_detail(request, pk: int):
    return _detail(request, policy.get_outcome_for_user(request.user, pk))


@rule("outcome.list")
@require_POST
def outcome_revoke(request, pk: int):
    record = policy.get_outcome_for_user(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_revoke(
                actor=request.user, record=record, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("记录已撤销，不再计入考核和通报。"))
            return redirect("outcomes:detail", pk=record.pk)
    elif not policy.may_change_outcome(request.user, record):
        raise PermissionDenied(policy.outcome_denial(request.user, record))
    return _detail(request, record, revoke_form=form)


@rule("outcome.list")
@require_http_methods(["GET", "POST"])
def outcome_correct(request, pk: int):
    record = policy.get_outcome_for_user(request.user, pk)
    if not policy.may_change_outcome(request.user, record):
        raise PermissionDenied(policy.outcome_denial(request.user, record))
    return _record_form(request, task=record.task, record=record)
