"""工作日历: a year as 12 month grids; the system administrator corrects single dates."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import rule
from luoshi.lib import clock
from luoshi.workcal.forms import FIRST_YEAR, LAST_YEAR, CalendarClearForm, CalendarDayForm
from luoshi.workcal.grid import package_knows, year_grid
from luoshi.workcal.models import CalendarDay, DayKind
from luoshi.workcal.services import calendar_day_clear, calendar_day_set


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def _page(request, year: int, form: CalendarDayForm, status: int = 200):
    today = clock.today()
    context = {
        "year": year,
        "months": year_grid(year, today=today),
        "known": package_knows(year),
        "overrides": CalendarDay.objects.filter(date__year=year).select_related("updated_by"),
        "form": form,
        "can_edit": policy.allowed(request.user, "calendar.edit"),
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
    }
    return render(request, "workcal/calendar.html", context, status=status)


def _back(year: int, day=None):
    url = f"{reverse('workcal:calendar')}?year={year}"
    return redirect(f"{url}#m{day.month}" if day else url)


@rule("calendar.view")
@require_safe
def calendar_page(request):
    today = clock.today()
    year = _year(request.GET.get("year"), today.year)
    initial = {}
    picked = CalendarClearForm(request.GET) if "date" in request.GET else None
    if picked is not None and picked.is_valid():
        day = picked.cleaned_data["date"]
        override = CalendarDay.objects.filter(date=day).first()
        initial = {
            "date": day,
            "kind": override.kind if override else "",
            "note": override.note if override else "",
        }
    return _page(request, year, CalendarDayForm(initial=initial))


@rule("calendar.edit")
@require_POST
def day_set(request):
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["date"]
        entry = calendar_day_set(
            actor=request.user,
            day=day,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"].strip(),
        )
        if entry.kind == DayKind.WORKDAY:
            done = _("%(date)s 已设为工作日。")
        else:
            done = _("%(date)s 已设为休息日。")
        messages.success(request, done % {"date": day.isoformat()})
        return _back(day.year, day)
    year = _year(request.POST.get("year"), clock.today().year)
    return _page(request, year, form)


@rule("calendar.edit")
@require_POST
def day_clear(request):
    form = CalendarClearForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["date"]
        if calendar_day_clear(actor=request.user, day=day):
            messages.success(
                request,
                _("已清除 %(date)s 的调整，恢复国家规定的安排。") % {"date": day.isoformat()},
            )
        else:
            messages.info(request, _("%(date)s 没有调整，无需清除。") % {"date": day.isoformat()})
        return _back(day.year, day)
    year = _year(request.POST.get("year"), clock.today().year)
    page_form = CalendarDayForm(request.POST)
    page_form.is_valid()
    return _page(request, year, page_form)
