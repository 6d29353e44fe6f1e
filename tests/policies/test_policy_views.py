"""政策体系 pages: who sees what (outsiders 404, read-only 403, wrong method 405), registering
through the form (bad input shown in Chinese, nothing written), exports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.audit.models import AuditEvent
from luoshi.policies.models import Policy, PolicyDeliverable, PolicyGoal, PolicyStatus
from luoshi.tasks.models import Source, Task, TaskState
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

MODELS = [Policy, PolicyDeliverable, PolicyGoal, Source, Task, AuditEvent]


def page(response) -> str:
    return response.content.decode()


# --- reading ---------------------------------------------------------------------------------


def test_overview_lists_paper_first_with_bars_and_chart(world, today, login):
    response = login(world.sup).get(reverse("policies:list"))
    assert response.status_code == 200
    html = page(response)
    order = [html.index(p.title) for p in (world.paper, world.idle, world.jobs)]
    assert order == sorted(order)
    assert "1/3" in html and "无兑现事项" in html and "尚未启动" in html and "有逾期" in html
    assert "2 项政策没有兑现事项或尚未启动。" in html
    assert 'id="policy-chart-data"' in html and "vendor/echarts-6.1.0.min.js" in html
    assert "政策兑现" in html  # the menu entry


def test_overview_filters(world, today, login):
    html = page(login(world.sup).get(reverse("policies:list"), {"category": "城市建设"}))
    assert world.idle.title in html and world.jobs.title not in html


def test_policy_page_shows_delivery_and_deliverables(world, today, login):
    html = page(login(world.mayor).get(reverse("policies:detail", args=[world.jobs.pk])))
    assert "1/3" in html
    assert world.d1.task.code in html and world.d2.task.code in html
    assert reverse("tasks:detail", args=[world.d2.task.pk]) in html
    assert "奖补企业数" in html and "60/100家" in html
    assert world.goal.title in html
    # leaders read, they do not manage
    assert reverse("policies:edit", args=[world.jobs.pk]) not in html


def test_a_unit_sees_only_its_own_deliverables(world, today, login):
    client = login(world.liaison_b)
    html = page(client.get(reverse("policies:list")))
    assert world.jobs.title in html and world.idle.title not in html
    html = page(client.get(reverse("policies:detail", args=[world.jobs.pk])))
    assert world.d2.task.code in html and world.d1.task.code not in html
    assert client.get(reverse("policies:detail", args=[world.idle.pk])).status_code == 404
    assert client.get(reverse("policies:detail", args=[world.paper.pk])).status_code == 404


@pytest.mark.parametrize("who", ["sysadmin"])
def test_administrators_see_no_policies(world, today, login, who):
    client = login(getattr(world, who))
    assert client.get(reverse("policies:list")).status_code == 403
    assert client.get(reverse("policies:detail", args=[world.jobs.pk])).status_code == 403


def test_policy_file_download_is_audited(world, today, login):
    from luoshi.policies.services import policy_update

    upload = SimpleUploadedFile("措施.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    policy_update(actor=world.sup, policy=world.jobs, file=upload)
    response = login(world.liaison_a).get(reverse("policies:file", args=[world.jobs.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert AuditEvent.objects.filter(action="policy.file_download").count() == 1
    no_file = login(world.sup).get(reverse("policies:file", args=[world.paper.pk]))
    assert no_file.status_code == 404


# --- mutating views: allowed, read-only, outsider, wrong method --------------------------------

DELIVERABLE = {
    "rows": "1",
    "d0-promise": "对新入驻企业给予房租补贴。",
    "d0-lead_unit": "市发展改革委",
    "d0-due": "2026-09-30",
}


def _cases(world):
    other = Policy.objects.create(
        source=Source.objects.create(kind="document", code="X-1", title="其他"),
        title="其他政策",
        issued_on=world.jobs.issued_on,
    )
    return {
        "edit": (
            reverse("policies:edit", args=[world.jobs.pk]),
            {
                "title": "关于支持中小企业发展的若干措施",
                "issued_on": "2026-01-10",
                "level": "province",
            },
        ),
        "deliverables": (reverse("policies:deliverables_add", args=[world.jobs.pk]), DELIVERABLE),
        "goal link": (
            reverse("policies:goal_link", args=[world.paper.pk]),
            {"goal": world.goal.pk, "note": "配套"},
        ),
        "goal unlink": (
            reverse("policies:goal_unlink", args=[world.jobs.pk, world.jobs.goal_links.get().pk]),
            {},
        ),
        "status": (
            reverse("policies:status", args=[world.jobs.pk]),
            {"status": "revised", "superseded_by": other.pk, "note": "修订"},
        ),
        "assign": (reverse("policies:assign", args=[world.paper.pk]), {}),
    }


@pytest.mark.parametrize(
    "name", ["edit", "deliverables", "goal link", "goal unlink", "status", "assign"]
)
def test_mutating_views(world, today, login, name):
    url, data = _cases(world)[name]
    if name == "assign":
        from luoshi.policies.services import DeliverableRow, deliverables_create

        deliverables_create(
            actor=world.sup,
            policy=world.paper,
            rows=[DeliverableRow(promise="夜市。", lead_unit=world.a, due=today)],
        )
    before = count_rows(MODELS)
    # roles that may never change a policy are refused before the policy is looked up
    # (403 whatever the id: nothing is revealed), like the other role-level pages
    assert login(world.liaison_c).post(url, data).status_code == 403
    assert login(world.sysadmin).post(url, data).status_code == 403
    # read-only: a leader reads the policy and may not change it
    refused = login(world.mayor).post(url, data)
    assert refused.status_code == 403
    assert "只有督查室人员可以登记政策和兑现事项。" in page(refused)
    # a unit that sees the policy (it owns a deliverable) is refused too
    if name in ("edit", "deliverables", "goal unlink", "status"):
        assert login(world.liaison_a).post(url, data).status_code == 403
    assert count_rows(MODELS) == before
    client = login(world.sup)
    assert client.put(url, data).status_code == 405
    assert client.delete(url).status_code == 405
    assert count_rows(MODELS) == before
    done = client.post(url, data)
    assert done.status_code == 302, page(done)
    assert count_rows(MODELS) != before


def test_outsider_unit_gets_404(world, today, login):
    """A unit reads a policy only where it has a deliverable: elsewhere 404, pages and
    downloads alike."""
    client = login(world.liaison_c)
    for name in ("policies:detail", "policies:file", "policies:export_deliverables"):
        assert client.get(reverse(name, args=[world.jobs.pk])).status_code == 404, name
    assert client.get(reverse("policies:detail", args=[world.idle.pk])).status_code == 200
    assert client.get(reverse("policies:detail", args=[10**6])).status_code == 404


@pytest.mark.parametrize("name", ["goal link", "goal unlink", "status", "assign"])
def test_post_only_views_refuse_get(world, today, login, name):
    url, _ = _cases(world)[name]
    assert login(world.sup).get(url).status_code == 405


def test_read_only_pages_refuse_writes(world, today, login):
    client = login(world.sup)
    for url in (
        reverse("policies:list"),
        reverse("policies:detail", args=[world.jobs.pk]),
        reverse("policies:export"),
        reverse("policies:export_deliverables", args=[world.jobs.pk]),
    ):
        assert client.post(url).status_code == 405


# --- registering through the form -----------------------------------------------------------


def _register(**extra):
    return {
        "title": "关于支持科技创新的若干政策",
        "doc_number": "示政发〔2026〕9号",
        "issuer": "示范市人民政府",
        "issued_on": "2026-04-01",
        "level": "city",
        "category": "科技创新",
        "rows": "3",
        "d0-promise": "对首次认定的高新技术企业奖励30万元。",
        "d0-lead_unit": "市发展改革委",
        "d0-due": "2026-12-31",
        "d0-indicator_name": "奖励企业数",
        "d0-measure_unit": "家",
        "d0-target": "40",
        "d1-promise": "建设科技企业孵化器。",
        "d1-lead_unit": "示范市交通运输局",
        "d1-due": "2026-10-31",
        **extra,
    }


def test_office_registers_a_policy_with_deliverables_and_assigns(world, today, login):
    response = login(world.sup).post(reverse("policies:create"), _register(assign="1"))
    assert response.status_code == 302
    p = Policy.objects.get(title="关于支持科技创新的若干政策")
    assert response["Location"] == reverse("policies:detail", args=[p.pk])
    tasks = [d.task for d in p.deliverables.order_by("number")]
    assert [t.lead_unit for t in tasks] == [world.a, world.b]
    assert all(t.state == TaskState.ASSIGNED for t in tasks)
    assert tasks[0].indicators.get().target == 40


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"d1-lead_unit": "示范市宇宙局"}, "牵头单位“示范市宇宙局”不存在"),
        ({"d1-due": "2026-03-01"}, "兑现时限（2026-03-01）不能早于政策发布日期（2026-04-01）。"),
        ({"d1-promise": ""}, "请填写兑现事项的内容。"),
        ({"d0-target": "四十"}, "目标值须为数字。"),
        ({"title": ""}, "请填写政策名称。"),
        ({"issued_on": "2026-13-01"}, "日期格式不正确"),
    ],
)
def test_bad_registration_is_shown_in_chinese_and_nothing_written(
    world, today, login, extra, message
):
    before = count_rows(MODELS)
    response = login(world.sup).post(reverse("policies:create"), _register(**extra))
    assert response.status_code == 200
    assert message in page(response)
    assert count_rows(MODELS) == before


def test_adding_deliverables_needs_one_row(world, today, login):
    before = count_rows(MODELS)
    url = reverse("policies:deliverables_add", args=[world.jobs.pk])
    response = login(world.sup).post(url, {"rows": "3"})
    assert response.status_code == 200 and "请至少填写一项兑现事项。" in page(response)
    assert count_rows(MODELS) == before


def test_status_form_refuses_revision_without_successor(world, today, login):
    client = login(world.sup)
    response = client.post(
        reverse("policies:status", args=[world.jobs.pk]), {"status": "revised"}, follow=True
    )
    assert "已修订的政策须指明修订后的政策。" in page(response)
    world.jobs.refresh_from_db()
    assert world.jobs.status == PolicyStatus.ACTIVE


# --- exports --------------------------------------------------------------------------------


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_export_policies(world, today, login):
    from luoshi.policies.services import policy_update

    policy_update(actor=world.sup, policy=world.paper, title='=HYPERLINK("http://x","点我")')
    ws = _sheet(login(world.sup).get(reverse("policies:export")))
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("政策名称", "文号", "发文机关")
    by_title = {r[0]: r for r in rows[1:]}
    jobs = by_title[world.jobs.title]
    assert jobs[7:12] == (3, 1, 1, 1, "33%")
    assert jobs[14] == "有逾期"
    cell = next(c for c in ws["A"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert AuditEvent.objects.filter(action="policy.export").count() == 1


def test_export_deliverables_as_the_unit_sees_them(world, today, login):
    ws = _sheet(
        login(world.liaison_b).get(reverse("policies:export_deliverables", args=[world.jobs.pk]))
    )
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "减免小微企业房租三个月。" and rows[1][8] == "是"
    ws = _sheet(login(world.sup).get(reverse("policies:export_deliverables", args=[world.jobs.pk])))
    rows = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [1, 2, 3]
    assert rows[1][9] == "奖补企业数（家）" and rows[1][10] == 60 and rows[1][11] == 100


def test_list_query_count_does_not_grow_with_policies(
    world, today, login, django_assert_max_num_queries
):
    from luoshi.policies.services import DeliverableRow, policy_create

    client = login(world.sup)
    client.get(reverse("policies:list"))
    for i in range(5):
        policy_create(
            actor=world.sup,
            title=f"政策{i}",
            issued_on=today,
            deliverables=[DeliverableRow(promise="一项。", lead_unit=world.a, due=today)],
        )
    with django_assert_max_num_queries(14):
        assert client.get(reverse("policies:list")).status_code == 200


def test_one_more_row(world, today, login):
    response = login(world.sup).get(reverse("policies:row"), {"n": "3"})
    assert response.status_code == 200
    html = page(response)
    assert 'name="d3-promise"' in html and 'data-row="4"' in html
    # the button comes back out of band with the next index (no script counts the rows)
    assert 'hx-vals=\'{"n": 4}\' hx-swap-oob="true"' in html
    assert login(world.mayor).get(reverse("policies:row")).status_code == 403


def test_rows_added_in_the_page_are_read(world, today, login):
    data = _register(
        **{"d4-promise": "第五行的承诺。", "d4-lead_unit": "市财政局", "d4-due": "2026-09-30"}
    )
    assert login(world.sup).post(reverse("policies:create"), data).status_code == 302
    p = Policy.objects.get(title="关于支持科技创新的若干政策")
    assert [d.task.lead_unit for d in p.deliverables.order_by("number")] == [
        world.a,
        world.b,
        world.c,
    ]


def test_the_task_page_links_back_to_its_policy(world, today, login):
    html = page(login(world.liaison_b).get(reverse("tasks:detail", args=[world.d2.task.pk])))
    assert f"{reverse('policies:detail', args=[world.jobs.pk])}#deliverable-2" in html
    assert "政策兑现事项第 2 项" in html
    html = page(login(world.sup).get(reverse("tasks:detail", args=[world.goal.pk])))
    assert "policy-backlink" not in html
