"""Forms of 政策体系: a policy, its deliverables (rows of a small grid), a goal link, a
change of status."""

from __future__ import annotations

import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from luoshi.org.services import UnitNameIndex
from luoshi.policies.models import Policy, PolicyLevel, PolicyStatus
from luoshi.policies.services import DeliverableRow
from luoshi.tasks.forms.units import UnitNameField
from luoshi.tasks.forms.widgets import date_field

DEFAULT_ROWS = 3
MAX_ROWS = 50
ROW_KEY = re.compile(r"^d(\d{1,3})-")


class PolicyForm(forms.Form):
    """The policy's own fields (services.policy_create / policy_update)."""

    title = forms.CharField(
        label=gettext_lazy("政策名称"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写政策名称。")},
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("如：关于支持中小企业发展的若干措施")}
        ),
    )
    doc_number = forms.CharField(
        label=gettext_lazy("文号"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：示政发〔2026〕5号")}),
    )
    issuer = forms.CharField(label=gettext_lazy("发文机关"), max_length=100, required=False)
    issued_on = date_field(gettext_lazy("发布日期"), required=True)
    level = forms.ChoiceField(
        label=gettext_lazy("政策层级"), choices=PolicyLevel.choices, initial=PolicyLevel.CITY
    )
    category = forms.CharField(
        label=gettext_lazy("政策类别"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：产业发展、民生保障")}),
    )
    summary = forms.CharField(
        label=gettext_lazy("主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    valid_from = date_field(gettext_lazy("有效期起"))
    valid_to = date_field(gettext_lazy("有效期止"))
    file = forms.FileField(
        label=gettext_lazy("政策文件"),
        required=False,
        help_text=gettext_lazy(".docx 或 .pdf"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.doc,.wps,.ofd"}),
    )


class DeliverableForm(forms.Form):
    """One promise of the policy (one row of the grid)."""

    promise = forms.CharField(
        label=gettext_lazy("兑现事项"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": gettext_lazy("如：对符合条件的企业给予一次性奖补50万元"),
            }
        ),
    )
    lead_unit = UnitNameField(label=gettext_lazy("牵头单位"), required=False)
    due = date_field(gettext_lazy("兑现时限"))
    ongoing = forms.BooleanField(label=gettext_lazy("长期坚持"), required=False)
    indicator_name = forms.CharField(
        label=gettext_lazy("量化指标"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：奖补企业数")}),
    )
    measure_unit = forms.CharField(
        label=gettext_lazy("计量单位"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("家")}),
    )
    target = forms.DecimalField(
        label=gettext_lazy("目标值"),
        max_digits=16,
        decimal_places=2,
        required=False,
        error_messages={"invalid": gettext_lazy("目标值须为数字。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # a grid has no <label>s: name each cell
            field.widget.attrs.setdefault("aria-label", field.label)

    def is_blank(self) -> bool:
        data = self.data
        return not any(
            (data.get(self.add_prefix(name)) or "").strip()
            for name in ("promise", "lead_unit", "due", "indicator_name", "target")
        )

    def row(self) -> DeliverableRow:
        c = self.cleaned_data
        return DeliverableRow(
            promise=c.get("promise") or "",
            lead_unit=c.get("lead_unit"),
            due=c.get("due"),
            ongoing=bool(c.get("ongoing")),
            indicator_name=c.get("indicator_name") or "",
            measure_unit=c.get("measure_unit") or "",
            target=c.get("target"),
        )


class DeliverableGrid:
    """The rows of deliverables on the register and add pages. Blank rows are skipped."""

    def __init__(self, data: QueryDict | None = None):
        self.errors: list[str] = []
        n = DEFAULT_ROWS
        if data is not None:
            # as many rows as were posted (rows added with 再加一行 are numbered on)
            indices = {int(m.group(1)) for key in data if (m := ROW_KEY.match(key))}
            n = min(max(indices, default=DEFAULT_ROWS - 1) + 1, MAX_ROWS)
        index = UnitNameIndex()
        self.forms = [DeliverableForm(data, prefix=f"d{i}") for i in range(n)]
        for form in self.forms:
            form.fields["lead_unit"].index = index

    def filled(self) -> list[DeliverableForm]:
        return [f for f in self.forms if not f.is_blank()]

    def is_valid(self) -> bool:
        ok = True
        for form in self.filled():
            ok = form.is_valid() and ok
        return ok

    @property
    def rows(self) -> list[DeliverableRow]:
        return [f.row() for f in self.filled()]

    def add_service_errors(self, exc) -> None:
        """Put "rowN" messages of the service on the Nth filled row."""
        filled = self.filled()
        for key, messages in exc.message_dict.items():
            if key.startswith("row") and key[3:].isdigit() and int(key[3:]) <= len(filled):
                for message in messages:
                    filled[int(key[3:]) - 1].add_error(None, message)
            else:
                self.errors.extend(messages)


class GoalLinkForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=gettext_lazy("服务目标"),
        queryset=None,
        empty_label=gettext_lazy("（请选择目标）"),
        error_messages={
            "required": gettext_lazy("请选择目标。"),
            "invalid_choice": gettext_lazy("所选目标不存在或不能关联。"),
        },
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=PolicyStatus.choices)
    superseded_by = forms.ModelChoiceField(
        label=gettext_lazy("修订后的政策"),
        queryset=Policy.objects.none(),
        required=False,
        empty_label=gettext_lazy("（无）"),
        error_messages={"invalid_choice": gettext_lazy("所选政策不存在。")},
    )
    note = forms.CharField(label=gettext_lazy("状态说明"), max_length=200, required=False)

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superseded_by"].queryset = Policy.objects.exclude(pk=policy.pk).order_by(
            "-issued_on"
        )
