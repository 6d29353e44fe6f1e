"""hypothesis on the small text parsers: the deadline parser (luoshi/lib/deadlines.py) gives a
Deadline or its Chinese refusal (DeadlineError, a ValidationError), never another exception;
the Chinese numbers (luoshi/lib/cn_numbers.py) are written for every supported number and
refuse the rest with the documented ValueError."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from luoshi.lib.cn_numbers import cn_date, cn_digits, cn_number
from luoshi.lib.deadlines import Deadline, DeadlineError, deadline_in_sentence, parse_deadline
from tests.fuzz.conftest import fuzz_settings

# the pieces deadlines are written with, shuffled into words that look like them
PIECES = [
    *"0123456789０１２３４５６７８９一二两三四五六七八九十",
    "年",
    "月",
    "日",
    "号",
    "底",
    "末",
    "初",
    "中",
    "前",
    "上旬",
    "中旬",
    "下旬",
    "季度",
    "第",
    "上半年",
    "下半年",
    "年底",
    "年内",
    "全年",
    "明",
    "次",
    "今",
    "本",
    "当",
    "份",
    "以前",
    "之前",
    "完成",
    "长期坚持",
    "持续推进",
    "-",
    ".",
    "/",
    " ",
    "，",
    "0000",
    "0001",
    "9999",
]
deadline_words = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
)


@given(words=deadline_words, year=st.integers(min_value=1900, max_value=2200))
@fuzz_settings(default=300)
@example(words="0000年底", year=2026)
@example(words="0000年6月底前", year=2026)
@example(words="0001年1月前", year=2026)
@example(words="0000-01-01", year=2026)
def test_deadline_is_a_date_ongoing_or_a_chinese_refusal(words, year):
    try:
        result = parse_deadline(words, year=year)
    except DeadlineError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
        assert "完成时限" in exc.messages[0]
        return
    assert isinstance(result, Deadline)
    assert result.due is None or isinstance(result.due, dt.date)
    assert not (result.due and result.ongoing)


@given(words=deadline_words)
@fuzz_settings(default=200)
def test_deadline_in_a_sentence_is_words_of_the_sentence_or_none(words):
    found = deadline_in_sentence(f"请于{words}完成")
    assert found is None or found in f"请于{words}完成"


@pytest.mark.parametrize("words", ["0000年底", "0000年6月底前", "0001年1月前", "0000-01-01"])
def test_year_zero_and_day_before_year_one_are_refused_in_chinese(words):
    """Found by the fuzzing: these raised ValueError / OverflowError from datetime."""
    with pytest.raises(DeadlineError, match="不是一个存在的日期"):
        parse_deadline(words, year=2026)


@given(n=st.integers(min_value=-(10**9), max_value=10**9))
@fuzz_settings(default=300)
def test_cn_number_writes_supported_numbers_and_refuses_the_rest(n):
    if abs(n) >= 100_000_000:
        with pytest.raises(ValueError):
            cn_number(n)
        return
    text = cn_number(n)
    assert text and set(text) <= set("负零〇一二三四五六七八九十百千万")
    assert (not text.startswith("一十") and not text.endswith("零")) or n == 0


@given(n=st.integers(min_value=-(10**6), max_value=10**12))
@fuzz_settings(default=200)
def test_cn_digits_is_one_character_per_digit(n):
    if n < 0:
        with pytest.raises(ValueError):
            cn_digits(n)
        return
    assert len(cn_digits(n)) == len(str(n))


@given(day=st.dates())
@fuzz_settings(default=200)
def test_cn_date_writes_every_date(day):
    text = cn_date(day)
    assert text.endswith("日") and "年" in text and "月" in text
