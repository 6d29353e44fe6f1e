from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.forms.widgets import date_field
from luoshi.tasks.models import SourceKind


class SourceForm(forms.Form):
    """任务来源: the fields of tasks.services.sources.source_create."""

    kind = forms.ChoiceField(label=_("来源类型"), choices=SourceKind.choices)
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        error_messages={"required": _("请填写来源标题。")},
        widget=forms.TextInput(attrs={"placeholder": _("如：2026年市政府工作报告")}),
    )
    code = forms.CharField(
        label=_("来源编号"),
        max_length=40,
        required=False,
        help_text=_("留空则自动编号（如 2026-ZD），任务编号以它为前缀"),
    )
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issued_on = date_field(_("日期"))
    issuer = forms.CharField(label=_("发文单位/批示领导"), max_length=100, required=False)
    content = forms.CharField(
        label=_("内容摘要"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
