"""The office's pages: the clue list, a clue's page with the triage forms, the photo, the
category list. Thin views: access helper (luoshi.access.clues) → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.clues import get_clue_for_user, mask_phone, may_see_contact, visible_clues
from luoshi.access.views import object_rule, rule
from luoshi.audit.services import audit_log
from luoshi.clues.forms import (
    AcceptTaskForm,
    CategoryForm,
    ClueFilter,
    InspectionForm,
    MergeForm,
    RejectForm,
    ReplyForm,
)
from luoshi.clues.models import Clue, ClueCategory, ClueState
from luoshi.clues.services import categories, triage
from luoshi.clues.status import public_status
from luoshi.lib.forms import add_service_errors

PAGE_SIZE = 30


def _filtered(user, f: ClueFilter):
    qs = visible_clues(user, Clue.objects.select_related("category", "unit", "task"))
    if f.state:
        qs = qs.filter(state=f.state)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.date_from:
        qs = qs.filter(submitted_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(submitted_at__date__lte=f.date_to)
    if f.q:
        qs = qs.filter(Q(text__icontains=f.q) | Q(place__icontains=f.q))
    return qs.order_by("-submitted_at", "-id")


@rule("clue.list")
@require_safe
def clue_list(request):
    f = ClueFilter(request.GET)
    page = Paginator(_filtered(request.user, f), PAGE_SIZE).get_page(request.GET.get("page"))
    for clue in page:
        clue.contact_masked = mask_phone(clue.contact)
    return render(
        request,
        "clues/office/list.html",
        {
            "page": page,
            "f": f,
            "states": ClueState.choices,
            "categories": ClueCategory.objects.all(),
            "may_triage": policy.allowed(request.user, "clue.triage"),
        },
    )


def _detail(request, clue: Clue, forms: dict | None = None, status: int = 200):
    user = request.user
    may_triage = policy.allowed(user, "clue.triage")
    forms = forms or {}
    if may_triage:
        forms.setdefault("accept_form", AcceptTaskForm(initial={"lead_unit": clue.unit_id}))
        forms.setdefault("inspection_form", InspectionForm())
        forms.setdefault("merge_form", MergeForm())
        forms.setdefault("reject_form", RejectForm())
        forms.setdefault("reply_form", ReplyForm())
    return render(
        request,
        "clues/office/detail.html",
        {
            "clue": clue,
            "events": clue.events.select_related("actor"),
            "duplicates": clue.duplicates.all(),
            "public": public_status(clue),
            "contact": clue.contact if may_see_contact(user) else mask_phone(clue.contact),
            "may_triage": may_triage,
            "is_new": clue.state == ClueState.NEW,
            **forms,
        },
        status=status,
    )


@object_rule("clue.list")
@require_safe
def clue_detail(request, pk: int):
    return _detail(request, get_clue_for_user(request.user, pk))


@object_rule("clue.list")
@require_safe
def clue_photo(request, pk: int):
    clue = get_clue_for_user(request.user, pk)
    if not clue.photo:
        raise Http404(_("该线索没有照片。"))
    try:
        handle = clue.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("照片文件已丢失。")) from exc
    audit_log(actor=request.user, action="clue.photo.view", obj=clue)
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="{clue.number}.jpg"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _act(request, pk: int, form_class, form_name: str, run, done: str, **form_kwargs):
    clue = get_clue_for_user(request.user, pk, "clue.triage")
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            run(clue, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("clues:detail", pk=clue.pk)
    return _detail(request, clue, {form_name: form}, status=400)


@object_rule("clue.triage")
@require_POST
def clue_accept_task(request, pk: int):
    def run(clue, data):
        triage.clue_accept_as_task(
            actor=request.user,
            clue=clue,
            lead_unit=data["lead_unit"],
            due=data["due"],
            title=data["title"],
            assign=data["assign"],
        )

    return _act(request, pk, AcceptTaskForm, "accept_form", run, _("已受理，并转为任务。"))


@object_rule("clue.triage")
@require_POST
def clue_accept_inspection(request, pk: int):
    def run(clue, data):
        triage.clue_accept_to_inspection(
            actor=request.user, clue=clue, inspection=data["inspection"]
        )

    return _act(request, pk, InspectionForm, "inspection_form", run, _("已受理，并转入督查活动。"))


@object_rule("clue.triage")
@require_POST
def clue_merge(request, pk: int):
    def run(clue, data):
        triage.clue_merge(actor=request.user, clue=clue, primary=data["primary"])

    visible = visible_clues(request.user)
    return _act(request, pk, MergeForm, "merge_form", run, _("已合并到指定线索。"), visible=visible)


@object_rule("clue.triage")
@require_POST
def clue_reject(request, pk: int):
    def run(clue, data):
        triage.clue_reject(actor=request.user, clue=clue, reason=data["reason"])

    return _act(request, pk, RejectForm, "reject_form", run, _("已决定不予受理。"))


@object_rule("clue.triage")
@require_POST
def clue_reply(request, pk: int):
    def run(clue, data):
        triage.clue_reply(actor=request.user, clue=clue, text=data["text"])

    return _act(request, pk, ReplyForm, "reply_form", run, _("答复已保存，提交人可在查询页看到。"))


@rule("clue.triage")
@require_http_methods(["GET", "POST"])
def category_list(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        if "toggle" in request.POST:
            category = get_object_or_404(ClueCategory, pk=request.POST.get("toggle"))
            try:
                categories.category_set_active(
                    actor=request.user, category=category, active=not category.active
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("clues:categories")
        if form.is_valid():
            try:
                categories.category_create(actor=request.user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("类别已添加。"))
                return redirect("clues:categories")
    return render(
        request,
        "clues/office/categories.html",
        {"form": form, "categories": ClueCategory.objects.all()},
        status=400 if form.errors else 200,
    )
