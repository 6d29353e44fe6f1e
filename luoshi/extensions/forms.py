"""申请延期 and its decision (同意 / 不同意)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.extensions.services import REASON_MAX
from luoshi.tasks.forms.widgets import date_field


class ExtensionRequestForm(forms.Form):
    new_due = date_field(_("申请延至"), required=True, help_text=_("须晚于当前完成时限"))
    reason = forms.CharField(
        label=_("延期理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说明为什么不能按期完成、已做了什么、延期后如何保证完成"),
        error_messages={
            "required": _("请填写延期理由。"),
            "max_length": _("延期理由不能超过 %(limit_value)d 字。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_due"].error_messages["required"] = _("请填写申请延至的日期。")


APPROVE = "approve"
REFUSE = "refuse"


class DecisionForm(forms.Form):
    """同意 or 不同意 (the button pressed), with a comment; 不同意 needs one (the service
    says so)."""

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("同意")), (REFUSE, _("不同意"))],
        error_messages={
            "required": _("请选择同意或不同意。"),
            "invalid_choice": _("请选择同意或不同意。"),
        },
    )
    comment = forms.CharField(
        label=_("审批意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不同意时必填"),
        error_messages={"max_length": _("审批意见不能超过 %(limit_value)d 字。")},
    )
