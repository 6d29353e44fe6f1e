"""审计日志 for the audit administrator: the events, newest first, filtered by who, what and
when. Read only; nothing here changes the log."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.access.views import rule
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_verify

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
    return events


@rule("audit.view")
def audit_log_list(request):
    form = AuditFilterForm(request.GET)
    form.is_valid()
    events = filter_events(form.cleaned_data)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    if request.GET.get("verify") == "1":
        context["broken"] = audit_verify()
        context["verified"] = True
    return render(request, "audit/log.html", context)
