"""Small pieces every page shows: a light (亮灯) dot with its label, a state badge, a light
reason in words, a progress bar, and a task event in words."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.lib.i18n import join_clauses, join_list
from luoshi.tasks.lights import describe_reason
from luoshi.tasks.models import Light, TaskState

register = template.Library()

LIGHT_COLOURS = {"green", "yellow", "red", "blue"}


def _light_key(light) -> str:
    value = str(light or "")
    return value if value in LIGHT_COLOURS else "none"


@register.simple_tag
def light_badge(light, label: bool = True) -> str:
    """A coloured dot and the light's name: <span class="light light-red">红灯</span>."""
    key = _light_key(light)
    name = Light("" if key == "none" else key).label
    if not label:
        return format_html(
            '<span class="light light-{} light-dot-only" title="{}" aria-label="{}"></span>',
            key,
            name,
            name,
        )
    return format_html('<span class="light light-{}">{}</span>', key, name)


@register.simple_tag
def state_badge(state) -> str:
    value = str(state or "")
    try:
        name = TaskState(value).label
    except ValueError:
        name = value
    return format_html('<span class="state state-{}">{}</span>', value or "none", name)


@register.filter
def reason_text(reason) -> str:
    """A stored light reason ({"code": "overdue", "days": 3}) in the user's language."""
    if not isinstance(reason, dict):
        return str(reason)
    return describe_reason(reason)


RED_REASONS = {"overdue", "milestone_overdue", "reports_missed"}


@register.filter
def reason_light(reason) -> str:
    """Which light a reason raises on its own: "red" or "yellow" (for colouring it)."""
    if not isinstance(reason, dict):
        return "yellow"
    if reason.get("code") in RED_REASONS:
        return "red"
    if reason.get("code") == "children" and reason.get("light") == "red":
        return "red"
    return "yellow"


@register.filter
def pct(value) -> int:
    """A percentage as a whole number 0–100, for the pw-N / pl-N classes of positions.css
    (no style="" attribute under the content-security policy)."""
    try:
        return max(0, min(100, round(float(value or 0))))
    except (TypeError, ValueError):
        return 0


@register.filter
def level(value) -> int:
    """A tree depth 0–15, for the depth-N / indent-N classes of positions.css."""
    try:
        return max(0, min(15, int(value or 0)))
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def progress_bar(percent, light: str = "") -> str:
    try:
        value = max(0, min(100, int(percent or 0)))
    except (TypeError, ValueError):
        value = 0
    return format_html(
        '<span class="bar bar-{}" title="{}%"><span class="bar-fill pw-{}"></span>'
        '</span><span class="bar-num">{}%</span>',
        _light_key(light),
        value,
        value,
        value,
    )


@register.filter
def indicator_percent(indicator) -> int:
    """How far an indicator has come towards its target, 0–100: measured from the baseline
    when there is one (so a target below the baseline, a reduction, works too)."""
    current, target = indicator.current, indicator.target
    if current is None or target is None:
        return 0
    base = indicator.baseline if indicator.baseline is not None else 0
    span = float(target) - float(base)
    if span == 0:
        return 100 if float(current) == float(target) else 0
    return max(0, min(100, round((float(current) - float(base)) / span * 100)))


@register.filter
def due_label(task) -> str:
    """完成时限 as shown in a ledger: the date, or 长期坚持."""
    if getattr(task, "ongoing", False):
        return _("长期坚持")
    due = getattr(task, "due", None)
    return due.isoformat() if due else "—"


