"""The one deadline parser (luoshi/lib/deadlines.py): every form offices write."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.lib.deadlines import Deadline, DeadlineError, deadline_in_sentence, parse_deadline

D = dt.date


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("年底前", D(2026, 12, 31)),
        ("年底前完成", D(2026, 12, 31)),
        ("年内", D(2026, 12, 31)),
        ("6月底前", D(2026, 6, 30)),
        ("2月底前", D(2026, 2, 28)),
        ("2026年6月底前完成", D(2026, 6, 30)),
        ("2026年9月底前完成", D(2026, 9, 30)),
        ("十二月底", D(2026, 12, 31)),
        ("６月底前", D(2026, 6, 30)),
        ("6月上旬", D(2026, 6, 10)),
        ("6月中旬", D(2026, 6, 20)),
        ("6月下旬", D(2026, 6, 30)),
        ("6月前", D(2026, 5, 31)),
        ("三季度", D(2026, 9, 30)),
        ("三季度末前", D(2026, 9, 30)),
        ("第一季度", D(2026, 3, 31)),
        ("2027年二季度", D(2027, 6, 30)),
        ("上半年", D(2026, 6, 30)),
        ("下半年", D(2026, 12, 31)),
        ("2026年12月31日", D(2026, 12, 31)),
        ("2026年12月31日前", D(2026, 12, 31)),
        ("10月31日前完成", D(2026, 10, 31)),
        ("2026-03-02", D(2026, 3, 2)),
        ("2026.3.2", D(2026, 3, 2)),
        ("2026/03/02", D(2026, 3, 2)),
        ("2027年底", D(2027, 12, 31)),
        ("明年6月底", D(2027, 6, 30)),
        ("2026—2027年", D(2027, 12, 31)),
        ("2026年6月底前完成试点，年底前全面推开", D(2026, 12, 31)),
        ("2028年2月29日", D(2028, 2, 29)),
    ],
)
def test_dates(text: str, due: dt.date) -> None:
    assert parse_deadline(text, year=2026) == Deadline(due, False, text)


@pytest.mark.parametrize("text", ["长期坚持", "持续推进", "常态化推进", "长期", "持续开展"])
def test_ongoing(text: str) -> None:
    assert parse_deadline(text, year=2026) == Deadline(None, True, text)


def test_year_comes_from_the_caller_unless_written() -> None:
    assert parse_deadline("6月底前", year=2025).due == D(2025, 6, 30)
    assert parse_deadline("2026年6月底前", year=2025).due == D(2026, 6, 30)


def test_empty_is_no_deadline() -> None:
    assert parse_deadline("", year=2026) == Deadline(None, False, "")
    assert parse_deadline(None, year=2026) == Deadline(None, False, "")
    assert parse_deadline("  ", year=2026) == Deadline(None, False, "")


def test_words_are_kept_with_spaces_folded() -> None:
    assert parse_deadline("  2026年 6月底前 ", year=2026).text == "2026年 6月底前"


@pytest.mark.parametrize("text", ["2026年2月30日", "2026年13月底", "2027年2月29日", "2026-04-31"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, year=2026)
    assert caught.value.messages == [f"完成时限“{text}”不是一个存在的日期，请检查年、月、日。"]


@pytest.mark.parametrize("text", ["尽快", "按要求", "立即"])
def test_unknown_words_are_refused(text: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, year=2026)
    assert caught.value.messages[0].startswith(f"无法识别完成时限“{text}”")


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("于5月底前拿出学校周边交通综合治理方案", "5月底前"),
        ("结合“城市容貌提升”行动，6月底前完成学校周边占道经营整治", "6月底前完成"),
        ("加快停车设施建设，年底前新增停车泊位2000个", "年底前"),
        ("确保2026年三季度末前全面建成", "2026年三季度末前"),
        ("力争１０月３１日之前完成", "１０月３１日之前完成"),
        ("2026年3月12日，市长主持召开常务会议", None),
        ("新增城镇就业岗位3.5万个", None),
    ],
)
def test_deadline_in_a_sentence(sentence: str, words: str | None) -> None:
    assert deadline_in_sentence(sentence) == words
