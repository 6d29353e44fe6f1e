"""A task's own fields (create and edit), with time nodes and indicators on create."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Role, Unit, User
from luoshi.org.services import UnitNameIndex
from luoshi.tasks.forms.units import UnitMultipleField, UnitNameField, active_units
from luoshi.tasks.forms.widgets import date_field
from luoshi.tasks.models import AssignmentRole, Priority, ReportCycle, Source, Task, TaskState


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        extra = obj.title or (obj.unit.display_name if obj.unit_id else "")
        if not extra:
            return obj.display_name
        return _("%(name)s（%(detail)s）") % {"name": obj.display_name, "detail": extra}


def leaders() -> Any:
    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("full_name", "username")


def unit_people(unit: Unit | None) -> Any:
    if unit is None:
        return User.objects.none()
    return User.objects.filter(unit=unit, is_active=True).order_by("full_name", "username")


class TaskForm(forms.Form):
    """The fields of tasks.services.editing.task_create / task_update."""

    title = forms.CharField(
        label=_("任务名称"),
        max_length=300,
        error_messages={"required": _("请填写任务名称。")},
    )
    content = forms.CharField(
        label=_("具体内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.CharField(
        label=_("类别"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"list": "task-categories", "autocomplete": "off"}),
    )
    priority = forms.ChoiceField(label=_("优先级"), choices=Priority.choices)
    lead_leader = PersonChoiceField(
        label=_("牵头领导"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("（未指定）"),
        error_messages={"invalid_choice": _("所选牵头领导不存在或不是领导。")},
    )
    lead_unit = UnitNameField(
        label=_("牵头单位"),
        required=False,
        help_text=_("输入单位全称、简称或别名，从列表中选择"),
    )
    co_units = UnitMultipleField(
        label=_("配合单位"),
        units=[],
        help_text=_("可多选：点一下选中，再点一下取消；可输入文字筛选"),
    )
    owner = PersonChoiceField(
        label=_("责任人"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("（未指定）"),
        help_text=_("牵头单位的人员"),
        error_messages={"invalid_choice": _("责任人必须是牵头单位的人员。")},
    )
    start_date = date_field(_("开始日期"), help_text=_("留空则以交办日期为准"))
    due = date_field(_("完成时限"))
    ongoing = forms.BooleanField(label=_("长期坚持"), required=False)
    due_text = forms.CharField(
        label=_("时限原文"),
        max_length=100,
        required=False,
        help_text=_("文件中的原话，如“6月底前”“持续推进”"),
    )
    report_cycle = forms.ChoiceField(
        label=_("反馈周期"), choices=ReportCycle.choices, initial=ReportCycle.MONTHLY
    )
    report_day = forms.IntegerField(
        label=_("每月报送日"),
        required=False,
        min_value=1,
        max_value=28,
        help_text=_("反馈周期为“每月N日前”时填写 1–28"),
        error_messages={
            "invalid": _("每月报送日须为 1 到 28 之间的整数。"),
            "min_value": _("每月报送日须为 1 到 28 之间的整数。"),
            "max_value": _("每月报送日须为 1 到 28 之间的整数。"),
        },
    )

    def __init__(
        self,
        data=None,
        *,
        task: Task | None = None,
        sources: QuerySet[Source] | None = None,
        initial=None,
        **kwargs,
    ):
        self.task = task
        if task is not None and initial is None:
            initial = task_initial(task)
        super().__init__(data, initial=initial, **kwargs)
        if sources is not None:
            self.fields["source"] = forms.ModelChoiceField(
                label=_("任务来源"),
                queryset=sources,
                empty_label=_("（请选择）"),
                error_messages={
                    "required": _("请选择任务来源。"),
                    "invalid_choice": _("任务来源不存在。"),
                },
            )
            self.order_fields(["source"])
        self.index = UnitNameIndex()
        self.fields["lead_unit"].index = self.index
        units = active_units()
        if task is not None:
            current = [a.unit for a in task.assignments.select_related("unit")]
            units += [u for u in current if not u.is_active]
        self.fields["co_units"] = UnitMultipleField(
            label=self.fields["co_units"].label,
            units=units,
            help_text=self.fields["co_units"].help_text,
        )
        self.fields["lead_leader"].queryset = leaders()
        lead_name = (
            self.data.get("lead_unit") if self.is_bound else (self.initial.get("lead_unit") or "")
        )
        self.lead_unit_guess = self.index.resolve(lead_name or "")
        if task is not None and task.state != TaskState.DRAFT:
            self.fields["lead_unit"].disabled = True
            self.fields["lead_unit"].help_text = _("任务已交办，不能更换牵头单位")
            self.lead_unit_guess = task.lead_unit
        self.fields["owner"].queryset = unit_people(self.lead_unit_guess).select_related("unit")
        if not self.fields["lead_unit"].disabled:
            # htmx: when the lead unit changes, fetch its people for 责任人.
            self.fields["lead_unit"].widget.attrs.update(
                {
                    "hx-get": reverse("tasks:owner_options"),
                    "hx-trigger": "change",
                    "hx-target": "#id_owner",
                    "hx-swap": "innerHTML",
                }
            )

    def clean(self):
        data = super().clean()
        if data.get("report_cycle") != ReportCycle.MONTHLY_DAY:
            data["report_day"] = None
        return data

    def service_fields(self) -> dict[str, Any]:
        """cleaned_data as the service takes it (co_units apart)."""
        data = dict(self.cleaned_data)
        data.pop("co_units", None)
        data.pop("source", None)
        if self.fields["lead_unit"].disabled:
            data.pop("lead_unit", None)
        return data


def task_initial(task: Task) -> dict[str, Any]:
    co = task.assignments.filter(role=AssignmentRole.CO).values_list("unit_id", flat=True)
    return {
        "title": task.title,
        "content": task.content,
        "category": task.category,
        "priority": task.priority,
        "lead_leader": task.lead_leader_id,
        "lead_unit": task.lead_unit.name if task.lead_unit_id else "",
        "co_units": [str(pk) for pk in co],
        "owner": task.owner_id,
        "start_date": task.start_date,
        "due": task.due,
        "ongoing": task.ongoing,
        "due_text": task.due_text,
        "report_cycle": task.report_cycle,
        "report_day": task.report_day,
    }


class MilestoneForm(forms.Form):
    """时间节点: one row; a blank row is ignored."""

    title = forms.CharField(label=_("节点内容"), max_length=200, required=False)
    due = date_field(_("节点时限"))
    target = forms.CharField(label=_("节点目标"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not self.has_changed():
            return data
        if not (data.get("title") or "").strip():
            self.add_error("title", _("请填写节点内容。"))
        if not data.get("due") and "due" not in self.errors:
            self.add_error("due", _("请填写节点时限。"))
        return data


def _decimal_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=16,
        decimal_places=2,
        error_messages={
            "invalid": _("请填写数字。"),
            "max_digits": _("数字太大。"),
            "max_decimal_places": _("最多两位小数。"),
            "max_whole_digits": _("数字太大。"),
        },
    )


class IndicatorForm(forms.Form):
    """量化指标: one row; a blank row is ignored."""

    name = forms.CharField(label=_("指标名称"), max_length=100, required=False)
    measure_unit = forms.CharField(label=_("计量单位"), max_length=20, required=False)
    baseline = _decimal_field(_("基期值"))
    target = _decimal_field(_("目标值"))

    def clean(self):
        data = super().clean()
        if not self.has_changed():
            return data
        if not (data.get("name") or "").strip():
            self.add_error("name", _("请填写指标名称。"))
        if data.get("target") is None and "target" not in self.errors:
            self.add_error("target", _("请填写目标值。"))
        return data


ROWS_STEP = 3
MAX_ROWS = 30
MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=ROWS_STEP, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)
IndicatorFormSet = forms.formset_factory(
    IndicatorForm, extra=ROWS_STEP, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)


def filled_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
