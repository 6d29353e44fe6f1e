"""An offline CAPTCHA for the public clue form: no outside service, no JavaScript.

A challenge is a signed token (django.core.signing, salt "luoshi.clues.captcha", with a
timestamp) carrying a random nonce and the kind of question. The answer is not in the token:
it is derived from the nonce with an HMAC under SECRET_KEY, so the image view can draw it
and the check can recompute it, and nothing is stored until the token is answered.

  image  five characters from 2-9 and letters without I, L, O (no 0/O, 1/I/L look-alikes),
         at least one letter; drawn with Pillow: each character turned and shifted, noise
         lines and dots, a wave through the whole picture.
  text   the accessible fallback: an addition of two small numbers written in Chinese
         (“七加五等于几？”), answered in digits.

A token is valid for CLUE_CAPTCHA_MAX_AGE seconds and answers once: its nonce is recorded in
CaptchaUse (a unique column, so two processes cannot both accept it) on the first answer,
right or wrong, so the answer to one picture cannot be guessed by trying.

Tests solve a challenge with `solution(token)`, not by reading the picture.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import math
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from luoshi.clues.conf import conf
from luoshi.clues.models import CaptchaUse

SALT = "luoshi.clues.captcha"
IMAGE_CHARS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"
DIGITS_ZH = "零一二三四五六七八九十"
KINDS = ("image", "text")


class CaptchaError(Exception):
    """The answer is refused; str() is the Chinese message for the form."""


@dataclass(frozen=True)
class Challenge:
    token: str
    kind: str
    question: str  # for the text kind: the question; for the image kind: empty


def _secret(nonce: str) -> bytes:
    key = hashlib.sha256((settings.SECRET_KEY + SALT).encode()).digest()
    return hmac.new(key, nonce.encode(), hashlib.sha256).digest()


def _image_answer(nonce: str) -> str:
    digest = _secret(nonce)
    chars = [IMAGE_CHARS[b % len(IMAGE_CHARS)] for b in digest[:5]]
    if not any(c in LETTERS for c in chars):
        chars[digest[5] % 5] = LETTERS[digest[6] % len(LETTERS)]
    return "".join(chars)


def _numbers(nonce: str) -> tuple[int, int]:
    digest = _secret(nonce)
    return 1 + digest[0] % 9, 1 + digest[1] % 9


def _zh(n: int) -> str:
    return DIGITS_ZH[n]


def _question(nonce: str) -> str:
    a, b = _numbers(nonce)
    return _("%(a)s加%(b)s等于几？") % {"a": _zh(a), "b": _zh(b)}


def new_challenge(kind: str = "image") -> Challenge:
    kind = kind if kind in KINDS else "image"
    nonce = secrets.token_hex(16)
    token = signing.dumps({"n": nonce, "k": kind}, salt=SALT, compress=False)
    return Challenge(token=token, kind=kind, question=_question(nonce) if kind == "text" else "")


def _load(token: str) -> dict:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=conf("CLUE_CAPTCHA_MAX_AGE"))
    except signing.SignatureExpired as exc:
        raise CaptchaError(_("验证码已过期，请重新输入新的验证码。")) from exc
    except signing.BadSignature as exc:
        raise CaptchaError(_("验证码无效，请重新输入新的验证码。")) from exc
    if not isinstance(data, dict) or data.get("k") not in KINDS or not data.get("n"):
        raise CaptchaError(_("验证码无效，请重新输入新的验证码。"))
    return data


def solution(token: str) -> str:
    """The expected answer of a valid token (for drawing the picture, and for tests)."""
    data = _load(token)
    if data["k"] == "text":
        return str(sum(_numbers(data["n"])))
    return _image_answer(data["n"])


def _normalise(answer: str) -> str:
    table = str.maketrans("０１２３４５６７８９", "0123456789")
    return (answer or "").translate(table).strip().upper().replace(" ", "")


def _prune() -> None:
    horizon = timezone.now() - dt.timedelta(seconds=2 * conf("CLUE_CAPTCHA_MAX_AGE"))
    CaptchaUse.objects.filter(used_at__lt=horizon).delete()


def verify(token: str, answer: str) -> None:
    """Accept the answer once, or raise CaptchaError. The token is spent either way."""
    data = _load(token)
    expected = solution(token)
    try:
        with transaction.atomic():
            CaptchaUse.objects.create(nonce=data["n"], used_at=timezone.now())
    except IntegrityError as exc:
        raise CaptchaError(_("该验证码已使用过，请输入新的验证码。")) from exc
    if secrets.randbelow(50) == 0:
        _prune()
    if not hmac.compare_digest(_normalise(answer).encode(), expected.encode()):
        raise CaptchaError(_("验证码不正确，请重新输入。"))


# --- the picture ------------------------------------------------------------------------------

WIDTH, HEIGHT = 200, 70


def _font(size: int):
    return ImageFont.load_default(size=size)


def render_png(token: str) -> bytes:
    """The picture of an image token's answer (PNG). Raises CaptchaError for a bad token."""
    data = _load(token)
    if data["k"] != "image":
        raise CaptchaError(_("验证码无效，请重新输入新的验证码。"))
    text = _image_answer(data["n"])
    rng = random.Random(secrets.randbits(64))
    img = Image.new("RGB", (WIDTH, HEIGHT), (245, 245, 240))
    draw = ImageDraw.Draw(img)
    for _i in range(6):
        colour = tuple(rng.randint(120, 200) for _c in range(3))
        points = [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _p in range(2)]
        draw.line(points, fill=colour, width=rng.randint(1, 2))
    x = 12
    for ch in text:
        size = rng.randint(34, 42)
        glyph = Image.new("RGBA", (56, 60), (0, 0, 0, 0))
        colour = tuple(rng.randint(10, 90) for _c in range(3))
        ImageDraw.Draw(glyph).text((10, 4), ch, font=_font(size), fill=(*colour, 255))
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.BICUBIC, expand=False)
        img.paste(glyph, (x, rng.randint(0, 12)), glyph)
        x += rng.randint(30, 36)
    for _i in range(250):
        draw.point((rng.randrange(WIDTH), rng.randrange(HEIGHT)), fill=(90, 90, 90))
    # a wave: shift each column up or down
    amplitude, period, phase = rng.uniform(2, 4), rng.uniform(40, 70), rng.uniform(0, 6.3)
    waved = Image.new("RGB", (WIDTH, HEIGHT), (245, 245, 240))
    for col in range(WIDTH):
        dy = int(amplitude * math.sin(2 * math.pi * col / period + phase))
        waved.paste(img.crop((col, 0, col + 1, HEIGHT)), (col, dy))
    waved = waved.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    waved.save(out, format="PNG")
    return out.getvalue()
