"""The template tags every page uses."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from luoshi.tasks.templatetags.luoshi_tags import (
    event_text,
    indicator_percent,
    light_badge,
    reason_text,
    state_badge,
)


@pytest.mark.parametrize(
    ("light", "css", "label"),
    [
        ("green", "light light-green", "绿灯"),
        ("yellow", "light light-yellow", "黄灯"),
        ("red", "light light-red", "红灯"),
        ("blue", "light light-blue", "蓝灯"),
        ("", "light light-none", "无"),
        (None, "light light-none", "无"),
    ],
)
def test_light_badge(light, css, label):
    html = light_badge(light)
    assert f'class="{css}"' in html and label in html


def test_light_badge_dot_only_keeps_the_name_for_screen_readers():
    html = light_badge("red", False)
    assert 'aria-label="红灯"' in html and ">红灯<" not in html


def test_state_badge_and_unknown_state():
    assert 'class="state state-in_progress">办理中<' in state_badge("in_progress")
    assert "state-weird" in state_badge("weird")


def test_reason_text():
    assert reason_text({"code": "overdue", "days": 2}) == "已逾期 2 个工作日"
    assert reason_text({"code": "due_soon", "days": 0}) == "今日到期"
    assert reason_text({"code": "children", "light": "red"}) == "下级任务亮红灯"


def test_tags_load_in_templates():
    html = Template(
        "{% load luoshi_tags %}{% light_badge 'red' %}{% state_badge 'closed' %}"
        "{{ r|reason_text }}{% progress_bar 40 'yellow' %}"
    ).render(Context({"r": {"code": "report_missed"}}))
    assert "light-red" in html and "已办结" in html and "上一反馈周期未填报" in html
    assert 'class="bar bar-yellow"' in html and 'class="bar-fill pw-40"' in html


def test_event_text_in_words():
    def event(kind, message="", **data):
        return SimpleNamespace(kind=kind, message=message, data=data)

    assert event_text(event("light_changed", **{"from": "green", "to": "red"})).startswith(
        "绿灯 → 红灯"
    )
    assert event_text(event("updated", changes={"due": ["2026-03-01", "2026-04-01"]})) == (
        "完成时限：2026-03-01 → 2026-04-01"
    )
    assert event_text(event("returned", "材料不足")) == "材料不足"
    assert event_text(event("reported", percent=60, role="co")) == "完成进度 60%"


def test_indicator_percent_from_baseline():
    def ind(baseline, target, current):
        return SimpleNamespace(baseline=baseline, target=target, current=current)

    assert indicator_percent(ind(None, 800, 120)) == 15
    assert indicator_percent(ind(5.2, 6.5, 5.85)) == 50
    assert indicator_percent(ind(100, 60, 80)) == 50  # a reduction target
    assert indicator_percent(ind(0, 10, None)) == 0
    assert indicator_percent(ind(0, 10, 30)) == 100


def test_reason_light_and_cycle_text():
    from luoshi.tasks.models import Task
    from luoshi.tasks.templatetags.luoshi_tags import cycle_text, reason_light

    assert reason_light({"code": "reports_missed", "count": 2}) == "red"
    assert reason_light({"code": "children", "light": "red"}) == "red"
    assert reason_light({"code": "children", "light": "yellow"}) == "yellow"
    assert reason_light({"code": "lagging", "points": 40}) == "yellow"
    assert cycle_text(Task(report_cycle="monthly_day", report_day=5)) == "每月 5 日前"
    assert cycle_text(Task(report_cycle="quarterly")) == "每季度"
