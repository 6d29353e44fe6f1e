"""督办升级规则: the office reads and edits the ladder, for all tasks or one category; offsets
are whole working days within −30…+60 and recipients are known ones, else a Chinese message
and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.supervision.models import EscalationRule

URL = "/supervision/ladder/"


def rules() -> list[tuple]:
    return list(
        EscalationRule.objects.order_by("category", "relative_to", "step").values_list(
            "category",
            "relative_to",
            "step",
            "offset",
            "repeat_daily",
            "action",
            "recipients",
            "enabled",
        )
    )


def row(key: str, **fields) -> dict:
    """The POST of one rung's form on the page (its fields carry the rung's prefix)."""
    prefix = key.replace(":", "-")
    relative_to, step = key.split(":")
    data = {
        "key": key,
        "category": fields.pop("category", ""),
        f"{prefix}-relative_to": relative_to,
        f"{prefix}-step": step,
    }
    for name, value in fields.items():
        data[f"{prefix}-{name}"] = value
    return data


def test_the_url():
    assert reverse("supervision:ladder") == URL


def test_the_office_reads_the_default_ladder(world, login):
    page = login(world.sup).get(URL).content.decode()
    for step in ("remind", "urge", "urge_daily", "notice", "leader", "bulletin"):
        assert f'value="due:{step}"' in page and f'value="report:{step}"' in page
    assert 'name="due-remind-offset" value="-3"' in page


@pytest.mark.parametrize("who", ["leader", "liaison_a", "head_a"])
def test_only_the_office_sees_the_ladder(world, login, who):
    response = login(getattr(world, who)).get(URL)
    assert response.status_code == 403
    assert "只有督查室人员可以设置督办升级规则。" in response.content.decode()
    before = rules()
    data = row("due:remind", offset="-5", action="reminder", recipients=["owner"], enabled="on")
    assert login(getattr(world, who)).post(URL, data).status_code == 403
    assert rules() == before


def test_change_a_default_rung(world, login):
    data = row(
        "due:remind", offset="-5", action="reminder", recipients=["owner", "liaison"], enabled="on"
    )
    response = login(world.sup).post(URL, data)
    assert response.status_code == 302
    rule = EscalationRule.objects.get(category="", relative_to="due", step="remind")
    assert (rule.offset, rule.recipients, rule.enabled, rule.updated_by) == (
        -5,
        ["owner", "liaison"],
        True,
        world.sup,
    )
    assert AuditEvent.objects.filter(action="supervision.rule.save").count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"offset": "61"}, "偏移天数须在 -30 到 60 个工作日之间。"),
        ({"offset": "-31"}, "偏移天数须在 -30 到 60 个工作日之间。"),
        ({"offset": "2.5"}, "偏移天数须为整数"),
        ({"offset": "abc"}, "偏移天数须为整数"),
        ({"offset": ""}, "请填写偏移天数。"),
        ({"recipients": ["boss"]}, "通知对象“boss”无法识别。"),
        ({"recipients": []}, "须至少选择一个通知对象"),
        ({"action": "jail"}, "请选择要执行的动作。"),
        ({"repeat_daily": "on", "action": "leader"}, "只有提醒和催办可以每个工作日重复。"),
    ],
)
def test_bad_input_changes_nothing(world, login, fields, message):
    good = {"offset": "-3", "action": "reminder", "recipients": ["owner"], "enabled": "on"}
    client = login(world.sup)
    before = rules()
    audit = AuditEvent.objects.count()
    response = client.post(URL, row("due:remind", **{**good, **fields}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert rules() == before
    assert AuditEvent.objects.count() == audit


def test_a_category_overrides_one_rung_and_goes_back(world, login):
    client = login(world.sup)
    data = row(
        "due:urge_daily",
        category="民生",
        offset="2",
        action="urge",
        recipients=["unit_head"],
        repeat_daily="on",
    )  # not enabled: 民生 tasks are not urged every day
    response = client.post(URL, data)
    assert response["Location"] == f"{URL}?category=%E6%B0%91%E7%94%9F"
    own = EscalationRule.objects.get(category="民生")
    assert (own.step, own.offset, own.enabled, own.repeat_daily) == ("urge_daily", 2, False, True)
    default = EscalationRule.objects.get(category="", relative_to="due", step="urge_daily")
    assert (default.offset, default.enabled) == (1, True)
    page = client.get(URL, {"category": "民生"}).content.decode()
    assert "本类别设置" in page and "沿用默认" in page
    client.post(reverse("supervision:ladder_reset"), {"category": "民生", "key": "due:urge_daily"})
    assert not EscalationRule.objects.filter(category="民生").exists()
    # the default rungs are not removed
    before = rules()
    client.post(reverse("supervision:ladder_reset"), {"category": "", "key": "due:urge_daily"})
    assert rules() == before


def test_add_a_step(world, login):
    data = {
        "key": "new",
        "category": "",
        "new-relative_to": "due",
        "new-step": "remind_early",
        "new-offset": "-10",
        "new-action": "reminder",
        "new-recipients": ["owner"],
        "new-enabled": "on",
    }
    assert login(world.sup).post(URL, data).status_code == 302
    rule = EscalationRule.objects.get(step="remind_early")
    assert (rule.relative_to, rule.offset, rule.action) == ("due", -10, "reminder")
    before = rules()
    bad = login(world.sup).post(URL, {**data, "new-step": "提醒"})
    assert "步骤代码须以小写字母开头" in bad.content.decode()
    assert rules() == before
