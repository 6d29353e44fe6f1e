"""安排回头看, the lead unit's answer, and the office's verdict."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.rechecks.services import TEXT_MAX
from luoshi.reports.forms import AttachmentsField, WithAttachments
from luoshi.tasks.forms.widgets import date_field

WHEN_3 = "3"
WHEN_6 = "6"
WHEN_DATE = "date"


class ScheduleForm(forms.Form):
    when = forms.ChoiceField(
        label=_("回头看时间"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择回头看时间：3个月后、6个月后或指定日期。"),
            "invalid_choice": _("请选择回头看时间：3个月后、6个月后或指定日期。"),
        },
    )
    due_on = date_field(_("指定日期"), help_text=_("选“指定日期”时填写"))
    note = forms.CharField(
        label=_("回头看要求"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("要看什么，例如：整改成果是否保持、长效机制是否运行"),
    )

    def __init__(self, *args, after_3=None, after_6=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].choices = [
            (WHEN_3, _("3个月后（%(date)s）") % {"date": after_3.isoformat()}),
            (WHEN_6, _("6个月后（%(date)s）") % {"date": after_6.isoformat()}),
            (WHEN_DATE, _("指定日期")),
        ]

    def clean(self):
        data = super().clean()
        missing = data.get("when") == WHEN_DATE and not data.get("due_on")
        if missing and "due_on" not in self.errors:
            self.add_error("due_on", _("请填写回头看日期。"))
        return data

    def schedule_args(self) -> dict:
        when = self.cleaned_data["when"]
        if when == WHEN_DATE:
            return {"due_on": self.cleaned_data["due_on"]}
        return {"months": int(when)}


class AnswerForm(WithAttachments, forms.Form):
    answer = forms.CharField(
        label=_("落实情况"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("说明办结成果是否持续有效，并附上佐证材料"),
        error_messages={
            "required": _("请填写落实情况。"),
            "max_length": _("落实情况不能超过 %(limit_value)d 字。"),
        },
    )
    files = AttachmentsField(label=_("佐证材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_attachments_help()


CONFIRM = "confirm"
FAIL = "fail"


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=[(CONFIRM, _("通过")), (FAIL, _("不通过"))],
        error_messages={
            "required": _("请选择通过或不通过。"),
            "invalid_choice": _("请选择通过或不通过。"),
        },
    )
    comment = forms.CharField(
        label=_("核验意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不通过时必填；任务将重新办理"),
        error_messages={"max_length": _("核验意见不能超过 %(limit_value)d 字。")},
    )
    due = date_field(_("整改完成时限"), help_text=_("不通过时可填：重新办理的完成时限，须晚于今天"))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消理由"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：任务已纳入新的督查事项、成果已由其他检查确认"),
        error_messages={
            "required": _("请填写取消理由。"),
            "max_length": _("取消理由不能超过 %(limit_value)d 字。"),
        },
    )
