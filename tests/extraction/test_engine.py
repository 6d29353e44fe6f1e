"""Extraction rules: prose forms, numbering, tables, deadlines, the document's year."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.extraction.engine import document_year, extract_tasks, split_numbering, split_units
from luoshi.extraction.reading import Block
from luoshi.lib import clock


def one(text: str, year: int = 2026) -> dict:
    found = extract_tasks([Block(text=line) for line in text.strip().splitlines()], year=year)
    assert len(found) == 1, found
    return found[0].as_dict()


@pytest.mark.parametrize(
    ("bracket", "lead", "co", "due", "due_text", "ongoing"),
    [
        (
            "（市发展改革委牵头，市财政局、市自然资源和规划局配合，2026年6月底前完成）",
            ["市发展改革委"],
            ["市财政局", "市自然资源和规划局"],
            "2026-06-30",
            "2026年6月底前完成",
            False,
        ),
        (
            "（市农业农村局、市住房城乡建设局按职责分工负责，各区政府落实，年底前完成）",
            ["市农业农村局", "市住房城乡建设局"],
            ["各区政府"],
            "2026-12-31",
            "年底前完成",
            False,
        ),
        (
            "（市工业和信息化局牵头，各区政府负责，三季度末前完成）",
            ["市工业和信息化局"],
            ["各区政府"],
            "2026-09-30",
            "三季度末前完成",
            False,
        ),
        ("（责任单位：市教育局、市财政局）", ["市教育局"], ["市财政局"], None, "", False),
        (
            "（责任单位：市财政局（牵头）、市教育局；完成时限：长期坚持）",
            ["市财政局"],
            ["市教育局"],
            None,
            "长期坚持",
            True,
        ),
        (
            "（市商务局、市文化广电旅游局、市体育局按职责分工负责，上半年完成）",
            ["市商务局", "市文化广电旅游局", "市体育局"],
            [],
            "2026-06-30",
            "上半年完成",
            False,
        ),
        (
            "（市民政局牵头，市卫生健康委参与，下半年）",
            ["市民政局"],
            ["市卫生健康委"],
            "2026-12-31",
            "下半年",
            False,
        ),
        (
            "（2026年6月底前完成，东城区政府负责）",
            ["东城区政府"],
            [],
            "2026-06-30",
            "2026年6月底前完成",
            False,
        ),
        ("（市水务局牵头，常态化推进）", ["市水务局"], [], None, "常态化推进", True),
        (
            "（市教育局、市财政局，年底前完成）",
            ["市教育局"],
            ["市财政局"],
            "2026-12-31",
            "年底前完成",
            False,
        ),
        ("（市教育局）", ["市教育局"], [], None, "", False),
        (
            "（市发展改革委牵头，市有关部门按职责分工负责，2026年12月31日前）",
            ["市发展改革委"],
            ["市有关部门"],
            "2026-12-31",
            "2026年12月31日前",
            False,
        ),
    ],
)
def test_bracket_forms(bracket, lead, co, due, due_text, ongoing) -> None:
    task = one(f"1.推进某项重点工作，取得明显成效。{bracket}")
    assert task["lead_units"] == lead
    assert task["co_units"] == co
    assert (task["due"], task["due_text"], task["ongoing"]) == (due, due_text, ongoing)
    assert task["title"] == "推进某项重点工作，取得明显成效"
    assert task["content"] == f"推进某项重点工作，取得明显成效。{bracket}"
    assert task["path"] == ["1"]


def test_labelled_fields_on_the_line_and_below() -> None:
    task = one("一、落实安全生产责任。责任单位：市应急管理局；完成时限：长期坚持")
    assert (task["lead_units"], task["due_text"], task["ongoing"]) == (
        ["市应急管理局"],
        "长期坚持",
        True,
    )
    task = one(
        """