def _field_label(name: str) -> str:
    from luoshi.tasks.models import Task

    if name == "co_units":
        return _("配合单位")
    try:
        return str(Task._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _field_value(name: str, value) -> str:
    """A changed field's stored value in words: a choice by its label, a flag as 是/否."""
    from luoshi.tasks.models import Task

    value = str(value or "")
    try:
        field = Task._meta.get_field(name)
    except Exception:
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField" and value in ("True", "False"):
        return _("是") if value == "True" else _("否")
    return value


def _light_name(value) -> str:
    try:
        return str(Light(value or "").label)
    except ValueError:
        return str(value)


# The escalation ladder's history entries (luoshi.supervision.daily).
LADDER_KINDS = {"reminded", "urged", "notice_drafted", "leader_notified", "bulletin_listed"}


@register.filter
def event_text(event) -> str:
    """A history entry (TaskEvent) in words: its message, or what its data says."""
    data = event.data or {}
    kind = event.kind
    parts: list[str] = []
    if kind in LADDER_KINDS and isinstance(data.get("late"), int) and data.get("deadline"):
        # Worded when read, in the reader's language (older entries keep their stored words).
        from luoshi.supervision.texts import step_text

        return step_text(
            relative_to=str(data.get("relative_to", "")),
            deadline=str(data["deadline"]),
            late=data["late"],
        )
    if kind == "light_changed":
        parts.append(
            _("%(old)s → %(new)s")
            % {"old": _light_name(data.get("from")), "new": _light_name(data.get("to"))}
        )
        reasons = [describe_reason(r) for r in data.get("reasons", []) if isinstance(r, dict)]
        if reasons:
            parts.append(join_clauses(reasons))
    elif kind == "assigned" and data.get("units"):
        parts.append(_("交办给：%(units)s") % {"units": join_list(data["units"])})
    elif kind == "reported" and "percent" in data:
        parts.append(_("完成进度 %(p)s%%") % {"p": data["percent"]})
    elif kind == "acknowledged" and data.get("role"):
        if data["role"] == "lead":
            parts.append(_("以牵头单位身份签收"))
        else:
            parts.append(_("以配合单位身份签收"))
    elif kind == "closure_requested" and data.get("awaits_head"):
        parts.append(_("待单位负责人审核后上报"))
    elif kind == "closed" and data.get("late"):
        parts.append(_("逾期办结"))
    elif kind in ("extension_requested", "extension_approved") and data.get("new"):
        dates = {"old": data.get("old") or "—", "new": data["new"]}
        if kind == "extension_requested":
            parts.append(_("申请将完成时限由 %(old)s 延至 %(new)s") % dates)
        else:
            parts.append(_("完成时限由 %(old)s 延至 %(new)s") % dates)
    elif kind == "recheck_scheduled" and data.get("due_on"):
        parts.append(_("回头看日期：%(date)s") % {"date": data["due_on"]})
    elif kind == "reopened" and (data.get("new_due") or data.get("child")):
        if data.get("child"):
            parts.append(_("下级任务“%(code)s”重新办理") % {"code": data["child"]})
        else:
            parts.append(
                _("完成时限调整为 %(new)s（原为 %(old)s）")
                % {"new": data["new_due"], "old": data.get("old_due") or "—"}
            )
    elif kind == "resumed" and data.get("state"):
        parts.append(_("恢复为“%(state)s”") % {"state": _state_name(data["state"])})
    elif kind == "updated" and isinstance(data.get("changes"), dict):
        for field, change in data["changes"].items():
            old, new = [*change, "", ""][:2] if isinstance(change, list) else ("", change)
            parts.append(
                _("%(field)s：%(old)s → %(new)s")
                % {
                    "field": _field_label(field),
                    "old": _field_value(field, old) or "—",
                    "new": _field_value(field, new) or "—",
                }
            )
    elif kind == "updated" and data.get("children"):
        codes = [str(c) for c in data["children"]]
        parts.append(
            ngettext(
                "分解出 %(n)d 项子任务：%(codes)s",
                "分解出 %(n)d 项子任务：%(codes)s",
                len(codes),
            )
            % {"n": len(codes), "codes": join_list(codes)}
        )
        # Decompositions recorded before the words moved here stored them as the message.
        return join_clauses(parts)
    if event.message:
        parts.insert(0, event.message)
    return join_clauses(parts)


def _state_name(value) -> str:
    try:
        return str(TaskState(value).label)
    except ValueError:
        return str(value)


@register.simple_tag
def elided_pages(page) -> list:
    """Page numbers around the current one, with "…" for the gaps (for the pager)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template ({{ counts|get_item:light }}); 0 when missing."""
    try:
        return mapping.get(key, 0)
    except AttributeError:
        return 0


@register.filter
def split_words(value: str) -> list[str]:
    return str(value).split()


@register.filter
def cycle_text(task) -> str:
    """反馈周期 in words: 每月, 每季度… and 每月 5 日前 for a set day."""
    if task.report_cycle == "monthly_day" and task.report_day:
        return _("每月 %(day)d 日前") % {"day": task.report_day}
    return str(task.get_report_cycle_display())
