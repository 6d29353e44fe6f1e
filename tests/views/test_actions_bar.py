"""The task page's action bar (tasks/_actions.html) shows exactly the actions the user may
take now, with the product's words, and each button points at its URL."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _buttons(client, task) -> set[str]:
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    if 'id="task-actions"' not in page:
        return set()
    bar = page.split('id="task-actions"', 1)[1].split("</section>", 1)[0]
    words = re.findall(r'<(?:button|a|summary)[^>]*class="btn[^"]*"[^>]*>([^<]+)<', bar)
    return {w.strip() for w in words}


def test_supervisor_on_a_draft(world, today, login):
    assert {"交办", "编辑", "分解", "暂缓", "撤销"} <= _buttons(login(world.sup), world.draft)


def test_supervisor_on_a_closure_request(world, today, login):
    buttons = _buttons(login(world.sup), world.pending)
    assert {"审核通过", "退回"} <= buttons and "交办" not in buttons


def test_lead_liaison_before_and_after_signing(world, today, login):
    client = login(world.liaison_a)
    assert _buttons(client, world.fresh) == {"签收"}
    buttons = _buttons(client, world.live)
    assert {"填报", "申请办结", "节点完成"} <= buttons and "签收" not in buttons


def test_co_unit_reports_but_does_not_close(world, today, login):
    buttons = _buttons(login(world.liaison_b), world.live)
    assert "填报" in buttons and "申请办结" not in buttons and "节点完成" not in buttons


def test_leader_sees_no_buttons(world, today, login):
    assert _buttons(login(world.leader), world.live) == set()


def test_one_click_actions_are_forms_that_work_without_javascript(world, today, login):
    page = login(world.liaison_a).get(reverse("tasks:detail", args=[world.fresh.pk])).content
    page = page.decode()
    action = reverse("tasks:acknowledge", args=[world.fresh.pk])
    assert f'<form method="post" action="{action}"' in page
    assert f'hx-post="{action}"' in page and "hx-confirm=" in page
