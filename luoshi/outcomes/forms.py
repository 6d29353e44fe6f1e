"""Recording an outcome (表彰 / 领导表扬 / 通报批评 / 约谈 / 问责建议), revoking one, and the
list's filters."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luoshi.access import policy
from luoshi.org.models import Role, Unit, User
from luoshi.outcomes.models import OutcomeKind
from luoshi.outcomes.services import DOC_NUMBER_MAX, REASON_MAX, TEXT_MAX
from luoshi.tasks.forms.widgets import date_field


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        unit = obj.unit.display_name if obj.unit_id else ""
        parts = [obj.display_name, obj.title, unit]
        return " · ".join(p for p in parts if p)


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.display_name


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=OutcomeKind.choices,
        error_messages={
            "required": _("请选择记录类型：表彰、领导表扬、通报批评、约谈或问责建议。"),
            "invalid_choice": _("请选择记录类型：表彰、领导表扬、通报批评、约谈或问责建议。"),
        },
    )
    unit = _UnitChoice(
        label=_("单位"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("请选择单位。"),
            "invalid_choice": _("所选单位不存在或不在您的管辖范围内。"),
        },
    )
    cadre = _UserChoice(
        label=_("涉及干部"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("可不填；填写时须是该单位的人员，或该任务的责任人、牵头领导"),
        error_messages={"invalid_choice": _("所选干部不存在。")},
    )
    recorded_on = date_field(_("日期"), required=True)
    doc_number = forms.CharField(
        label=_("文号"),
        required=False,
        max_length=DOC_NUMBER_MAX,
        help_text=_("例如：市府办通〔2026〕5号"),
        error_messages={"max_length": _("文号不能超过 %(limit_value)d 字。")},
    )
    text = forms.CharField(
        label=_("事由"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("请填写事由。"),
            "max_length": _("事由不能超过 %(limit_value)d 字。"),
        },
    )
    talk_record = forms.ModelChoiceField(
        label=_("关联约谈记录"),
        required=False,
        queryset=None,
        help_text=_("类型为约谈时，可关联督办中已登记的约谈记录"),
        error_messages={"invalid_choice": _("所选约谈记录不属于该任务。")},
    )

    def __init__(self, *args, user: User, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        from luoshi.supervision.models import RecordKind, SupervisionRecord

        self.task = task
        if task is not None:
            unit_ids = set(task.assignments.values_list("unit_id", flat=True))
            if task.lead_unit_id:
                unit_ids.add(task.lead_unit_id)
            units = Unit.objects.filter(pk__in=unit_ids)
            people = Q(unit_id__in=unit_ids) | Q(pk__in=[task.owner_id, task.lead_leader_id])
            talks = policy.visible_supervision_records(
                user, task, SupervisionRecord.objects.filter(kind=RecordKind.TALK)
            )
            self.fields["talk_record"].queryset = talks
            self.fields["talk_record"].label_from_instance = lambda r: (
                f"{r.held_on:%Y-%m-%d} {r.content[:30]}"
            )
            if not talks.exists():
                del self.fields["talk_record"]
        else:
            scope = policy.scope_units(user)
            units = Unit.objects.filter(is_active=True) if scope is None else scope
            people = Q(unit__in=units)
            del self.fields["talk_record"]
        self.fields["unit"].queryset = units.filter(is_active=True).order_by("path")
        if task is not None and task.lead_unit_id:
            self.fields["unit"].initial = task.lead_unit_id
        self.fields["cadre"].queryset = (
            User.objects.filter(people, is_active=True)
            .exclude(role__in=(Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR))
            .select_related("unit")
            .order_by("unit__path", "username")
        )
        if user.role == Role.LEADER:
            self.fields["kind"].choices = [
                (OutcomeKind.LEADER_COMMENDATION, OutcomeKind.LEADER_COMMENDATION.label)
            ]
            self.fields["kind"].initial = OutcomeKind.LEADER_COMMENDATION

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "unit": data["unit"],
            "task": self.task,
            "cadre": data.get("cadre"),
            "recorded_on": data["recorded_on"],
            "text": data["text"],
            "doc_number": data.get("doc_number", ""),
            "talk_record": data.get("talk_record"),
        }


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写撤销理由。"),
            "max_length": _("撤销理由不能超过 %(limit_value)d 字。"),
        },
    )
