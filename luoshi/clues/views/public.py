"""The public's pages (no account): hand in a clue, get the receipt, look up its status by the
receipt code, and the CAPTCHA picture. Plain forms that work without JavaScript; each POST
(and each picture) is counted against the client address's rate limit first.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from luoshi.access.views import public
from luoshi.clues import captcha, ratelimit
from luoshi.clues.conf import conf
from luoshi.clues.forms import StatusForm, SubmitForm, form_stamp
from luoshi.clues.services.submission import clue_find_by_code, clue_submit
from luoshi.clues.status import public_status
from luoshi.lib.forms import add_service_errors

NO_STORE = "no-store, private"


def _page(request, template, context, status=200):
    response = render(request, template, context, status=status)
    response["Cache-Control"] = NO_STORE
    return response


def too_many(request, retry_after: int):
    response = _page(
        request,
        "clues/public/too_many.html",
        {"minutes": max(1, (retry_after + 59) // 60)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _form_page(request, form, *, kind: str = "image"):
    challenge = captcha.new_challenge(kind) if conf("CLUE_CAPTCHA") else None
    return _page(
        request,
        "clues/public/submit.html",
        {
            "form": form,
            "challenge": challenge,
            "started": form_stamp(),
            "text_max": conf("CLUE_TEXT_MAX"),
            "here": "submit",
        },
    )


@public
@require_http_methods(["GET", "POST"])
def submit(request):
    """群众线索提交. Buttons 换一张 / 改用文字题 re-draw the form with a new challenge (the
    fields kept, nothing checked); 提交 checks everything and stores the clue."""
    if request.method == "GET":
        return _form_page(request, SubmitForm(), kind=request.GET.get("captcha", "image"))
    if "new_captcha" in request.POST:
        allowed, retry = ratelimit.hit("captcha")
        if not allowed:
            return too_many(request, retry)
        form = SubmitForm(initial=request.POST.dict())
        return _form_page(request, form, kind=request.POST.get("new_captcha", "image"))
    allowed, retry = ratelimit.hit("submit")
    if not allowed:
        return too_many(request, retry)
    form = SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = clue_submit(
                category=data["category"],
                place=data["place"],
                unit=data["unit"],
                text=data["text"],
                photo=data["photo"] or None,
                contact=data["contact"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _page(
                request,
                "clues/public/receipt.html",
                {"clue": done.clue, "code": done.receipt_code},
            )
    kind = "text" if request.POST.get("captcha_kind") == "text" else "image"
    form.data = form.data.copy()
    form.data["captcha_answer"] = ""  # a new challenge: the old answer must not stand
    return _form_page(request, form, kind=kind)


@public
@require_http_methods(["GET", "POST"])
def status(request):
    """进度查询: the status of the one clue whose receipt code is given, and nothing else. A
    code that is well formed but unknown gets the same answer whatever it is."""
    result = None
    message = ""
    if request.method == "POST":
        allowed, retry = ratelimit.hit("lookup")
        if not allowed:
            return too_many(request, retry)
        form = StatusForm(request.POST)
        if form.is_valid():
            from luoshi.clues import receipts

            code = form.cleaned_data["code"]
            if not receipts.is_well_formed(code):
                form.add_error("code", _("回执码有误：共 20 位字母和数字，请逐位核对后重新输入。"))
            else:
                clue = clue_find_by_code(code)
                if clue is None:
                    message = _("没有查到与该回执码对应的线索，请核对后重新输入。")
                else:
                    result = public_status(clue)
    else:
        form = StatusForm()
    context = {"form": form, "result": result, "message": message, "here": "status"}
    return _page(request, "clues/public/status.html", context)


@public
@require_safe
def captcha_image(request):
    """The picture of an image challenge (?t=<token>). Does not spend the token. A bad token
    is sent to the form, which draws a new challenge."""
    allowed, retry = ratelimit.hit("captcha")
    if not allowed:
        return too_many(request, retry)
    try:
        png = captcha.render_png(request.GET.get("t", ""))
    except captcha.CaptchaError:
        # expired, forged or missing: the form, which draws a new challenge
        return redirect("clues:submit")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = NO_STORE
    return response
