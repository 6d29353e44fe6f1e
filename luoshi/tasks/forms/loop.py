"""The small forms of the loop: a reason (退回, 暂缓, 撤销), a closure request, a verdict."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.reports.forms import AttachmentsField, WithAttachments


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写理由。")},
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class ClosureRequestForm(WithAttachments, forms.Form):
    summary = forms.CharField(
        label=_("办结情况"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("说明完成了什么、达到了什么目标，并附上佐证材料"),
        error_messages={"required": _("请填写办结情况。")},
    )
    files = AttachmentsField(label=_("佐证材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_attachments_help()


class VerifyForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
