"""The offline CAPTCHA: solved through the service, refused when wrong, expired, reused or
forged; the picture is a PNG; the text fallback is a question in Chinese."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core import signing
from PIL import Image

from luoshi.clues import captcha
from luoshi.clues.models import CaptchaUse


def test_the_right_answer_passes_once(db):
    ch = captcha.new_challenge("image")
    answer = captcha.solution(ch.token)
    assert len(answer) == 5
    assert not set(answer) & set("01OIL")
    assert any(c.isalpha() for c in answer)
    captcha.verify(ch.token, answer.lower())
    assert CaptchaUse.objects.count() == 1
    with pytest.raises(captcha.CaptchaError, match="已使用过"):
        captcha.verify(ch.token, answer)


def test_a_wrong_answer_spends_the_token(db):
    ch = captcha.new_challenge("image")
    with pytest.raises(captcha.CaptchaError, match="不正确"):
        captcha.verify(ch.token, "WRONG")
    with pytest.raises(captcha.CaptchaError, match="已使用过"):
        captcha.verify(ch.token, captcha.solution(ch.token))


def test_an_expired_token_is_refused(db, settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_CAPTCHA_MAX_AGE": 60}
    ch = captcha.new_challenge("image")
    answer = captcha.solution(ch.token)
    with (
        time_machine.travel(io_time() + 61, tick=False),
        pytest.raises(captcha.CaptchaError, match="已过期"),
    ):
        captcha.verify(ch.token, answer)
    assert CaptchaUse.objects.count() == 0


def io_time():
    import time

    return time.time()


def test_a_forged_or_altered_token_is_refused(db):
    forged = signing.dumps({"n": "a" * 32, "k": "image"}, salt="another-salt")
    with pytest.raises(captcha.CaptchaError, match="无效"):
        captcha.verify(forged, "ABCDE")
    ch = captcha.new_challenge("image")
    with pytest.raises(captcha.CaptchaError, match="无效"):
        captcha.verify(ch.token[:-2] + "xx", captcha.solution(ch.token))
    with pytest.raises(captcha.CaptchaError, match="无效"):
        captcha.verify("", "x")


def test_the_answer_is_not_readable_from_the_token(db):
    for _ in range(20):
        ch = captcha.new_challenge("image")
        payload = signing.loads(ch.token, salt=captcha.SALT)
        assert set(payload) == {"n", "k"}
        assert captcha.solution(ch.token) not in ch.token.upper()


def test_the_text_fallback_is_a_chinese_sum_answered_in_digits(db):
    ch = captcha.new_challenge("text")
    assert ch.kind == "text"
    assert ch.question.endswith("等于几？") and "加" in ch.question
    a, b = ch.question.removesuffix("等于几？").split("加")
    expected = captcha.DIGITS_ZH.index(a) + captcha.DIGITS_ZH.index(b)
    assert captcha.solution(ch.token) == str(expected)
    captcha.verify(ch.token, "１" * 0 + str(expected))


def test_full_width_digits_are_accepted(db):
    ch = captcha.new_challenge("text")
    full = captcha.solution(ch.token).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    captcha.verify(ch.token, full)


def test_the_picture_is_a_png_of_the_right_size(db):
    ch = captcha.new_challenge("image")
    png = captcha.render_png(ch.token)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.size == (captcha.WIDTH, captcha.HEIGHT)
    # two drawings of the same token differ (noise), the answer does not
    assert captcha.render_png(ch.token) != png
    with pytest.raises(captcha.CaptchaError):
        captcha.render_png(captcha.new_challenge("text").token)
