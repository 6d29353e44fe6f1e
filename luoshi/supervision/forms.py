"""Forms of the supervision pages. They read the input; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.reports.forms import AttachmentsField, WithAttachments
from luoshi.supervision.models import (
    OFFSET_MAX,
    OFFSET_MIN,
    Recipient,
    RecordKind,
    RelativeTo,
    StepAction,
)
from luoshi.tasks.forms.widgets import date_field


class UrgeForm(forms.Form):
    message = forms.CharField(
        label=_("催办内容"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写催办内容。"),
            "max_length": _("催办内容不能超过 1000 个字。"),
        },
    )


class NoticeForm(forms.Form):
    content = forms.CharField(
        label=_("督办内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("请填写督办内容。")},
    )
    reply_by = date_field(_("回复期限"), required=False, help_text=_("须为今天以后的工作日"))
    copy_units = forms.MultipleChoiceField(
        label=_("抄送配合单位"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("抄送单位须为该任务的配合单位。")},
    )

    def __init__(self, *args, co_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_units"].choices = [(str(u.pk), u.display_name) for u in co_units]
        if not co_units:
            del self.fields["copy_units"]


class ReplyForm(WithAttachments, forms.Form):
    text = forms.CharField(
        label=_("回复内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("办理情况、存在问题和下步措施"),
        error_messages={"required": _("请填写回复内容。")},
    )
    files = AttachmentsField(label=_("附件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_attachments_help()


class CloseForm(forms.Form):
    comment = forms.CharField(
        label=_("办结意见（可不填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("办结意见不能超过 1000 个字。")},
    )


class RecordForm(WithAttachments, forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=RecordKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择约谈或实地核查。"),
            "invalid_choice": _("请选择约谈或实地核查。"),
        },
    )
    held_on = date_field(_("日期"), required=True)
    place = forms.CharField(label=_("地点"), required=False, max_length=200)
    participants = forms.CharField(
        label=_("参加人员"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写参加人员。")},
    )
    content = forms.CharField(
        label=_("主要内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写主要内容。")},
    )
    files = AttachmentsField(label=_("附件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_attachments_help()


class RuleForm(forms.Form):
    """One rung of the ladder for a category. The offset is checked by the service (so an
    API client is held to the same rule); here it is only read."""

    category = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    relative_to = forms.ChoiceField(
        label=_("起算"),
        choices=RelativeTo.choices,
        error_messages={
            "required": _("请选择按完成时限还是按填报期限起算。"),
            "invalid_choice": _("请选择按完成时限还是按填报期限起算。"),
        },
    )
    step = forms.CharField(
        label=_("步骤代码"),
        max_length=30,
        help_text=_("小写字母、数字和下划线，如 remind_early"),
        error_messages={
            "required": _("请填写步骤代码。"),
            "max_length": _("步骤代码不超过 30 个字符。"),
        },
    )
    offset = forms.CharField(
        label=_("工作日偏移"),
        widget=forms.NumberInput(attrs={"min": OFFSET_MIN, "max": OFFSET_MAX, "step": 1}),
        error_messages={"required": _("请填写偏移天数。")},
    )
    repeat_daily = forms.BooleanField(label=_("此后每个工作日重复"), required=False)
    action = forms.ChoiceField(
        label=_("动作"),
        choices=StepAction.choices,
        error_messages={
            "required": _("请选择要执行的动作。"),
            "invalid_choice": _("请选择要执行的动作。"),
        },
    )
    recipients = forms.MultipleChoiceField(
        label=_("通知对象"),
        required=False,
        choices=Recipient.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("通知对象“%(value)s”无法识别。")},
    )
    enabled = forms.BooleanField(label=_("启用"), required=False)