（1）新建学校15所。
牵头单位：市教育局    配合单位：市自然资源和规划局、市住房城乡建设局
责任领导：陈志刚
完成时限：2026年8月底前
"""
    )
    assert task["lead_units"] == ["市教育局"]
    assert task["co_units"] == ["市自然资源和规划局", "市住房城乡建设局"]
    assert task["due"] == "2026-08-31"
    assert task["path"] == ["（1）"]


def test_content_runs_wrapped_lines_on() -> None:
    found = extract_tasks(
        [
            Block(text="1.推进城市更新，改造老旧"),
            Block(text="小区120个。（市住房城乡建设局牵"),
            Block(text="头，年底前完成）"),
            Block(text="2.落实专项资金。"),
            Block(text="责任单位：市财政局"),
        ],
        year=2026,
    )
    assert [t.content for t in found] == [
        "推进城市更新，改造老旧小区120个。（市住房城乡建设局牵头，年底前完成）",
        "落实专项资金。\n责任单位：市财政局",
    ]
    assert found[0].title == "推进城市更新，改造老旧小区120个"
    assert found[0].lead_units == ["市住房城乡建设局"]


def test_a_leaders_words() -> None:
    task = one("请市交通运输局牵头，会同市公安局、市教育局，于5月底前拿出治理方案。")
    assert task["lead_units"] == ["市交通运输局"]
    assert task["co_units"] == ["市公安局", "市教育局"]
    assert (task["due"], task["due_text"]) == ("2026-05-31", "5月底前")
    assert task["path"] == []


def test_unnumbered_paragraphs_that_name_their_units() -> None:
    text = """
市政府第5次常务会议纪要
2026年3月12日，市长主持召开市政府常务会议。纪要如下：
会议同意《城市更新行动方案》，请抓紧组织实施。（市住建局牵头，各区政府配合，年底前完成）
会议要求做好春季森林防火工作。
牵头单位：市应急局
完成时限：长期坚持
会议还研究了其他事项。
示范市人民政府办公室
"""
    found = extract_tasks([Block(text=t) for t in text.strip().splitlines()], year=2026)
    assert [(t.title, t.lead_units, t.co_units, t.due_text, t.path) for t in found] == [
        (
            "会议同意《城市更新行动方案》，请抓紧组织实施",
            ["市住建局"],
            ["各区政府"],
            "年底前完成",
            [],
        ),
        ("会议要求做好春季森林防火工作", ["市应急局"], [], "长期坚持", []),
    ]


def test_numbering_makes_the_path_and_headings_are_not_tasks() -> None:
    text = """
