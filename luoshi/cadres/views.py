"""干部评价 pages.

The office and leaders in scope: the rounds and their results (averages); the office also
opens and closes rounds and reads the sheets about one cadre (never about itself).
A reviewer: their rounds and cadres, and the sheet of one cadre with the evidence beside it.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import rule
from luoshi.audit.services import audit_log
from luoshi.cadres import services
from luoshi.cadres.forms import AddPeopleForm, ReviewForm, SheetForm
from luoshi.cadres.models import Dimension, ReviewCadre, Reviewer, ReviewSheet
from luoshi.lib.forms import add_service_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@rule("cadre.results")
@require_safe
def review_list(request):
    reviews = policy.visible_reviews(request.user).select_related("created_by")
    return render(
        request,
        "cadres/list.html",
        {"reviews": reviews, "may_manage": policy.allowed(request.user, "cadre.manage")},
    )


@rule("cadre.manage")
@require_http_methods(["GET", "POST"])
def review_new(request):
    form = ReviewForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("干部评价已发起，评价人可以开始评价。"))
            return redirect("cadres:detail", pk=review.pk)
    return render(request, "cadres/new.html", {"form": form})


@rule("cadre.results")
@require_safe
def review_detail(request, pk: int):
    """Results: per cadre, the sheets in force and the averages."""
    review = policy.get_review_for_user(request.user, pk)
    return render(
        request,
        "cadres/detail.html",
        {
            "review": review,
            "results": services.review_results(
                review, policy.visible_review_cadres(request.user, review)
            ),
            "dimensions": Dimension.choices,
            "may_manage": policy.can_manage_review(request.user, review),
            "reviewers": review.reviewers.select_related("user", "user__unit"),
        },
    )


@rule("cadre.results")
@require_safe
def results_export(request, pk: int):
    """The results table as .xlsx (the rows the reader may read)."""
    review = policy.get_review_for_user(request.user, pk)
    results = services.review_results(review, policy.visible_review_cadres(request.user, review))
    data = services.results_workbook(review, results, user=request.user)
    audit_log(actor=request.user, action="cadre.results.export", obj=review)
    name = _("%(name)s 评价结果.xlsx") % {"name": review.name}
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"results.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@rule("cadre.manage")
@require_safe
def cadre_sheets(request, pk: int, cadre_pk: int):
    """The office: every sheet about one cadre (versions included), reviewer by reviewer."""
    review = policy.get_review_for_user(request.user, pk, "cadre.manage")
    item = ReviewCadre.objects.select_related("cadre", "unit").filter(
        review=review, cadre_id=cadre_pk
    )
    item = item.first()
    if (
        item is None
        or not policy.visible_review_cadres(request.user, review).filter(pk=item.pk).exists()
    ):
        raise PermissionDenied(_("该干部不在本次评价范围内。"))
    if not policy.can_read_sheets(request.user, review, item.cadre_id):
        raise PermissionDenied(_("被评价的干部不能查看对本人的个人评分。"))
    return render(
        request,
        "cadres/sheets.html",
        {"review": review, "item": item, "sheets": services.sheets_about(review, item.cadre_id)},
    )


@rule("cadre.manage")
@require_http_methods(["GET", "POST"])
def review_add(request, pk: int):
    """增加人员: more cadres or reviewers for an open round."""
    review = policy.get_review_for_user(request.user, pk, "cadre.manage")
    form = AddPeopleForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_add(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已增加人员。"))
            return redirect("cadres:detail", pk=review.pk)
    return render(request, "cadres/add.html", {"form": form, "review": review})


@rule("cadre.manage")
@require_POST
def review_close(request, pk: int):
    review = policy.get_review_for_user(request.user, pk, "cadre.manage")
    try:
        services.review_close(actor=request.user, review=review)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("干部评价已结束。"))
    return redirect("cadres:detail", pk=review.pk)


@rule("cadre.review")
@require_safe
def my_reviews(request):
    """The reviewer's rounds: each cadre to review, submitted or not."""
    user = request.user
    places = Reviewer.objects.filter(user=user).select_related("review").order_by("-review_id")
    submitted = set(
        ReviewSheet.objects.filter(reviewer=user, current=True).values_list("review_id", "cadre_id")
    )
    rounds = []
    for place in places:
        review = place.review
        cadres = [
            (item, (review.pk, item.cadre_id) in submitted)
            for item in review.cadres.select_related("cadre", "unit").exclude(cadre=user)
        ]
        rounds.append((review, cadres))
    return render(request, "cadres/mine.html", {"rounds": rounds})


@rule("cadre.review")
@require_http_methods(["GET", "POST"])
def sheet(request, pk: int, cadre_pk: int):
    """The sheet on one cadre, with the evidence beside it. Submitted once; 更正 makes a new
    version while the round is open."""
    user = request.user
    review, item = policy.get_assignment_for_user(user, pk, cadre_pk)
    current = services.current_sheet(review, user, item.cadre)
    correcting = request.GET.get("correct") == "1" or request.POST.get("correct") == "1"
    show_form = review.is_open and (current is None or correcting)
    form = None
    if show_form:
        initial = SheetForm.initial_from(current) if current is not None else None
        form = SheetForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("该评价已结束，不能再提交评价表。")
                if not review.is_open
                else _("您已提交对该干部的评价表，不能重复提交；如需更正，请提交更正。")
            )
        if form.is_valid():
            fn = services.sheet_correct if current is not None else services.sheet_submit
            try:
                fn(
                    actor=user,
                    review=review,
                    cadre=item.cadre,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("评价表已更正。") if current is not None else _("评价表已提交。"),
                )
                return redirect("cadres:sheet", pk=review.pk, cadre_pk=item.cadre_id)
    return render(
        request,
        "cadres/sheet.html",
        {
            "review": review,
            "item": item,
            "current": current,
            "form": form,
            "correcting": correcting and current is not None,
            "evidence": services.cadre_evidence(user=user, review=review, item=item),
        },
    )
