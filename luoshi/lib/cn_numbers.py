"""Numbers and dates written in Chinese characters, as official documents write them.

- cn_digits(2026)  → "二〇二六"          (a year: digit by digit, zero as 〇)
- cn_number(25)    → "二十五"            (a count or a day: 十 for 10–19, no leading 一)
- cn_date(d)       → "二〇二六年十一月二十五日"   (成文日期, GB/T 9704 7.3.5.3)

Only whole numbers from 0 to 99,999,999 are written with units (万); that is more than
any document number, heading or count in a bulletin needs.
"""

from __future__ import annotations

import datetime as dt

DIGITS = "〇一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")


def cn_digits(n: int) -> str:
    """Each digit as its character: 2026 → 二〇二六 (years)."""
    if n < 0:
        raise ValueError("negative numbers are not written digit by digit")
    return "".join(DIGITS[int(c)] for c in str(n))


def _below_10000(n: int) -> str:
    """1–9999 with units; a run of zeros inside is one 零, trailing zeros none."""
    out: list[str] = []
    digits = f"{n:04d}"
    zero = False
    started = False
    for i, c in enumerate(digits):
        d = int(c)
        unit = _SMALL_UNITS[3 - i]
        if d == 0:
            zero = started
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + unit)
        started = True
    return "".join(out)


def cn_number(n: int) -> str:
    """A whole number in characters: 0 → 零, 10 → 十, 15 → 十五, 25 → 二十五, 105 → 一百零五,
    10010 → 一万零一十."""
    if n < 0:
        return "负" + cn_number(-n)
    if n == 0:
        return "零"
    if n >= 100_000_000:
        raise ValueError("numbers of a hundred million and more are not supported")
    high, low = divmod(n, 10_000)
    if high:
        text = _below_10000(high)
        if 10 <= high < 20:
            text = text[1:]  # 十万, not 一十万
        text += "万"
        if low:
            # 一万零五百: a zero when the lower part does not fill its thousands
            # (inside a larger number the 一 of 一十 stays: 一万零一十)
            text += ("零" if low < 1000 else "") + _below_10000(low)
    else:
        text = _below_10000(low)
        if 10 <= n < 20:
            text = text[1:]  # 十五, not 一十五
    return text


def cn_date(day: dt.date) -> str:
    """二〇二六年十一月二十五日: the year digit by digit, month and day as numbers."""
    return f"{cn_digits(day.year)}年{cn_number(day.month)}月{cn_number(day.day)}日"
