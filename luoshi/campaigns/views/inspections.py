"""督查活动: the list with filters, the scheme form (new / edit), the detail page with its
tabs, and the life-cycle buttons (实施, 发送通知, 完结)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import campaigns as access
from luoshi.access.views import rule
from luoshi.campaigns.forms import (
    FindingForm,
    InspectionForm,
    OutcomeForm,
    RecordForm,
    ReportForm,
)
from luoshi.campaigns.models import InspectionState, NoticeWay, PlanItem, PlanState
from luoshi.campaigns.queries import detail_context
from luoshi.campaigns.services import inspections as services
from luoshi.campaigns.services.notices import notices_send
from luoshi.campaigns.views.common import back_to, refuse
from luoshi.lib import clock
from luoshi.lib.forms import add_service_errors
from luoshi.org.models import Unit

TABS = ("scheme", "notices", "records", "findings", "report", "rectifications", "results")
UNIT_TABS = ("notices", "findings", "rectifications")


@rule("campaign.list")
@require_safe
def inspection_list(request):
    qs = access.visible_inspections(request.user).select_related("team_leader")
    year, state, unit = (
        request.GET.get("year", ""),
        request.GET.get("state", ""),
        request.GET.get("unit", ""),
    )
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if state in InspectionState.values:
        qs = qs.filter(state=state)
    if unit.isdigit():
        qs = qs.filter(subject_units__pk=int(unit))
    qs = qs.prefetch_related("subject_units").order_by("-start_date", "-pk").distinct()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    years = sorted(
        set(access.visible_inspections(request.user).values_list("year", flat=True)), reverse=True
    )
    return render(
        request,
        "campaigns/inspection_list.html",
        {
            "page": page,
            "years": years,
            "states": InspectionState.choices,
            "units": Unit.objects.filter(is_active=True).order_by("path"),
            "year": year,
            "state": state,
            "unit": unit,
            "may_create": access.is_office(request.user),
        },
    )


def _scheme_initial(request) -> dict:
    pk = request.GET.get("item", "")
    item = (
        PlanItem.objects.filter(pk=int(pk), plan__state=PlanState.ISSUED).first()
        if pk.isdigit()
        else None
    )
    if item is None:
        return {"team_leader": request.user.pk}
    return {
        "plan_item": item.pk,
        "title": item.topic,
        "kind": item.kind,
        "subject_units": list(item.subject_units.values_list("pk", flat=True)),
        "team_leader": request.user.pk,
    }


@rule("campaign.manage")
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    if request.method == "POST":
        form = InspectionForm(request.POST)
        if form.is_valid():
            try:
                inspection = services.inspection_create(actor=request.user, **form.scheme())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("已拟定督查方案 %(code)s。") % {"code": inspection.code}
                )
                return redirect("campaigns:detail", inspection.pk)
        return render(request, "campaigns/inspection_form.html", {"form": form}, status=400)
    form = InspectionForm(initial=_scheme_initial(request))
    return render(request, "campaigns/inspection_form.html", {"form": form})


@rule("campaign.manage")
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    if request.method == "POST":
        form = InspectionForm(request.POST)
        if form.is_valid():
            data = form.scheme()
            data.pop("plan_item")
            try:
                services.inspection_update(actor=request.user, inspection=inspection, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("督查方案已保存。"))
                return redirect("campaigns:detail", inspection.pk)
        ctx = {"form": form, "inspection": inspection}
        return render(request, "campaigns/inspection_form.html", ctx, status=400)
    form = InspectionForm(
        initial={
            "plan_item": inspection.plan_item_id,
            "title": inspection.title,
            "kind": inspection.kind,
            "scope": inspection.scope,
            "subject_units": list(inspection.subject_units.values_list("pk", flat=True)),
            "methods": inspection.methods,
            "team_leader": inspection.team_leader_id,
            "team_members": list(inspection.team_members.values_list("pk", flat=True)),
            "start_date": inspection.start_date,
            "end_date": inspection.end_date,
            "notice_days_ahead": inspection.notice_days_ahead,
            "statement_days": inspection.statement_days,
            "unannounced": inspection.unannounced,
            "materials": inspection.materials,
        }
    )
    form.fields["plan_item"].disabled = True
    return render(
        request, "campaigns/inspection_form.html", {"form": form, "inspection": inspection}
    )


def detail_page(request, inspection, tab: str, *, status: int = 200, **forms):
    user = request.user
    office = access.is_office(user)
    everything = access.sees_everything(user, inspection)
    tabs = TABS if everything else UNIT_TABS
    if tab not in tabs:
        tab = tabs[0]
    ctx = detail_context(user, inspection, tab)
    ctx.update(
        {
            "inspection": inspection,
            "tab": tab,
            "tabs": tabs,
            "office": office,
            "everything": everything,
            "may_record": access.may_record(user, inspection),
            "today": clock.today(),
        }
    )
    if (office and tab == "records") or (access.may_record(user, inspection) and tab == "records"):
        ctx["record_form"] = forms.get("record_form") or RecordForm(
            inspection=inspection, initial={"held_on": clock.today()}
        )
    if office and tab == "findings":
        ctx["finding_form"] = forms.get("finding_form") or FindingForm(inspection=inspection)
    if office and tab == "report":
        ctx["report_form"] = forms.get("report_form") or ReportForm()
    if office and tab == "results":
        ctx["outcome_form"] = forms.get("outcome_form") or OutcomeForm(
            inspection=inspection, initial={"recorded_on": clock.today()}
        )
    return render(request, "campaigns/inspection_detail.html", ctx, status=status)


@rule("campaign.view")
@require_safe
def inspection_detail(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk)
    return detail_page(request, inspection, request.GET.get("tab", "scheme"))


@rule("campaign.manage")
@require_POST
def inspection_launch(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    try:
        services.inspection_launch(actor=request.user, inspection=inspection)
    except ValidationError as exc:
        return refuse(request, exc, back_to(pk, "scheme"))
    messages.success(request, _("督查方案已启动实施。"))
    return redirect(back_to(pk, "notices"))


@rule("campaign.manage")
@require_POST
def inspection_notify(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    try:
        sent = notices_send(actor=request.user, inspection=inspection, way=NoticeWay.MANUAL)
    except ValidationError as exc:
        return refuse(request, exc, back_to(pk, "notices"))
    if sent:
        messages.success(request, _("已向 %(n)d 个单位发送督查通知。") % {"n": len(sent)})
    else:
        messages.info(request, _("各督查对象均已收到督查通知。"))
    return redirect(back_to(pk, "notices"))


@rule("campaign.manage")
@require_POST
def inspection_finish(request, pk: int):
    inspection = access.get_inspection_for_user(request.user, pk, "manage")
    try:
        services.inspection_finish(actor=request.user, inspection=inspection)
    except ValidationError as exc:
        return refuse(request, exc, back_to(pk, "rectifications"))
    messages.success(request, _("督查活动已完结。"))
    return redirect(back_to(pk, "scheme"))
