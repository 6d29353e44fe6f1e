"""审计日志 for the audit administrator: the events, newest first, filtered by who, what,
when, from where, on what and with what result; one event's detail (data, hashes); the
filtered list exported to xlsx (watermarked, itself audited). Nothing here changes or
removes a row."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from luoshi.access.views import rule
from luoshi.audit import chain
from luoshi.audit.exports import EXPORT_MAX_ROWS, XLSX, events_workbook
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_log, audit_verify, chain_fields

PAGE_SIZE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        required=False,
        max_length=150,
        label=_("操作人"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名或登录名")}),
    )
    action = forms.CharField(
        required=False,
        max_length=64,
        label=_("操作"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如 task. 或 org.user")}),
    )
    date_from = forms.DateField(required=False, label=_("日期自"), widget=DATE_INPUT)
    date_to = forms.DateField(required=False, label=_("日期至"), widget=DATE_INPUT)
    ip = forms.CharField(
        required=False,
        max_length=45,
        label=_("来源地址"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如 10.1.")}),
    )
    obj = forms.CharField(
        required=False,
        max_length=200,
        label=_("对象"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("名称、类型或 类型#编号")}
        ),
    )
    result = forms.ChoiceField(
        required=False,
        label=_("结果"),
        choices=[("", _("全部")), ("success", _("成功")), ("failure", _("失败"))],
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data


# A failed or refused attempt: recorded with result="failure" (audit_log), or named so by
# its action (auth.login_failed, audit.verify_failed, … *.denied).
FAILURE = (
    (Q(data__has_key="result") & Q(data__result="failure"))
    | Q(action__endswith="_failed")
    | Q(action__endswith=".failed")
    | Q(action__endswith=".denied")
)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_events(data: dict) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    actor = (data.get("actor") or "").strip()
    if actor:
        events = events.filter(
            Q(actor_name__icontains=actor)
            | Q(actor__username__icontains=actor)
            | Q(actor__full_name__icontains=actor)
        )
    action = (data.get("action") or "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if data.get("date_from"):
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    ip = (data.get("ip") or "").strip()
    if ip:
        events = events.filter(ip__startswith=ip)
    obj = (data.get("obj") or "").strip()
    if obj:
        kind, sep, ident = obj.partition("#")
        if sep and ident.strip():
            events = events.filter(object_type__icontains=kind.strip(), object_id=ident.strip())
        else:
            events = events.filter(
                Q(object_repr__icontains=obj) | Q(object_type__icontains=obj) | Q(object_id=obj)
            )
    if data.get("result") == "failure":
        events = events.filter(FAILURE)
    elif data.get("result") == "success":
        events = events.exclude(FAILURE)
    return events


@rule("audit.view")
@require_safe
def audit_log_list(request):
    form = AuditFilterForm(request.GET)
    events = filter_events(form.cleaned_data) if form.is_valid() else AuditEvent.objects.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        # (key, value) pairs made here: in a template `data.items` would read a key "items"
        event.data_pairs = list(event.data.items()) if isinstance(event.data, dict) else []
    context = {"form": form, "page": page}
    if request.GET.get("verify") == "1":
        context["broken"] = audit_verify()
        context["verified"] = True
    return render(request, "audit/log.html", context)


@rule("audit.view")
@require_safe
def audit_event_detail(request, pk: int):
    event = get_object_or_404(AuditEvent.objects.select_related("actor"), pk=pk)
    context = {
        "event": event,
        "data_json": json.dumps(event.data, ensure_ascii=False, indent=2, sort_keys=True),
        "hash_ok": chain.row_hash(chain_fields(event)) == event.hash,
    }
    return render(request, "audit/event.html", context)


@rule("audit.view")
@require_safe
def audit_log_export(request):
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, gettext("筛选条件有误，未导出：%(p)s") % {"p": problems})
        return redirect("audit:log")
    events = filter_events(form.cleaned_data)
    total = events.count()
    if total > EXPORT_MAX_ROWS:
        messages.error(
            request,
            gettext(
                "符合条件的记录有 %(n)s 条，超过一次导出的上限 %(max)s 条；"
                "请缩小范围，或由运维人员用 luoshi audit export 归档。"
            )
            % {"n": total, "max": EXPORT_MAX_ROWS},
        )
        return redirect(reverse("audit:log") + "?" + request.GET.urlencode())
    content = events_workbook(events, user=request.user)
    filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    audit_log(
        actor=request.user,
        action="audit.export",
        data={"via": "page", "format": "xlsx", "filters": filters, "count": total},
    )
    filename = quote(f"审计日志-{timezone.localtime():%Y%m%d-%H%M}.xlsx")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response
