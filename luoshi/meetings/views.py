"""办会办文 pages: meetings with their agreed items, instructions and their 办理情况."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.access import policy
from luoshi.access.views import rule
from luoshi.lib import clock
from luoshi.lib.downloads import uploaded_file_response
from luoshi.lib.forms import add_service_errors
from luoshi.meetings import services
from luoshi.meetings.forms import (
    GenerateForm,
    GridRow,
    InstructionForm,
    ItemGrid,
    MeetingForm,
    ReadForm,
    ReportForm,
    grid_rows,
    row_of,
    rows_from_minutes,
)
from luoshi.meetings.models import InstructionReport, InstructionStatus, MeetingItem
from luoshi.tasks.forms.units import active_units

# --- meetings ---------------------------------------------------------------------------------


@rule("meeting.list")
@require_GET
def meeting_list(request):
    meetings = (
        policy.visible_meetings(request.user)
        .select_related("source", "chair")
        .annotate(
            n_items=Count("items", distinct=True),
            n_tasks=Count("items", filter=Q(items__task__isnull=False), distinct=True),
        )
        .order_by("-held_on", "-id")
    )
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


def _grid_context(grid: ItemGrid) -> dict:
    return {
        "grid": grid,
        "units": active_units(),
        "leaders": list(grid.leaders.values()),
        "error_rows": sum(1 for r in grid.rows if r.errors),
    }


def _read_minutes(request, form: MeetingForm, grid: ItemGrid) -> tuple[MeetingForm, str, bool]:
    """从纪要读取议定事项: fill the grid (and the minutes text, if empty) from the chosen
    minutes file; nothing is saved. Returns the form to show, a notice, and whether it
    failed (then the form's errors are shown)."""
    upload = request.FILES.get("minutes_file")
    if upload is None:
        form.is_valid()
        form.add_error("minutes_file", _("请先选择纪要文件（.docx、.pdf 或 .txt）。"))
        return form, "", True
    held = form.fields["held_on"].widget.value_from_datadict(request.POST, {}, "held_on")
    try:
        year = form.fields["held_on"].clean(held).year
    except (ValidationError, AttributeError):
        year = clock.today().year
    try:
        rows, text = rows_from_minutes(upload.read(), upload.name, year=year)
    except ValidationError as exc:
        form.is_valid()
        for message in exc.messages:
            form.add_error("minutes_file", message)
        return form, "", True
    if not rows:
        grid.errors.append(_("纪要中没有找到议定事项，请逐项填写。"))
        return MeetingForm(request.POST), "", False
    data = request.POST.copy()
    if not data.get("minutes", "").strip():
        data["minutes"] = text
    kept = [r for r in grid.rows if not r.is_blank()]
    grid.rows = [*kept, *rows, GridRow()]
    notice = ngettext(
        "已从纪要读取 %(n)d 项议定事项，请核对后保存。保存时请重新选择纪要文件。",
        "已从纪要读取 %(n)d 项议定事项，请核对后保存。保存时请重新选择纪要文件。",
        len(rows),
    ) % {"n": len(rows)}
    return MeetingForm(data), notice, False


@rule("meeting.manage")
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    post = request.method == "POST"
    form = MeetingForm(request.POST if post else None, request.FILES if post else None)
    if not post:
        form.initial["held_on"] = clock.today()
    grid = ItemGrid(grid_rows(request.POST if post else None))
    if post and request.POST.get("action") == "read":
        form, notice, failed = _read_minutes(request, form, grid)
        return render(
            request,
            "meetings/meeting_form.html",
            {"form": form, "notice": notice, "quiet": not failed, **_grid_context(grid)},
        )
    if post:
        form_ok = form.is_valid()
        if form_ok and form.cleaned_data.get("held_on"):
            grid.year = form.cleaned_data["held_on"].year
        if grid.is_valid(required=False) and form_ok:
            try:
                meeting = services.meeting_create(
                    actor=request.user, items=grid.items, **form.cleaned_data
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and any(k.startswith("row") for k in exc.error_dict):
                    grid.add_service_errors(exc)
                else:
                    add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "会议已登记，议定事项 %(n)d 项。核对后点“生成任务”。",
                        "会议已登记，议定事项 %(n)d 项。核对后点“生成任务”。",
                        len(grid.items),
                    )
                    % {"n": len(grid.items)},
                )
                return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, **_grid_context(grid)})


@rule("meeting.manage")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    """修改 a meeting's own fields (its items have their own pages)."""
    meeting = policy.get_meeting_for_user(request.user, pk, "meeting.manage")
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            upload = fields.pop("minutes_file") or None
            try:
                services.meeting_update(
                    actor=request.user, meeting=meeting, minutes_file=upload, **fields
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("会议信息已修改。"))
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        form = MeetingForm(initial={f: getattr(meeting, f) for f in services.MEETING_FIELDS})
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@rule("meeting.manage")
@require_GET
def item_row(request):
    """htmx: one more blank row of the items grid."""
    grid = ItemGrid([GridRow()])
    try:
        n = max(1, min(int(request.GET.get("n", "1")), 1000))
    except ValueError:
        n = 1
    return render(
        request, "meetings/_item_row.html", {"row": grid.rows[0], "n": n, **_grid_context(grid)}
    )


