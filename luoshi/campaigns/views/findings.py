"""A finding's page: the finding, the unit's statements (陈述申辩) with the office's answers,
the statement form (the unit, in time), the answer forms and the rectification form (office)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.access import campaigns as access
from luoshi.access.views import rule
from luoshi.campaigns.forms import AnswerForm, RectificationForm, StatementForm
from luoshi.campaigns.models import Rectification
from luoshi.campaigns.services.findings import statement_answer, statement_open, statement_submit
from luoshi.campaigns.services.rectifications import RECTIFYING_STATES, rectification_create
from luoshi.lib import clock
from luoshi.lib.forms import add_service_errors


def _page(request, finding, *, status=200, statement_form=None, answer_forms=None, rect_form=None):
    user = request.user
    office = access.is_office(user)
    inspection = finding.inspection
    rectification = Rectification.objects.filter(finding=finding).select_related("task").first()
    statements = list(finding.statements.select_related("submitted_by", "answered_by"))
    answer_forms = answer_forms or {}
    may_state = (
        access.is_unit_side(user) and user.unit_id == finding.unit_id and statement_open(finding)
    )
    return render(
        request,
        "campaigns/finding_detail.html",
        {
            "finding": finding,
            "inspection": inspection,
            "statements": [
                (s, answer_forms.get(s.pk) or AnswerForm(prefix=f"s{s.pk}")) for s in statements
            ],
            "office": office,
            # a refused statement (late) is shown again with its reason
            "may_state": may_state or bool(statement_form is not None and statement_form.errors),
            "may_answer": office and inspection.state == "active",
            "statement_form": statement_form or StatementForm(),
            "rectification": rectification,
            "may_rectify": office
            and rectification is None
            and inspection.state in RECTIFYING_STATES,
            "rect_form": rect_form or RectificationForm(finding=finding),
            "today": clock.today(),
        },
        status=status,
    )


@rule("campaign.view")
@require_safe
def finding_detail(request, pk: int):
    finding = access.get_finding_for_user(request.user, pk)
    return _page(request, finding)


@rule("campaign.unit")
@require_POST
def statement_create(request, pk: int):
    finding = access.get_finding_for_user(request.user, pk)
    access.require_statement_author(request.user, finding)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            statement_submit(actor=request.user, finding=finding, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, "text")
        else:
            messages.success(request, _("陈述申辩已提交。"))
            return redirect("campaigns:finding", finding.pk)
    return _page(request, finding, status=400, statement_form=form)


@rule("campaign.manage")
@require_POST
def statement_reply(request, pk: int):
    statement = access.get_statement_for_user(request.user, pk, answer=True)
    finding = statement.finding
    form = AnswerForm(request.POST, prefix=f"s{statement.pk}")
    if form.is_valid():
        try:
            statement_answer(
                actor=request.user,
                statement=statement,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["answer_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已答复陈述申辩。"))
            return redirect("campaigns:finding", finding.pk)
    return _page(request, finding, status=400, answer_forms={statement.pk: form})


@rule("campaign.manage")
@require_POST
def rectification_add(request, pk: int):
    finding = access.get_finding_for_user(request.user, pk)
    access.get_inspection_for_user(request.user, finding.inspection_id, "manage")
    form = RectificationForm(request.POST, finding=finding)
    if form.is_valid():
        try:
            rect = rectification_create(actor=request.user, finding=finding, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("已交办整改事项，任务编号 %(code)s。") % {"code": rect.task.code}
            )
            return redirect("campaigns:finding", finding.pk)
    return _page(request, finding, status=400, rect_form=form)
