"""分解: the grid creates many children in one POST, all or nothing; rows can be added and
pasted from Excel; unit names resolve by full name, short name or alias, never guessed."""

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.org.services import UnitNameIndex, unit_create
from luoshi.tasks.forms.dates import parse_due
from luoshi.tasks.forms.decompose import rows_from_paste
from luoshi.tasks.models import AssignmentRole, Task

pytestmark = pytest.mark.django_db


def url(task):
    return reverse("tasks:decompose", args=[task.pk])


def grid(*rows, action="save"):
    """POST data for grid rows given as dicts; every column is sent for every row."""
    data = {"action": action}
    for name in ("title", "content", "lead", "co", "due", "cycle", "day"):
        data[name] = [row.get(name, "") for row in rows]
    data["ongoing"] = [str(i) for i, row in enumerate(rows) if row.get("ongoing")]
    return data


ROWS = [
    {"title": "东城区完成管网改造", "lead": "东城区", "co": "市交通局、市财政局", "due": "6月底前"},
    {"title": "完成项目前期手续", "content": "取得批复", "lead": "市发改委", "due": "2026-09-30"},
    {"title": "落实项目资金", "lead": "示范市财政局", "co": "市发展改革委", "ongoing": True},
    {},  # blank: ignored
    {"title": "按月调度", "cycle": "monthly_day", "day": "5"},
]


def test_grid_creates_every_row_in_one_post(world, today, login):
    client = login(world.sup)
    page = client.get(url(world.draft)).content.decode()
    assert page.count('name="title"') == 8 and "再加 5 行" in page and "粘贴" in page
    response = client.post(url(world.draft), grid(*ROWS))
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[world.draft.pk])
    children = list(Task.objects.filter(parent=world.draft).order_by("sort_order"))
    assert [c.title for c in children] == [
        "东城区完成管网改造",
        "完成项目前期手续",
        "落实项目资金",
        "按月调度",
    ]
    first, second, third, fourth = children
    assert first.lead_unit == world.district and first.due == dt.date(2026, 6, 30)
    assert first.due_text == "6月底前"
    co = first.assignments.filter(role=AssignmentRole.CO).values_list("unit", flat=True)
    assert set(co) == {world.b.pk, world.c.pk}
    assert second.lead_unit == world.a and second.content == "取得批复"
    assert third.ongoing and third.due is None and third.lead_unit == world.c
    # blank lead unit and due: the parent's
    assert fourth.lead_unit == world.a and fourth.due == world.draft.due
    assert (fourth.report_cycle, fourth.report_day) == ("monthly_day", 5)
    assert all(c.code.startswith(world.draft.code + "-") for c in children)


def test_one_bad_row_creates_none(world, today, login, counts):
    client = login(world.sup)
    before = counts()
    rows = [*ROWS[:2], {"title": "坏的一行", "lead": "市不存在局", "co": "市交通局 市火星局"}]
    response = client.post(url(world.draft), grid(*rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "第 3 行：牵头单位“市不存在局”不存在" in page
    assert "配合单位“市火星局”不存在" in page
    assert "有 1 行需要修改" in page
    assert "东城区完成管网改造" in page  # what was typed stays
    assert counts() == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"title": "晚了", "due": "2027-03-31"}, "子任务的完成时限不能晚于上级任务"),
        ({"title": "看不懂", "due": "下周"}, "完成时限“下周”无法识别"),
        ({"content": "没有名称"}, "请填写任务名称。"),
        ({"title": "重复", "lead": "市交通局", "co": "市交通局"}, "牵头单位不能同时是配合单位。"),
        (
            {"title": "日子", "cycle": "monthly_day", "day": ""},
            "“每月N日前”须填写 1 到 28 之间的日期。",
        ),
        (
            {"title": "两个都填", "due": "2026-05-01", "ongoing": True},
            "长期坚持的任务不设完成时限。",
        ),
    ],
    ids=["after-parent", "bad-date", "no-title", "lead-co", "no-day", "ongoing-and-due"],
)
def test_row_errors_are_named_next_to_the_row(world, today, login, counts, row, message):
    client = login(world.sup)
    before = counts()
    response = client.post(url(world.draft), grid(ROWS[1], row))
    page = response.content.decode()
    assert "第 2 行：" in page and message in page
    assert counts() == before


def test_an_empty_grid_says_so(world, today, login, counts):
    before = counts()
    response = login(world.sup).post(url(world.draft), grid({}, {}))
    assert "请至少填写一行子任务。" in response.content.decode()
    assert counts() == before