def _items(meeting):
    return (
        MeetingItem.objects.filter(meeting=meeting)
        .select_related("task", "lead_leader")
        .prefetch_related("parts__unit")
        .order_by("number")
    )


@rule("meeting.list")
@require_GET
def meeting_detail(request, pk: int):
    meeting = policy.get_meeting_for_user(request.user, pk)
    items = list(_items(meeting))
    visible = set(
        policy.visible_tasks(request.user)
        .filter(pk__in=[i.task_id for i in items if i.task_id])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.task_visible = item.task_id in visible
    pending = [i for i in items if not i.task_id]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "pending": pending,
            "can_manage": policy.allowed(request.user, "meeting.manage"),
        },
    )


@rule("meeting.manage")
@require_http_methods(["GET", "POST"])
def items_add(request, pk: int):
    meeting = policy.get_meeting_for_user(request.user, pk, "meeting.manage")
    post = request.method == "POST"
    grid = ItemGrid(grid_rows(request.POST if post else None), year=meeting.held_on.year)
    if post and grid.is_valid():
        try:
            added = services.meeting_items_add(actor=request.user, meeting=meeting, rows=grid.items)
        except ValidationError as exc:
            grid.add_service_errors(exc)
        else:
            messages.success(
                request,
                ngettext("已添加 %(n)d 项议定事项。", "已添加 %(n)d 项议定事项。", len(added))
                % {"n": len(added)},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/items_form.html", {"meeting": meeting, **_grid_context(grid)})


def _item_for_user(user, pk: int) -> MeetingItem:
    item = MeetingItem.objects.filter(pk=pk).first()
    if item is None:
        raise Http404(_("议定事项不存在。"))
    item.meeting = policy.get_meeting_for_user(user, item.meeting_id, "meeting.manage")
    return item


@rule("meeting.manage")
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    """修改 an agreed item not yet a task: the grid with its one row."""
    item = _item_for_user(request.user, pk)
    meeting = item.meeting
    if item.task_id:
        messages.error(request, _("该议定事项已生成任务，请在任务页面修改。"))
        return redirect("meetings:detail", pk=meeting.pk)
    post = request.method == "POST"
    rows = grid_rows(request.POST)[:1] if post else [row_of(item)]
    grid = ItemGrid(rows or [GridRow()], year=meeting.held_on.year)
    if post and grid.is_valid():
        try:
            services.meeting_item_update(actor=request.user, item=item, row=grid.items[0])
        except ValidationError as exc:
            grid.add_service_errors(exc)
        else:
            messages.success(request, _("第 %(n)d 项议定事项已修改。") % {"n": item.number})
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/items_form.html",
        {"meeting": meeting, "item": item, "single": True, **_grid_context(grid)},
    )


@rule("meeting.manage")
@require_POST
def item_remove(request, pk: int):
    item = _item_for_user(request.user, pk)
    try:
        services.meeting_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        for e in exc.messages:
            messages.error(request, e)
    else:
        messages.success(request, _("第 %(n)d 项议定事项已删除。") % {"n": item.number})
    return redirect("meetings:detail", pk=item.meeting.pk)


@rule("meeting.manage")
@require_POST
def generate(request, pk: int):
    """生成任务: the chosen items (or, none chosen, every item not yet a task)."""
    meeting = policy.get_meeting_for_user(request.user, pk, "meeting.manage")
    form = GenerateForm(request.POST, meeting=meeting)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("meetings:detail", pk=meeting.pk)
    chosen = form.cleaned_data["items"]
    items = list(meeting.items.filter(pk__in=chosen)) if chosen else None
    try:
        created = services.meeting_generate_tasks(
            actor=request.user, meeting=meeting, items=items, assign=form.cleaned_data["assign"]
        )
    except ValidationError as exc:
        for e in exc.messages:
            messages.error(request, e)
    else:
        if form.cleaned_data["assign"]:
            text = ngettext(
                "已生成 %(n)d 项任务并交办。", "已生成 %(n)d 项任务并交办。", len(created)
            )
        else:
            text = ngettext(
                "已生成 %(n)d 项任务（起草），核对后交办。",
                "已生成 %(n)d 项任务（起草），核对后交办。",
                len(created),
            )
        messages.success(request, text % {"n": len(created)})
    return redirect("meetings:detail", pk=meeting.pk)


@rule("meeting.list")
@require_GET
def minutes_file(request, pk: int):
    meeting = policy.get_meeting_for_user(request.user, pk)
    if not meeting.minutes_file:
        raise Http404(_("附件不存在。"))
    meeting.original_name = meeting.minutes_file_name or meeting.minutes_file.name
    meeting.file = meeting.minutes_file
    return uploaded_file_response(meeting, actor=request.user, action="meeting.file_download")


