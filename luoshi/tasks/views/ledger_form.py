"""The ledger's filter bar: reads the GET parameters into a queries.LedgerFilter. A value that
does not parse is ignored rather than refused, so an old shared link still opens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.access import policy
from luoshi.lib.widgets import LongSelect
from luoshi.tasks import queries
from luoshi.tasks.models import AssignmentRole, Light, Priority, TaskState
from luoshi.tasks.queries import OPEN, LedgerFilter

LIGHT_CHOICES = [
    ("", _("全部亮灯")),
    ("red", _("红灯")),
    ("yellow", _("黄灯")),
    ("green", _("绿灯")),
    ("blue", _("蓝灯")),
    ("none", _("无")),
]
SORT_CHOICES = [
    (value, value)
    for key in ("code", "due", "light", "progress", "last_report")
    for value in (key, f"-{key}")
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TODO_CHOICES = [
    ("", _("全部")),
    ("ack", _("待签收")),
    ("report", _("待填报")),
    ("returned", _("被退回")),
]


class LedgerFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label=_("关键词"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("编号、名称或内容")}),
    )
    unit = forms.ModelChoiceField(queryset=None, required=False, label=_("单位"), widget=LongSelect)
    unit_role = forms.ChoiceField(
        required=False,
        label=_("承办方式"),
        choices=[("", _("牵头或配合")), *AssignmentRole.choices],
    )
    source = forms.ModelChoiceField(
        queryset=None, required=False, label=_("任务来源"), widget=LongSelect
    )
    light = forms.ChoiceField(required=False, label=_("亮灯"), choices=LIGHT_CHOICES)
    state = forms.ChoiceField(
        required=False,
        label=_("状态"),
        choices=[("", _("全部状态")), (OPEN, _("在办")), *TaskState.choices],
    )
    due_from = forms.DateField(required=False, label=_("时限自"), widget=DATE_INPUT)
    due_to = forms.DateField(required=False, label=_("时限至"), widget=DATE_INPUT)
    category = forms.ChoiceField(required=False, label=_("类别"), widget=LongSelect)
    priority = forms.ChoiceField(
        required=False, label=_("优先级"), choices=[("", _("全部")), *Priority.choices]
    )
    leader = forms.ModelChoiceField(
        queryset=None, required=False, label=_("牵头领导"), widget=LongSelect
    )
    todo = forms.ChoiceField(required=False, label=_("待办"), choices=TODO_CHOICES)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, data, *, user, choices: dict):
        super().__init__(data)
        self.fields["unit"].queryset = choices["units"]
        self.fields["unit"].empty_label = _("全部单位")
        self.fields["source"].queryset = choices["sources"]
        self.fields["source"].empty_label = _("全部来源")
        self.fields["leader"].queryset = choices["leaders"]
        self.fields["leader"].empty_label = _("全部领导")
        menus = queries.ledger_menus(user, choices)
        self.fields["category"].choices = [("", _("全部类别"))] + [
            (c, c) for c in menus["category"]
        ]
        if policy.is_unit_user(user):
            del self.fields["leader"]
        else:
            del self.fields["todo"]
        self.fields["unit"].label_from_instance = lambda unit: unit.display_name
        # the long menus from (id, label) rows, not model instances (a province has thousands
        # of units and sources); the fields still validate against their querysets
        for name in ("unit", "source", "leader"):
            if name in self.fields:
                field = self.fields[name]
                field.widget.choices = [("", field.empty_label), *menus[name]]

    def to_filter(self) -> LedgerFilter:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "light" in data and data["light"] != "none" and data["light"] not in Light.values:
            data.pop("light")
        return LedgerFilter(
            unit=data.get("unit"),
            unit_role=data.get("unit_role", ""),
            source=data.get("source"),
            light=data.get("light"),
            state=data.get("state", ""),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            q=data.get("q", "").strip(),
            category=data.get("category", ""),
            priority=data.get("priority", ""),
            leader=data.get("leader"),
            todo=data.get("todo", ""),
            sort=data.get("sort", "code"),
        )

    EXTRA = ("unit", "unit_role", "source", "category", "priority", "leader", "due_from", "due_to")

    @property
    def extra_active(self) -> bool:
        """Is a filter set that narrow screens fold away under 更多筛选?"""
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) not in (None, "") for name in self.EXTRA)

    @property
    def active_count(self) -> int:
        """How many filters are set (sort aside), to show "已筛选 N 项"."""
        if not hasattr(self, "cleaned_data"):
            return 0
        return sum(1 for k, v in self.cleaned_data.items() if k != "sort" and v not in (None, ""))
