"""督办 pages: the ladder's rules, 催办 (one task, or many chosen from the ledger), 督办单 (issue,
read, reply, close), 约谈 / 实地核查 records and their files.

Each view: the object if the user may see it (else 404); on GET a form only for a user allowed
to act now (else 403); the service, which checks the permission itself and validates
(ValidationError → the message on the form; nothing is written); back to the task page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import object_rule, rule
from luoshi.lib import clock
from luoshi.lib.downloads import uploaded_file_response
from luoshi.lib.forms import add_service_errors
from luoshi.supervision import services
from luoshi.supervision.forms import (
    CloseForm,
    NoticeForm,
    RecordForm,
    ReplyForm,
    RuleForm,
    UrgeForm,
)
from luoshi.supervision.models import (
    EscalationRule,
    NoticeState,
    Recipient,
    RelativeTo,
    SupervisionNotice,
)
from luoshi.tasks import queries
from luoshi.tasks.models import AssignmentRole, Task
from luoshi.tasks.views.ledger_form import LedgerFilterForm
from luoshi.tasks.views.respond import action_done

URGE_PAGE = 100


def _task(request, pk: int, action: str) -> Task:
    """GET: the user must be allowed `action` now. POST: the service decides."""
    if request.method == "GET":
        return policy.get_task_for_user(request.user, pk, action)
    return policy.get_task_for_user(request.user, pk)


# --- the ladder --------------------------------------------------------------------------------


def _categories() -> list[str]:
    used = set(Task.objects.exclude(category="").values_list("category", flat=True).distinct())
    used |= set(
        EscalationRule.objects.exclude(category="").values_list("category", flat=True).distinct()
    )
    return sorted(used)


def _ladder_rows(category: str, forms_by_key: dict) -> list[dict]:
    """The effective rungs of `category`, each with where it comes from and its form."""
    rules = list(EscalationRule.objects.filter(category__in=["", category]))
    own = {r.key: r for r in rules if r.category == category}
    default = {r.key: r for r in rules if r.category == ""}
    rows = []
    for key in sorted(
        {**default, **own},
        key=lambda k: ({**default, **own}[k].relative_to, {**default, **own}[k].offset, k),
    ):
        rule_ = own.get(key) or default[key]
        form = forms_by_key.get(key) or RuleForm(
            initial={
                "category": category,
                "relative_to": rule_.relative_to,
                "step": rule_.step,
                "offset": rule_.offset,
                "repeat_daily": rule_.repeat_daily,
                "action": rule_.action,
                "recipients": list(rule_.recipients),
                "enabled": rule_.enabled,
            },
            prefix=key.replace(":", "-"),
        )
        rows.append(
            {
                "key": key,
                "rule": rule_,
                "overridden": bool(category) and key in own,
                "form": form,
            }
        )
    return rows


@rule("supervision.ladder")
@require_http_methods(["GET", "POST"])
def ladder(request):
    """督办升级规则: the ladder for the default or for one task category, each rung editable."""
    category = (request.POST.get("category") or request.GET.get("category") or "").strip()
    forms_by_key: dict = {}
    new_form = RuleForm(prefix="new", initial={"category": category, "enabled": True})
    if request.method == "POST":
        key = request.POST.get("key", "")
        prefix = "new" if key == "new" else key.replace(":", "-")
        form = RuleForm(request.POST, prefix=prefix)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rule_save(
                    actor=request.user,
                    category=category,
                    relative_to=data["relative_to"],
                    step=data["step"],
                    offset=data["offset"],
                    action=data["action"],
                    recipients=data["recipients"],
                    repeat_daily=data["repeat_daily"],
                    enabled=data["enabled"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("督办升级规则已保存。"))
                return redirect(_ladder_url(category))
        if key == "new":
            new_form = form
        else:
            forms_by_key[key] = form
    context = {
        "category": category,
        "categories": _categories(),
        "rows": _ladder_rows(category, forms_by_key),
        "new_form": new_form,
        "recipient_choices": Recipient.choices,
        "relative_choices": RelativeTo.choices,
    }
    return render(request, "supervision/ladder.html", context)


def _ladder_url(category: str) -> str:
    url = reverse("supervision:ladder")
    return f"{url}?{urlencode({'category': category})}" if category else url


@rule("supervision.ladder")
@require_POST
def ladder_reset(request):
    """A category's rung back to the default."""
    category = (request.POST.get("category") or "").strip()
    relative_to, _sep, step = (request.POST.get("key") or "").partition(":")
    try:
        if services.rule_reset(
            actor=request.user, category=category, relative_to=relative_to, step=step
        ):
            messages.success(request, _("已恢复为默认规则。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(_ladder_url(category))


# --- 催办 ----------------------------------------------------------------------------------------


@object_rule("task.urge")
@require_http_methods(["GET", "POST"])
def urge(request, pk: int):
    """催办 one task, with a message."""
    task = _task(request, pk, "task.urge")
    form = UrgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.urge_tasks(
                    actor=request.user, tasks=[task], message=form.cleaned_data["message"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc, "message")
            else:
                return action_done(request, task, _("已催办。"))
        else:
            policy.require(request.user, "task.urge", task)
    return render(request, "supervision/urge_form.html", {"task": task, "form": form})


@rule("supervision.urge")
@require_http_methods(["GET", "POST"])
def urge_many(request):
    """催办 many tasks at once: the ledger's filters narrow the tasks being worked on; the
    supervisor ticks those to urge and writes one message."""
    choices = queries.ledger_choices(request.user)
    filters = LedgerFilterForm(request.GET, user=request.user, choices=choices)
    today = clock.today()
    tasks = queries.ledger_tasks(request.user, filters.to_filter(), today=today).filter(
        state__in=policy.SUPERVISED_STATES
    )
    form = UrgeForm(request.POST if request.method == "POST" else None)
    chosen: set[int] = set()
    errors: list[str] = []
    if request.method == "POST":
        try:
            chosen = {int(v) for v in request.POST.getlist("task")}
        except ValueError:
            chosen = set()
            errors.append(_("所选任务无法识别，请重新选择。"))
        if form.is_valid() and not errors:
            picked = list(policy.visible_tasks(request.user).filter(pk__in=chosen))
            if len(picked) != len(chosen):
                errors.append(_("所选任务中有不存在或您无权查看的任务。"))
            else:
                try:
                    done = services.urge_tasks(
                        actor=request.user, tasks=picked, message=form.cleaned_data["message"]
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict") and "tasks" in exc.message_dict:
                        errors.extend(exc.message_dict["tasks"])
                    else:
                        add_service_errors(form, exc, "message")
                else:
                    messages.success(
                        request,
                        ngettext("已催办 %(n)d 项任务。", "已催办 %(n)d 项任务。", len(done))
                        % {"n": len(done)},
                    )
                    return redirect(request.get_full_path())
    page = Paginator(tasks, URGE_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "form": form,
        "page": page,
        "chosen": chosen,
        "errors": errors,
        "today": today,
    }
    return render(request, "supervision/urge_many.html", context)


# --- 督办单 --------------------------------------------------------------------------------------


def _co_units(task: Task):
    return [a.unit for a in task.assignments.filter(role=AssignmentRole.CO).select_related("unit")]


@object_rule("task.notice")
@require_http_methods(["GET", "POST"])
def notice_new(request, pk: int):
    """下发督办单 on a task (or keep it as a draft)."""
    task = _task(request, pk, "task.notice")
    return _notice_form(request, task, None)


@object_rule("task.notice")
@require_http_methods(["GET", "POST"])
def notice_issue(request, pk: int):
    """Edit and issue a draft notice (e.g. one the ladder drafted)."""
    notice = policy.get_notice_for_user(request.user, pk)
    task = _task(request, notice.task_id, "task.notice")
    if notice.state != NoticeState.DRAFT:
        messages.error(
            request, _("督办单 %(number)s 已下发，不能重复下发。") % {"number": notice.number}
        )
        return redirect("supervision:notice", notice.pk)
    return _notice_form(request, task, notice)


def _notice_form(request, task: Task, notice: SupervisionNotice | None):
    co_units = _co_units(task)
    initial = {}
    if notice is not None:
        initial = {
            "content": notice.content,
            "reply_by": notice.reply_by,
            "copy_units": [str(u) for u in notice.copy_units.values_list("pk", flat=True)],
        }
    form = NoticeForm(
        request.POST if request.method == "POST" else None, co_units=co_units, initial=initial
    )
    if request.method == "POST":
        issue = "draft" not in request.POST
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.notice_save(
                    actor=request.user,
                    task=task,
                    content=data["content"],
                    reply_by=data["reply_by"],
                    copy_units=data.get("copy_units", []),
                    notice=notice,
                    issue=issue,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if issue:
                    return action_done(
                        request, task, _("督办单 %(number)s 已下发。") % {"number": saved.number}
                    )
                return action_done(request, task, _("督办单草稿已保存。"))
        else:
            policy.require(request.user, "task.notice", task)
    return render(
        request,
        "supervision/notice_form.html",
        {"task": task, "form": form, "notice": notice, "today": clock.today()},
    )


def _notice_page(request, notice: SupervisionNotice, reply_form=None, close_form=None, status=200):
    user = request.user
    task = notice.task
    replies = notice.replies.select_related("unit", "author").prefetch_related("files")
    unit_id = policy.part_unit_id(user, task)
    if unit_id is not None:
        replies = replies.filter(unit_id=unit_id)
    may_reply = policy.notices_to_reply(user, task).filter(pk=notice.pk).exists()
    context = {
        "notice": notice,
        "task": task,
        "replies": list(replies),
        "copy_units": list(notice.copy_units.all()),
        "may_reply": may_reply,
        "may_issue": notice.state == NoticeState.DRAFT and policy.can(user, "task.notice", task),
        "may_close": notice.state in (NoticeState.ISSUED, NoticeState.REPLIED)
        and policy.can(user, "task.supervise", task),
        "reply_form": reply_form or (ReplyForm() if may_reply else None),
        "close_form": close_form or CloseForm(),
        "today": clock.today(),
    }
    return render(request, "supervision/notice_detail.html", context, status=status)


@object_rule("task.view")
@require_safe
def notice_detail(request, pk: int):
    notice = policy.get_notice_for_user(request.user, pk)
    return _notice_page(request, notice)


@object_rule("task.notice_reply")
@require_http_methods(["GET", "POST"])
def notice_reply(request, pk: int):
    """The unit's written reply, with files."""
    notice = policy.get_notice_for_user(request.user, pk)
    may_reply = policy.notices_to_reply(request.user, notice.task).filter(pk=notice.pk).exists()
    if request.method == "GET":
        if not may_reply:
            raise PermissionDenied(_("只有督办单的主送或抄送单位可以回复。"))
        return redirect(reverse("supervision:notice", args=[notice.pk]) + "#reply")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.notice_reply(
                actor=request.user,
                notice=notice,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return action_done(request, notice.task, _("已回复督办单。"))
    elif not may_reply:
        # an invalid form from someone who may not reply: 403 with the reason, not the form
        raise PermissionDenied(_("只有督办单的主送或抄送单位可以回复。"))
    return _notice_page(request, notice, reply_form=form, status=200)


@object_rule("task.supervise")
@require_POST
def notice_close(request, pk: int):
    notice = policy.get_notice_for_user(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.notice_close(
                actor=request.user, notice=notice, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("supervision:notice", notice.pk)
        return action_done(request, notice.task, _("督办单已办结。"))
    policy.require(request.user, "task.supervise", notice.task)
    return _notice_page(request, notice, close_form=form)


@rule("supervision.notices")
@require_safe
def notice_list(request):
    """督办单: every notice on the tasks the user sees, the drafts first, then those waiting for
    a reply (overdue ones marked)."""
    state = request.GET.get("state", "")
    qs = SupervisionNotice.objects.filter(task__in=policy.visible_tasks(request.user))
    if state in NoticeState.values:
        qs = qs.filter(state=state)
    qs = qs.select_related("task", "unit").order_by("state", "reply_by", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/notice_list.html",
        {"page": page, "state": state, "states": NoticeState.choices, "today": clock.today()},
    )


# --- 约谈 / 实地核查 ---------------------------------------------------------------------------


@object_rule("task.supervise")
@require_http_methods(["GET", "POST"])
def record_new(request, pk: int):
    task = _task(request, pk, "task.supervise")
    form = RecordForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"kind": request.GET.get("kind", ""), "held_on": clock.today()},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = services.record_create(
                    actor=request.user,
                    task=task,
                    kind=data["kind"],
                    held_on=data["held_on"],
                    place=data["place"],
                    participants=data["participants"],
                    content=data["content"],
                    files=data["files"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return action_done(
                    request,
                    task,
                    _("%(kind)s记录已保存。") % {"kind": record.get_kind_display()},
                )
        else:
            policy.require(request.user, "task.supervise", task)
    return render(request, "supervision/record_form.html", {"task": task, "form": form})


@object_rule("task.view")
@require_safe
def file_download(request, pk: int):
    """A file of a notice reply or a record: only for users who may read its owner."""
    item = policy.get_supervision_file_for_user(request.user, pk)
    return uploaded_file_response(item, actor=request.user, action="supervision.file.download")
