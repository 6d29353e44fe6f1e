"""Numbers and dates in Chinese characters (luoshi.lib.cn_numbers)."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.lib.cn_numbers import cn_date, cn_digits, cn_number


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (25, "二十五"),
        (31, "三十一"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (2026, "二千零二十六"),
        (10000, "一万"),
        (10010, "一万零一十"),
        (10500, "一万零五百"),
        (12345, "一万二千三百四十五"),
        (100000, "十万"),
        (150000, "十五万"),
        (99_999_999, "九千九百九十九万九千九百九十九"),
        (-3, "负三"),
    ],
)
def test_cn_number(n, text):
    assert cn_number(n) == text


def test_cn_number_refuses_what_it_cannot_write():
    with pytest.raises(ValueError):
        cn_number(100_000_000)
    with pytest.raises(ValueError):
        cn_digits(-1)


@pytest.mark.parametrize(
    ("year", "text"),
    [(2026, "二〇二六"), (2030, "二〇三〇"), (1999, "一九九九"), (2000, "二〇〇〇")],
)
def test_cn_digits_write_years_digit_by_digit(year, text):
    assert cn_digits(year) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 11, 25), "二〇二六年十一月二十五日"),
        (dt.date(2026, 1, 1), "二〇二六年一月一日"),
        (dt.date(2026, 10, 10), "二〇二六年十月十日"),
        (dt.date(2026, 12, 31), "二〇二六年十二月三十一日"),
        (dt.date(2030, 2, 20), "二〇三〇年二月二十日"),
    ],
)
def test_cn_date(day, text):
    assert cn_date(day) == text