# --- instructions -----------------------------------------------------------------------------


@rule("instruction.list")
@require_GET
def instruction_list(request):
    rows = services.instructions_with_status(
        policy.visible_instructions(request.user).order_by("-given_on", "-id")
    )
    status = request.GET.get("status", "")
    if status in InstructionStatus.values:
        rows = [r for r in rows if r.status == status]
    return render(
        request,
        "meetings/instruction_list.html",
        {
            "instructions": rows,
            "status": status,
            "statuses": InstructionStatus.choices,
            "can_manage": policy.allowed(request.user, "instruction.manage"),
        },
    )


@rule("instruction.manage")
@require_http_methods(["GET", "POST"])
def instruction_create(request):
    post = request.method == "POST"
    form = InstructionForm(request.POST if post else None, request.FILES if post else None)
    if not post:
        form.initial_dates(clock.today())
    if post and form.is_valid():
        try:
            instruction = services.instruction_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("批示件已登记，编号 %(code)s。现在可以分解任务。")
                % {"code": instruction.source.code},
            )
            return redirect("meetings:instruction_detail", pk=instruction.pk)
    return render(request, "meetings/instruction_form.html", {"form": form})


@rule("instruction.manage")
@require_http_methods(["GET", "POST"])
def instruction_edit(request, pk: int):
    """修改 an instruction's own fields."""
    instruction = policy.get_instruction_for_user(request.user, pk, "instruction.manage")
    if request.method == "POST":
        form = InstructionForm(request.POST, request.FILES)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            upload = fields.pop("doc_file") or None
            try:
                services.instruction_update(
                    actor=request.user, instruction=instruction, doc_file=upload, **fields
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("批示件已修改。"))
                return redirect("meetings:instruction_detail", pk=instruction.pk)
    else:
        form = InstructionForm(
            initial={f: getattr(instruction, f) for f in services.INSTRUCTION_FIELDS}
        )
    return render(
        request, "meetings/instruction_form.html", {"form": form, "instruction": instruction}
    )


@rule("instruction.list")
@require_GET
def instruction_detail(request, pk: int):
    instruction = policy.get_instruction_for_user(request.user, pk)
    row = services.instructions_with_status(
        policy.visible_instructions(request.user).filter(pk=instruction.pk)
    )[0]
    tasks = (
        policy.visible_tasks(request.user)
        .filter(source_id=instruction.source_id)
        .select_related("lead_unit")
        .order_by("path")
    )
    reports = list(
        instruction.reports.select_related("reported_by").order_by("-reported_at", "-id")
    )
    for report in reports:
        report.instruction = instruction
        report.can_read = policy.can_read_report(request.user, report)
    return render(
        request,
        "meetings/instruction_detail.html",
        {
            "instruction": row,
            "tasks": tasks,
            "reports": reports,
            "read_form": ReadForm(),
            "can_manage": policy.allowed(request.user, "instruction.manage"),
        },
    )


@rule("instruction.manage")
@require_http_methods(["GET", "POST"])
def instruction_report(request, pk: int):
    instruction = policy.get_instruction_for_user(request.user, pk, "instruction.manage")
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.instruction_report(
                    actor=request.user, instruction=instruction, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("办理情况已报告%(leader)s。") % {"leader": instruction.leader.display_name},
                )
                return redirect("meetings:instruction_detail", pk=instruction.pk)
    else:
        form = ReportForm(initial={"text": services.instruction_report_draft(instruction)})
    has_tasks = services.instruction_tasks(instruction).exists()
    return render(
        request,
        "meetings/report_form.html",
        {"instruction": instruction, "form": form, "has_tasks": has_tasks},
    )


@rule("instruction.list")
@require_POST
def report_read(request, pk: int):
    """已阅: the leader who wrote the instruction reads a report (optional comment)."""
    report = InstructionReport.objects.select_related("instruction").filter(pk=pk).first()
    if report is None:
        raise Http404(_("办理情况报告不存在。"))
    instruction = policy.get_instruction_for_user(request.user, report.instruction_id)
    form = ReadForm(request.POST)
    form.is_valid()
    services.instruction_report_read(
        actor=request.user, report=report, comment=form.cleaned_data.get("comment", "")
    )
    messages.success(request, _("已阅。"))
    return redirect("meetings:instruction_detail", pk=instruction.pk)


@rule("instruction.list")
@require_GET
def instruction_file(request, pk: int):
    instruction = policy.get_instruction_for_user(request.user, pk)
    if not instruction.doc_file:
        raise Http404(_("附件不存在。"))
    instruction.original_name = instruction.doc_file_name or instruction.doc_file.name
    instruction.file = instruction.doc_file
    return uploaded_file_response(
        instruction, actor=request.user, action="instruction.file_download"
    )
