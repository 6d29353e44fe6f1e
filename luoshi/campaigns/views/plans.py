"""督查计划: the list (and a new plan), a plan's page with its items, adding items, 印发."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import campaigns as access
from luoshi.access.views import rule
from luoshi.campaigns.forms import PlanForm, PlanIssueForm, PlanItemForm
from luoshi.campaigns.services import plans as services
from luoshi.lib import clock
from luoshi.lib.forms import add_service_errors


@rule("campaign.plans")
@require_http_methods(["GET", "POST"])
def plan_list(request):
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not access.is_office(request.user):
            raise PermissionDenied(_("只有督查室人员可以编制督查计划。"))
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已新建督查计划。"))
                return redirect("campaigns:plan", plan.pk)
    else:
        form.initial = {"year": clock.today().year}
    plans = access.visible_plans(request.user).prefetch_related("items")
    return render(
        request,
        "campaigns/plan_list.html",
        {"plans": plans, "form": form, "may_manage": access.is_office(request.user)},
        status=400 if request.method == "POST" else 200,
    )


def _plan_page(request, plan, *, item_form=None, issue_form=None, status=200):
    office = access.is_office(request.user)
    return render(
        request,
        "campaigns/plan_detail.html",
        {
            "plan": plan,
            "items": plan.items.prefetch_related("subject_units", "inspections"),
            "may_edit": office and plan.is_draft,
            "may_create": office and not plan.is_draft,
            "item_form": item_form or PlanItemForm(),
            "issue_form": issue_form or PlanIssueForm(initial={"doc_number": plan.doc_number}),
        },
        status=status,
    )


@rule("campaign.plans")
@require_safe
def plan_detail(request, pk: int):
    plan = access.get_plan_for_user(request.user, pk)
    return _plan_page(request, plan)


@rule("campaign.manage")
@require_POST
def plan_item_add(request, pk: int):
    plan = access.get_plan_for_user(request.user, pk, manage=True)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        try:
            services.plan_item_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已增加计划事项。"))
            return redirect("campaigns:plan", plan.pk)
    return _plan_page(request, plan, item_form=form, status=400)


@rule("campaign.manage")
@require_POST
def plan_issue(request, pk: int):
    plan = access.get_plan_for_user(request.user, pk, manage=True)
    form = PlanIssueForm(request.POST)
    if form.is_valid():
        try:
            services.plan_issue(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("督查计划已印发。"))
            return redirect("campaigns:plan", plan.pk)
    return _plan_page(request, plan, issue_form=form, status=400)
