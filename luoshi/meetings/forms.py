"""Forms of 办会办文: a meeting with its grid of agreed items, an instruction, a report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.lib import clock
from luoshi.lib.deadlines import parse_deadline
from luoshi.meetings.models import MeetingKind, Urgency
from luoshi.meetings.services import ItemRow
from luoshi.org.matching import UnitMatcher, unit_matcher
from luoshi.org.models import User
from luoshi.tasks.forms.task import PersonChoiceField, leaders
from luoshi.tasks.forms.widgets import date_field

DEFAULT_ROWS = 3
MAX_ROWS = 100


class MeetingForm(forms.Form):
    """The meeting's own fields (services.meeting_create)."""

    name = forms.CharField(
        label=gettext_lazy("会议名称"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写会议名称。")},
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：市政府第12次常务会议")}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=MeetingKind.choices)
    held_on = date_field(gettext_lazy("会议日期"), required=True)
    place = forms.CharField(label=gettext_lazy("会议地点"), max_length=100, required=False)
    chair = PersonChoiceField(
        label=gettext_lazy("主持领导"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("（未指定）"),
        error_messages={"invalid_choice": gettext_lazy("所选主持领导不存在或不是领导。")},
    )
    minutes_number = forms.CharField(
        label=gettext_lazy("纪要编号"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：纪要〔2026〕12号")}),
    )
    attendees = forms.CharField(
        label=gettext_lazy("出席人员"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(
        label=gettext_lazy("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    minutes_file = forms.FileField(
        label=gettext_lazy("纪要文件"),
        required=False,
        help_text=gettext_lazy(".docx 或 .pdf"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.doc,.wps,.ofd"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = leaders()


@dataclass
class GridRow:
    """One agreed item as typed: the words of each cell."""

    text: str = ""
    lead: str = ""
    co: str = ""
    due: str = ""
    leader: str = ""
    errors: list[str] = field(default_factory=list)

    def is_blank(self) -> bool:
        return not any(getattr(self, f).strip() for f in ("text", "lead", "co", "due"))


def row_of(item) -> GridRow:
    """An agreed item as the words of a grid row (to correct it)."""
    sep = "、"
    return GridRow(
        text=item.text,
        lead=sep.join(u.name for u in item.lead_units),
        co=sep.join(u.name for u in item.co_units),
        due=item.due_text or (item.due.isoformat() if item.due else ""),
        leader=str(item.lead_leader_id or ""),
    )


def grid_rows(data: QueryDict | None, *, blank: int = DEFAULT_ROWS) -> list[GridRow]:
    """The grid's rows from a POST (parallel lists of cells), or `blank` empty rows."""
    if data is None:
        return [GridRow() for _ in range(blank)]
    cells = {name: data.getlist(f"item_{name}") for name in ("text", "lead", "co", "due", "leader")}
    count = min(len(cells["text"]), MAX_ROWS)
    return [
        GridRow(**{k: (v[i] if i < len(v) else "") for k, v in cells.items()}) for i in range(count)
    ]


def _unmatched(index: UnitMatcher, name: str, label: str) -> str:
    """Why a typed unit name was not taken: never dropped, never guessed."""
    if index.is_ambiguous(name):
        return _("%(label)s“%(name)s”对应多个单位，请填写全称。") % {"label": label, "name": name}
    return _("%(label)s“%(name)s”不存在，请从列表中选择或填写单位全称、简称。") % {
        "label": label,
        "name": name,
    }


def rows_from_minutes(data: bytes, name: str, *, year: int | None) -> tuple[list[GridRow], str]:
    """从纪要读取: the agreed items the extraction finds in a minutes file (.docx, .pdf with a
    text layer, .txt) as grid rows, and the document's paragraphs as the minutes text. Raises
    the extraction's ValidationError (Chinese) for a file it cannot read."""
    from luoshi.extraction.engine import extract_tasks
    from luoshi.extraction.reading import read_document

    blocks = read_document(data, name)
    found = extract_tasks(blocks, year=year)
    rows = [
        GridRow(
            text=t.content or t.title,
            lead="、".join(t.lead_units),
            co="、".join(t.co_units),
            due=t.due_text or (t.due or ""),
        )
        for t in found
    ]
    text = "\n".join(b.text.strip() for b in blocks if not b.is_table and b.text.strip())
    return rows, text


class ItemGrid:
    """议定事项 typed like ledger rows: unit names matched by org.matching (全称, 简称, aliases,
    common abbreviations), 完成时限 read by lib.deadlines.parse_deadline.
    After is_valid(), `items` holds the ItemRows of the rows that are not blank."""

    def __init__(self, rows: list[GridRow], *, year: int | None = None):
        self.rows = rows
        self.year = year or clock.today().year
        self.errors: list[str] = []
        self.items: list[ItemRow] = []
        self.row_index: list[int] = []
        self.leaders = {str(u.pk): u for u in leaders()}

    def is_valid(self, *, required: bool = True) -> bool:
        index = unit_matcher()
        for i, row in enumerate(self.rows):
            if row.is_blank():
                continue
            item = self._resolve(row, index)
            if not row.errors:
                self.items.append(item)
                self.row_index.append(i)
        if required and not self.items and not self.has_row_errors():
            self.errors.append(_("请至少填写一项议定事项。"))
        return not self.errors and not self.has_row_errors()

    def has_row_errors(self) -> bool:
        return any(r.errors for r in self.rows)

    def _resolve(self, row: GridRow, index: UnitMatcher) -> ItemRow:
        item = ItemRow(text=row.text.strip())
        if not item.text:
            row.errors.append(_("请填写议定事项的内容。"))
        if not row.lead.strip():
            row.errors.append(_("请填写牵头单位。"))
        for attr, text, label in (
            ("lead_units", row.lead, _("牵头单位")),
            ("co_units", row.co, _("配合单位")),
        ):
            units, unmatched = index.split_and_match(text)
            setattr(item, attr, units)
            row.errors.extend(_unmatched(index, name, label) for name in unmatched)
        try:
            deadline = parse_deadline(row.due, year=self.year)
        except ValidationError as exc:
            row.errors.extend(exc.messages)
        else:
            item.due, item.ongoing, item.due_text = deadline.due, deadline.ongoing, deadline.text
        if row.leader:
            item.lead_leader = self.leaders.get(row.leader)
            if item.lead_leader is None:
                row.errors.append(_("所选牵头领导不存在或不是领导。"))
        return item

    def add_service_errors(self, exc: ValidationError) -> None:
        """meeting_items_add's "rowN" messages go next to the grid row they concern."""
        if not hasattr(exc, "error_dict"):
            self.errors.extend(exc.messages)
            return
        for key, messages in exc.message_dict.items():
            n = int(key[3:]) if key.startswith("row") and key[3:].isdigit() else 0
            if 1 <= n <= len(self.row_index):
                self.rows[self.row_index[n - 1]].errors.extend(messages)
            else:
                self.errors.extend(messages)


class InstructionForm(forms.Form):
    """The fields of services.instruction_create."""

    leader = PersonChoiceField(
        label=gettext_lazy("批示领导"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("（请选择）"),
        error_messages={
            "required": gettext_lazy("请选择批示领导。"),
            "invalid_choice": gettext_lazy("所选批示领导不存在或不是领导。"),
        },
    )
    given_on = date_field(gettext_lazy("批示日期"), required=True)
    text = forms.CharField(
        label=gettext_lazy("批示内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("请填写批示内容。")},
    )
    doc_title = forms.CharField(
        label=gettext_lazy("来文标题"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写来文标题。")},
    )
    doc_number = forms.CharField(label=gettext_lazy("来文文号"), max_length=100, required=False)
    doc_file = forms.FileField(
        label=gettext_lazy("来文文件"),
        required=False,
        help_text=gettext_lazy(".docx 或 .pdf"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.doc,.wps,.ofd"}),
    )
    urgency = forms.ChoiceField(label=gettext_lazy("缓急"), choices=Urgency.choices)
    report_due = date_field(
        gettext_lazy("办理情况报送时限"), help_text=gettext_lazy("到期未报告的批示件标红")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders()

    def initial_dates(self, today: dt.date) -> None:
        self.initial.setdefault("given_on", today)


class ReportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("办理情况"),
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": gettext_lazy("请填写办理情况。")},
    )


class ReadForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("阅示意见（可不填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GenerateForm(forms.Form):
    """生成任务: the chosen items (none chosen: every item not yet a task)."""

    items = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    assign = forms.BooleanField(required=False)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["items"].choices = [
                (i.pk, str(i.number)) for i in meeting.items.filter(task__isnull=True)
            ]
        self.fields["items"].error_messages["invalid_choice"] = _(
            "所选议定事项不存在或已生成任务。"
        )
