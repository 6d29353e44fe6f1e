"""填报 (progress report) form, and the multi-file field shared with 申请办结."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from luoshi.lib.i18n import join_list
from luoshi.reports.attachments import MAX_FILES, attachments_validate
from luoshi.tasks.models import Indicator


def attachments_help() -> str:
    conf = settings.LUOSHI
    return ngettext(
        "可选多个文件（最多 %(n)d 个），每个不超过 %(size)s；类型：%(types)s",
        "可选多个文件（最多 %(n)d 个），每个不超过 %(size)s；类型：%(types)s",
        MAX_FILES,
    ) % {
        "n": MAX_FILES,
        "size": filesizeformat(conf["ATTACHMENT_MAX_BYTES"]),
        "types": join_list(conf["ATTACHMENT_EXTENSIONS"]),
    }


class WithAttachments:
    """Forms with a `files` field: its help text states today's limits."""

    def set_attachments_help(self) -> None:
        self.fields["files"].help_text = attachments_help()


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input. Checked by reports.attachments (type, size, content)."""

    def __init__(self, **kwargs):
        extensions = settings.LUOSHI["ATTACHMENT_EXTENSIONS"]
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in extensions)}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        attachments_validate(files)  # names every refused file, in Chinese
        single = super().clean
        return [single(f, initial) for f in files]


class ReportForm(WithAttachments, forms.Form):
    """进展反馈: 工作进展, 存在问题, 下步计划, 完成进度, the lead unit's indicator values and
    attachments."""

    progress_text = forms.CharField(
        label=_("工作进展"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写工作进展。")},
    )
    problems = forms.CharField(
        label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("下步计划"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    percent = forms.IntegerField(
        label=_("完成进度（%）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100, "step": 1}),
        error_messages={
            "required": _("请填写完成进度。"),
            "invalid": _("完成进度须为 0 到 100 之间的整数。"),
            "min_value": _("完成进度须在 0 到 100 之间。"),
            "max_value": _("完成进度须在 0 到 100 之间。"),
        },
    )
    files = AttachmentsField(label=_("附件"))
    # One-time token of this form (see report_submit): checked by the service.
    submit_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicators: list[Indicator] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submit_key", uuid.uuid4().hex)
        self.set_attachments_help()
        self.indicator_names = []
        for indicator in indicators:
            name = f"indicator_{indicator.pk}"
            label = indicator.name
            if indicator.measure_unit:
                label = _("%(name)s（%(detail)s）") % {
                    "name": indicator.name,
                    "detail": indicator.measure_unit,
                }
            self.fields[name] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=16,
                decimal_places=2,
                help_text=_("目标 %(target)s，当前 %(current)s")
                % {
                    "target": _number(indicator.target),
                    "current": _number(indicator.current) if indicator.current is not None else "—",
                },
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                error_messages={
                    "invalid": _("请填写数字。"),
                    "max_digits": _("数字太大。"),
                    "max_whole_digits": _("数字太大。"),
                    "max_decimal_places": _("最多两位小数。"),
                },
            )
            self.indicator_names.append(name)

    def indicator_fields(self):
        return [self[name] for name in self.indicator_names]

    def indicator_values(self) -> dict[int, Decimal]:
        return {
            int(name.split("_", 1)[1]): self.cleaned_data[name]
            for name in self.indicator_names
            if self.cleaned_data.get(name) is not None
        }


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"