一、总体要求
（一）加快发展。
1.第一项。（市发展改革委牵头）
（1）子项。（市财政局负责）
①细项。（市统计局负责）
2、第二项。（市科技局牵头）
（二）第二节。
3．第三项。（市商务局牵头）
二、第二章
4.第四项。（市水务局牵头）
"""
    found = extract_tasks([Block(text=t) for t in text.strip().splitlines()], year=2026)
    assert [t.path for t in found] == [
        ["一", "（一）", "1"],
        ["一", "（一）", "1", "（1）"],
        ["一", "（一）", "1", "（1）", "①"],
        ["一", "（一）", "2"],
        ["一", "（二）", "3"],
        ["二", "4"],
    ]


@pytest.mark.parametrize(
    ("text", "numbering"),
    [
        ("一、总体要求", ("cn", "一", "总体要求")),
        ("（三）加快发展", ("pcn", "（三）", "加快发展")),
        ("(3)加快发展", ("par", "（3）", "加快发展")),
        ("12.加快发展", ("ar", "12", "加快发展")),
        ("12、加快发展", ("ar", "12", "加快发展")),
        ("⑤加快发展", ("circ", "⑤", "加快发展")),
        ("3.5万个就业岗位", None),
        ("一、", None),
    ],
)
def test_split_numbering(text, numbering) -> None:
    assert split_numbering(text) == numbering


def test_unit_lists() -> None:
    assert split_units("市发展改革委、市财政局；市教育局\n各区政府") == (
        [],
        ["市发展改革委", "市财政局", "市教育局", "各区政府"],
    )
    assert split_units("市教育局（牵头）、市财政局等") == (["市教育局"], ["市财政局"])
    # 和 inside a name is not a separator
    assert split_units("市自然资源和规划局及各区政府") == ([], ["市自然资源和规划局", "各区政府"])


def test_a_table_with_two_header_rows_and_chapter_rows() -> None:
    rows = [
        ["序号", "工作任务", "责任单位", "责任单位", "完成时限"],
        ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
        ["一、科技创新"] * 5,
        ["1", "新建创新平台10家。", "市科技局", "市发展改革委\n市财政局", "2026年12月底前"],
        ["2", "建立常态化机制", "市住房城乡\n建设局", "", "长期坚持"],
    ]
    found = extract_tasks([Block(text="2025年工作要点"), Block(rows=rows)], year=None)
    assert [t.as_dict() for t in found] == [
        {
            "title": "新建创新平台10家",
            "content": "新建创新平台10家。",
            "lead_units": ["市科技局"],
            "co_units": ["市发展改革委", "市财政局"],
            "due": "2026-12-31",  # the year written wins over the title's 2025
            "due_text": "2026年12月底前",
            "ongoing": False,
            "path": ["一", "1"],
            "lead_leader": "",
        },
        {
            "title": "建立常态化机制",
            "content": "建立常态化机制",
            "lead_units": ["市住房城乡建设局"],
            "co_units": [],
            "due": None,
            "due_text": "长期坚持",
            "ongoing": True,
            "path": ["一", "2"],
            "lead_leader": "",
        },
    ]


def test_chapter_numbers_in_their_own_column() -> None:
    rows = [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["一", "科技创新", "", ""],
        ["1", "新建创新平台", "市科技局", "年底前"],
        ["（一）", "人才引进", "", ""],
        ["2", "引进高层次人才", "市人社局", "年底前"],
        ["二", "城市更新", "", ""],
        ["3", "改造老旧小区", "市住建局", "年底前"],
    ]
    found = extract_tasks([Block(rows=rows)], year=2026)
    assert [t.path for t in found] == [["一", "1"], ["一", "（一）", "2"], ["二", "3"]]


def test_a_table_with_only_responsible_units_lists_the_lead_first() -> None:
    rows = [
        ["序号", "重点任务", "责任单位", "完成时间"],
        ["1", "改造老旧小区", "市住房城乡建设局、各区政府", "6月底前"],
    ]
    (task,) = extract_tasks([Block(rows=rows)], year=2026)
    assert (task.lead_units, task.co_units, task.due) == (
        ["市住房城乡建设局"],
        ["各区政府"],
        "2026-06-30",
    )


def test_a_table_without_a_task_header_is_not_read() -> None:
    rows = [["姓名", "职务"], ["张三", "局长"]]
    assert extract_tasks([Block(rows=rows)], year=2026) == []


def test_a_bracket_that_is_not_about_units_is_left_alone() -> None:
    text = "1.建设示范市发展改革委员会大楼（简称发改委大楼）。"
    assert extract_tasks([Block(text=text)], year=2026) == []
    text = "1.推进数字政府建设（2026年）。"
    assert extract_tasks([Block(text=text)], year=2026) == []


def test_an_unreadable_deadline_keeps_its_words() -> None:
    task = one("1.推进某项工作。（牵头单位：市商务局；完成时限：按上级要求）")
    assert (task["due"], task["ongoing"], task["due_text"]) == (None, False, "按上级要求")


def test_document_year_from_the_title_then_a_date_then_today() -> None:
    assert (
        document_year([Block(text="关于印发2025年《政府工作报告》重点工作任务分工方案的通知")])
        == 2025
    )
    blocks = [Block(text="会议纪要"), *[Block(text="……")] * 10, Block(text="2024年3月5日")]
    assert document_year(blocks) == 2024
    with clock.pinned_today(dt.date(2027, 1, 5)):
        assert document_year([Block(text="会议纪要")]) == 2027
