"""政策体系 pages: the policies overview (which are landing, which are paper), one policy with
its goals, deliverables and delivery figures, registering and editing, Excel exports."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.access import policy as access
from luoshi.access.views import rule
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.lib.downloads import uploaded_file_response
from luoshi.lib.forms import add_service_errors
from luoshi.policies import queries, services
from luoshi.policies.export import deliverables_workbook, policies_workbook
from luoshi.policies.forms import (
    MAX_ROWS,
    DeliverableForm,
    DeliverableGrid,
    GoalLinkForm,
    PolicyForm,
    StatusForm,
)
from luoshi.policies.models import PolicyGoal, PolicyLevel, PolicyStatus
from luoshi.tasks.forms.units import active_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORTS = {
    "share": gettext_lazy("兑现率由低到高"),
    "-share": gettext_lazy("兑现率由高到低"),
    "issued": gettext_lazy("发布日期"),
    "title": gettext_lazy("政策名称"),
}


def _filtered(request):
    qs = access.visible_policies(request.user)
    level = request.GET.get("level", "")
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    if level in PolicyLevel.values:
        qs = qs.filter(level=level)
    if status in PolicyStatus.values:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    sort = request.GET.get("sort", "share")
    if sort not in SORTS:
        sort = "share"
    return qs, {"level": level, "status": status, "category": category, "sort": sort}


@rule("policy.view")
@require_GET
def policy_list(request):
    qs, chosen = _filtered(request)
    today = clock.today()
    items = queries.policy_rows(request.user, today=today, policies=qs, sort=chosen["sort"])
    categories = sorted(
        set(
            access.visible_policies(request.user)
            .exclude(category="")
            .values_list("category", flat=True)
        )
    )
    chart = {
        "policies": [
            {"title": p.title, "percent": p.delivery.percent, "on_time": p.delivery.percent_on_time}
            for p in items
            if p.delivery.total
        ],
        "categories": queries.by_category(items),
        "labels": {"share": _("兑现率"), "on_time": _("按期兑现率")},
    }
    return render(
        request,
        "policies/policy_list.html",
        {
            "policies": items,
            "chosen": chosen,
            "sorts": SORTS,
            "levels": PolicyLevel.choices,
            "statuses": PolicyStatus.choices,
            "categories": categories,
            "chart": chart,
            "paper": sum(1 for p in items if p.delivery.is_paper),
            "today": today,
        },
    )


def _grid_context(grid: DeliverableGrid) -> dict:
    return {"grid": grid, "units": active_units()}


@rule("policy.manage")
@require_http_methods(["GET", "POST"])
def policy_create(request):
    post = request.method == "POST"
    form = PolicyForm(request.POST if post else None, request.FILES if post else None)
    if not post:
        form.initial["issued_on"] = clock.today()
    grid = DeliverableGrid(request.POST if post else None)
    if post:
        form_ok = form.is_valid()
        if grid.is_valid() and form_ok:
            try:
                created = services.policy_create(
                    actor=request.user, deliverables=grid.rows, **form.cleaned_data
                )
                if request.POST.get("assign") and created.deliverables.exists():
                    services.deliverables_assign(actor=request.user, policy=created)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and any(k.startswith("row") for k in exc.error_dict):
                    grid.add_service_errors(exc)
                else:
                    add_service_errors(form, exc)
            else:
                n = created.deliverables.count()
                messages.success(
                    request,
                    ngettext(
                        "政策已登记，兑现事项 %(n)d 项。",
                        "政策已登记，兑现事项 %(n)d 项。",
                        n,
                    )
                    % {"n": n},
                )
                return redirect("policies:detail", pk=created.pk)
    return render(request, "policies/policy_form.html", {"form": form, **_grid_context(grid)})


@rule("policy.manage")
@require_GET
def deliverable_row(request):
    """htmx: one more blank row of the deliverables grid (`n`: rows already there)."""
    try:
        n = max(0, min(int(request.GET.get("n", "0")), MAX_ROWS - 1))
    except ValueError:
        n = 0
    form = DeliverableForm(prefix=f"d{n}")
    return render(
        request,
        "policies/_deliverable_row_added.html",
        {"f": form, "number": n + 1, "next_n": min(n + 1, MAX_ROWS - 1)},
    )


@rule("policy.manage")
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk, "policy.manage")
    if request.method == "POST":
        form = PolicyForm(request.POST, request.FILES)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            upload = fields.pop("file") or None
            try:
                services.policy_update(actor=request.user, policy=obj, file=upload, **fields)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("政策信息已修改。"))
                return redirect("policies:detail", pk=obj.pk)
    else:
        form = PolicyForm(initial={f: getattr(obj, f) for f in services.POLICY_FIELDS})
    return render(request, "policies/policy_form.html", {"form": form, "policy": obj})


@rule("policy.view")
@require_GET
def policy_detail(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk)
    today = clock.today()
    deliverables = queries.deliverable_rows(request.user, obj)
    for d in deliverables:
        d.overdue = queries.overdue(d, today)
        d.indicator = next(iter(d.task.indicators.all()), None)
        d.indicator_ratio = queries.indicator_ratio(d.indicator) if d.indicator else None
    delivery = queries.deliveries(request.user, [obj], today=today)[obj.pk]
    manage = access.allowed(request.user, "policy.manage")
    goals = list(
        obj.goal_links.filter(goal__in=access.visible_tasks(request.user))
        .select_related("goal", "goal__lead_unit")
        .order_by("id")
    )
    context = {
        "policy": obj,
        "deliverables": deliverables,
        "delivery": delivery,
        "goals": goals,
        "manage": manage,
        "today": today,
        "drafts": sum(1 for d in deliverables if d.task.state == "draft"),
    }
    if manage:
        linked = [g.goal_id for g in goals]
        context["goal_form"] = GoalLinkForm(
            goals=services.goal_choices(request.user).exclude(pk__in=linked)
        )
        context["status_form"] = StatusForm(
            policy=obj,
            initial={
                "status": obj.status,
                "superseded_by": obj.superseded_by_id,
                "note": obj.status_note,
            },
        )
    return render(request, "policies/policy_detail.html", context)


@rule("policy.manage")
@require_http_methods(["GET", "POST"])
def deliverables_add(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk, "policy.manage")
    post = request.method == "POST"
    grid = DeliverableGrid(request.POST if post else None)
    if post:
        if not grid.filled():
            grid.errors.append(_("请至少填写一项兑现事项。"))
        elif grid.is_valid():
            try:
                made = services.deliverables_create(
                    actor=request.user,
                    policy=obj,
                    rows=grid.rows,
                    assign=bool(request.POST.get("assign")),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    grid.add_service_errors(exc)
                else:
                    grid.errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    ngettext("已添加兑现事项 %(n)d 项。", "已添加兑现事项 %(n)d 项。", len(made))
                    % {"n": len(made)},
                )
                return redirect("policies:detail", pk=obj.pk)
    return render(
        request, "policies/deliverables_form.html", {"policy": obj, **_grid_context(grid)}
    )


@rule("policy.manage")
@require_POST
def deliverables_assign(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk, "policy.manage")
    try:
        n = services.deliverables_assign(actor=request.user, policy=obj)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext("已交办兑现事项 %(n)d 项。", "已交办兑现事项 %(n)d 项。", n) % {"n": n},
        )
    return redirect("policies:detail", pk=obj.pk)


@rule("policy.manage")
@require_POST
def goal_link(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk, "policy.manage")
    form = GoalLinkForm(request.POST, goals=services.goal_choices(request.user))
    if form.is_valid():
        try:
            services.policy_goal_link(
                actor=request.user,
                policy=obj,
                goal=form.cleaned_data["goal"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已关联目标。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("policies:detail", pk=obj.pk)


@rule("policy.manage")
@require_POST
def goal_unlink(request, pk: int, link: int):
    obj = access.get_policy_for_user(request.user, pk, "policy.manage")
    item = PolicyGoal.objects.filter(pk=link, policy=obj).select_related("goal").first()
    if item is None:
        raise Http404(_("关联不存在。"))
    services.policy_goal_unlink(actor=request.user, link=item)
    messages.success(request, _("已取消关联目标。"))
    return redirect("policies:detail", pk=obj.pk)


@rule("policy.manage")
@require_POST
def policy_status(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk, "policy.manage")
    form = StatusForm(request.POST, policy=obj)
    if form.is_valid():
        try:
            services.policy_set_status(
                actor=request.user,
                policy=obj,
                status=form.cleaned_data["status"],
                superseded_by=form.cleaned_data["superseded_by"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("政策状态已更新。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("policies:detail", pk=obj.pk)


@rule("policy.view")
@require_GET
def policy_file(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk)
    if not obj.file:
        raise Http404(_("附件不存在。"))
    return uploaded_file_response(obj, actor=request.user, action="policy.file_download")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"policies.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@rule("policy.view")
@require_GET
def export_policies(request):
    qs, chosen = _filtered(request)
    today = clock.today()
    items = queries.policy_rows(request.user, today=today, policies=qs, sort=chosen["sort"])
    audit_log(actor=request.user, action="policy.export", data={"rows": len(items)})
    return _xlsx(
        policies_workbook(items, user=request.user),
        _("政策兑现情况-%(d)s.xlsx") % {"d": today.isoformat()},
    )


@rule("policy.view")
@require_GET
def export_deliverables(request, pk: int):
    obj = access.get_policy_for_user(request.user, pk)
    today = clock.today()
    rows = queries.deliverable_rows(request.user, obj)
    audit_log(
        actor=request.user,
        action="policy.deliverables_export",
        obj=obj,
        data={"rows": len(rows)},
    )
    return _xlsx(
        deliverables_workbook(obj, rows, today=today, user=request.user),
        _("政策兑现事项-%(d)s.xlsx") % {"d": today.isoformat()},
    )
