"""Forms of the public clue pages and of the office's triage. The forms check input; the
services (luoshi.clues.services) decide."""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from luoshi.clues import captcha
from luoshi.clues.conf import conf
from luoshi.clues.models import Clue, ClueCategory
from luoshi.org.models import Unit

FORM_SALT = "luoshi.clues.form"
FORM_MAX_AGE = 6 * 3600


def _now() -> float:
    return time.time()


def form_stamp() -> str:
    """When the form was served, signed: the minimum fill time is measured from it."""
    return signing.dumps(_now(), salt=FORM_SALT)


class SubmitForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_lazy("线索类别"),
        queryset=ClueCategory.objects.filter(active=True),
        empty_label=_lazy("请选择"),
        error_messages={
            "required": _lazy("请选择线索类别。"),
            "invalid_choice": _lazy("请选择列表中的线索类别。"),
        },
    )
    place = forms.CharField(
        label=_lazy("地点"),
        max_length=200,
        help_text=_lazy("问题发生的地方，如某区某街道某小区。"),
        error_messages={
            "required": _lazy("请填写问题发生的地点。"),
            "max_length": _lazy("地点不能超过 200 个字。"),
        },
    )
    unit = forms.ModelChoiceField(
        label=_lazy("涉及单位（可不选）"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        required=False,
        empty_label=_lazy("不清楚 / 不选"),
        error_messages={"invalid_choice": _lazy("请选择列表中的单位。")},
    )
    text = forms.CharField(
        label=_lazy("线索内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=True,
        error_messages={"required": _lazy("请填写线索内容。")},
    )
    photo = forms.FileField(
        label=_lazy("照片（可不传）"),
        required=False,
        help_text=_lazy("JPEG、PNG 或 WebP，不超过 8 MB；照片中的位置等信息会被清除。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    contact = forms.CharField(
        label=_lazy("联系电话（可不填）"),
        required=False,
        max_length=30,
        help_text=_lazy("仅督查室工作人员可见，用于核实情况。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": _lazy("联系电话不能超过 30 个字符。")},
    )
    # Honeypot: hidden from people by the stylesheet, filled by naive bots.
    website = forms.CharField(
        label=_lazy("网址（请勿填写）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha_answer = forms.CharField(
        label=_lazy("验证码"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("至少 %(low)d 字，至多 %(high)d 字。") % {
            "low": conf("CLUE_TEXT_MIN"),
            "high": conf("CLUE_TEXT_MAX"),
        }
        self.fields["text"].max_length = None  # the service checks the length, in Chinese

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交未通过校验，请刷新页面后重新填写。"))
        try:
            started = float(
                signing.loads(data.get("started") or "", salt=FORM_SALT, max_age=FORM_MAX_AGE)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("页面已过期或不完整，请重新填写后提交。")) from None
        if _now() - started < conf("CLUE_MIN_FILL_SECONDS"):
            raise forms.ValidationError(_("提交过快，请检查填写的内容后再提交。"))
        if conf("CLUE_CAPTCHA"):
            if not (data.get("captcha_answer") or "").strip():
                self.add_error("captcha_answer", _("请输入验证码。"))
            else:
                try:
                    captcha.verify(data.get("captcha_token") or "", data["captcha_answer"])
                except captcha.CaptchaError as exc:
                    self.add_error("captcha_answer", str(exc))
        return data


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_lazy("回执码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX-XXXX-XXXX",
            }
        ),
        error_messages={
            "required": _lazy("请输入回执码。"),
            "max_length": _lazy("回执码有误，请核对后重新输入。"),
        },
    )


# --- the office ---------------------------------------------------------------------------------


class AcceptTaskForm(forms.Form):
    lead_unit = forms.ModelChoiceField(
        label=_lazy("牵头单位"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        error_messages={
            "required": _lazy("请选择牵头单位。"),
            "invalid_choice": _lazy("请选择列表中的单位。"),
        },
    )
    due = forms.DateField(
        label=_lazy("完成时限"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _lazy("请填写完成时限。"), "invalid": _lazy("日期格式不对。")},
    )
    title = forms.CharField(
        label=_lazy("任务名称（可不填）"),
        required=False,
        max_length=300,
        help_text=_lazy("不填时用“类别：地点”。"),
    )
    assign = forms.BooleanField(label=_lazy("立即交办"), required=False, initial=True)


class InspectionForm(forms.Form):
    inspection = forms.ModelChoiceField(
        label=_lazy("督查活动"),
        queryset=None,
        error_messages={
            "required": _lazy("请选择督查活动。"),
            "invalid_choice": _lazy("请选择列表中的督查活动（已完结的不能转入）。"),
        },
    )

    def __init__(self, *args, **kwargs):
        from luoshi.campaigns.models import Inspection
        from luoshi.campaigns.models.inspections import InspectionState

        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.exclude(
            state=InspectionState.FINISHED
        ).order_by("-year", "-id")


class MergeForm(forms.Form):
    primary = forms.CharField(
        label=_lazy("并入线索编号"),
        max_length=20,
        help_text=_lazy("如 XS000012"),
        error_messages={"required": _lazy("请填写要并入的线索编号。")},
    )

    def __init__(self, *args, visible=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible = visible if visible is not None else Clue.objects.none()

    def clean_primary(self):
        raw = self.cleaned_data["primary"].strip().upper().removeprefix("XS")
        if not raw.isdigit():
            raise forms.ValidationError(_("线索编号格式不对，应为 XS 加数字，如 XS000012。"))
        clue = self.visible.filter(pk=int(raw)).first()
        if clue is None:
            raise forms.ValidationError(_("没有这个编号的线索。"))
        return clue


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("不予受理理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("将在查询页向提交人公开。"),
        error_messages={"required": _lazy("请填写不予受理的理由（将向提交人公开）。")},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_lazy("答复内容"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("将在查询页向提交人公开。"),
        error_messages={"required": _lazy("请填写答复内容。")},
    )


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_lazy("类别名称"),
        max_length=40,
        error_messages={
            "required": _lazy("请填写类别名称。"),
            "max_length": _lazy("类别名称不能超过 40 个字。"),
        },
    )


class ClueFilter:
    """The list's filters from the query string; bad values are ignored."""

    def __init__(self, query):
        from luoshi.clues.models import ClueState

        self.state = query.get("state", "")
        if self.state not in ClueState.values:
            self.state = ""
        self.category = query.get("category", "")
        self.category = int(self.category) if self.category.isdigit() else None
        self.q = (query.get("q") or "").strip()[:100]
        self.date_from = self._date(query.get("date_from"))
        self.date_to = self._date(query.get("date_to"))

    @staticmethod
    def _date(value):
        field = forms.DateField(required=False)
        try:
            return field.clean(value)
        except forms.ValidationError:
            return None