def test_add_rows_keeps_what_was_typed(world, today, login, counts):
    client = login(world.sup)
    before = counts()
    response = client.post(url(world.draft), grid(ROWS[0], {}, action="add"))
    page = response.content.decode()
    assert page.count('name="title"') == 7 and "东城区完成管网改造" in page
    assert "<html" in page  # without htmx: the whole page
    response = client.post(url(world.draft), grid(ROWS[0], action="add"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and 'id="decompose-form"' in page
    assert page.count('name="title"') == 6
    assert counts() == before


def test_rows_parameter_sets_the_number_of_rows(world, today, login):
    client = login(world.sup)
    assert client.get(url(world.draft), {"rows": 20}).content.decode().count('name="title"') == 20
    assert client.get(url(world.draft), {"rows": "x"}).content.decode().count('name="title"') == 8


def test_paste_fills_the_grid(world, today, login, counts):
    sheet = (
        "序号\t任务名称\t牵头单位\t配合单位\t完成时限\t反馈周期\n"
        "1\t完成征地拆迁\t市发改委\t市财政局\t2026年8月底前\t每月\n"
        '2\t"主体工程\n开工建设"\t市交通局\t\t长期坚持\t每月10日前\n'
    )
    client = login(world.sup)
    before = counts()
    response = client.post(url(world.draft), {**grid(ROWS[1], action="paste"), "paste": sheet})
    page = response.content.decode()
    assert "已填入 2 行，请核对后保存。" in page
    assert "完成项目前期手续" in page and "完成征地拆迁" in page and "2026年8月底前" in page
    assert counts() == before
    # and the filled grid saves
    rows = [
        ROWS[1],
        {"title": "完成征地拆迁", "lead": "市发改委", "co": "市财政局", "due": "2026年8月底前"},
        {
            "title": "主体工程\n开工建设",
            "lead": "市交通局",
            "due": "长期坚持",
            "cycle": "monthly_day",
            "day": "10",
        },
    ]
    assert client.post(url(world.draft), grid(*rows)).status_code == 302
    assert world.draft.children.count() == 3


def test_empty_paste_says_so(world, today, login):
    response = login(world.sup).post(url(world.draft), {**grid({}, action="paste"), "paste": " "})
    assert "粘贴区没有内容" in response.content.decode()


def test_decompose_access(world, today, login, counts):
    before = counts()
    assert login(world.liaison_d).get(url(world.live)).status_code == 404
    assert login(world.liaison_a).post(url(world.live), grid(*ROWS)).status_code == 403
    assert login(world.leader).get(url(world.live)).status_code == 403
    assert login(world.sup).get(url(world.closed)).status_code == 403
    assert login(world.sup).put(url(world.live)).status_code == 405
    assert counts() == before


# --- the pieces --------------------------------------------------------------------------------


def test_paste_without_a_header_uses_the_grid_order():
    rows = rows_from_paste("完成A\t内容A\t市发改委\t市交通局、市财政局\t2026-06-30\t每周\n完成B")
    assert [(r.title, r.lead, r.co, r.due, r.cycle) for r in rows] == [
        ("完成A", "市发改委", "市交通局、市财政局", "2026-06-30", "weekly"),
        ("完成B", "", "", "", ""),
    ]
    numbered = rows_from_paste("1\t完成A\t内容\n2\t完成B\t内容")
    assert [r.title for r in numbered] == ["完成A", "完成B"]
    odd = rows_from_paste("完成C\t\t\t\t\t每两天")
    assert "反馈周期“每两天”无法识别" in odd[0].errors[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-30", (dt.date(2026, 6, 30), False, "")),
        ("2026/6/30", (dt.date(2026, 6, 30), False, "")),
        ("2026年6月30日前", (dt.date(2026, 6, 30), False, "2026年6月30日前")),
        ("6月底前", (dt.date(2026, 6, 30), False, "6月底前")),
        ("2026年底", (dt.date(2026, 12, 31), False, "2026年底")),
        ("第三季度", (dt.date(2026, 9, 30), False, "第三季度")),
        ("上半年", (dt.date(2026, 6, 30), False, "上半年")),
        ("长期坚持", (None, True, "长期坚持")),
        ("持续推进", (None, True, "持续推进")),
        ("2026-06-30 00:00:00", (dt.date(2026, 6, 30), False, "")),
        ("", (None, False, "")),
    ],
)
def test_parse_due(text, expected):
    assert parse_due(text, year=2026) == expected


@pytest.mark.parametrize("text", ["下周", "2026-02-30", "13月底"])
def test_parse_due_refuses_what_it_cannot_read(text):
    with pytest.raises(Exception, match="无法识别"):
        parse_due(text, year=2026)


def test_unit_name_index_matches_unit_resolve(world):
    unit_create(actor=None, name="示范市西城区人民政府", short_name="西城区", kind="district")
    unit_create(actor=None, name="某县交通局", short_name="交通局", kind="department")
    unit_create(actor=None, name="某区交通局", short_name="交通局", kind="department")
    index = UnitNameIndex()
    assert index.resolve("市发改委") == world.a
    assert index.resolve(" 市 发展改革委 ") == world.a
    assert index.resolve("示范市财政局") == world.c
    assert index.resolve("交通局") is None and index.ambiguous("交通局")
    assert index.resolve("市火星局") is None and not index.ambiguous("市火星局")


def test_an_unknown_name_close_to_a_unit_suggests_it(world, today, login, counts):
    before = counts()
    response = login(world.sup).post(url(world.draft), grid({"title": "x", "lead": "示范市交通局"}))
    assert (
        "牵头单位“示范市交通局”不存在。您要填的是不是：示范市交通运输局？"
        in response.content.decode()
    )
    assert counts() == before
