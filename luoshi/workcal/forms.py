from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.workcal.models import DayKind

FIRST_YEAR, LAST_YEAR = 2000, 2100


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {
        "invalid": _("日期格式不正确，请按 2026-10-08 的格式填写。"),
        "required": _("请填写日期。"),
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d", "%Y/%m/%d"], **kwargs)

    def clean(self, value) -> dt.date:
        day = super().clean(value)
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("日期须在 %(a)d 年到 %(b)d 年之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR}
            )
        return day


class CalendarDayForm(forms.Form):
    """Set one date as 工作日 or 休息日, with a note (an administrator's override)."""

    date = DayField(label=_("日期"))
    kind = forms.ChoiceField(
        label=_("设为"),
        choices=DayKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择工作日或休息日。"),
            "invalid_choice": _("请选择工作日或休息日。"),
        },
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：国务院办公厅通知调休")}),
    )


class CalendarClearForm(forms.Form):
    date = DayField(label=_("日期"))
