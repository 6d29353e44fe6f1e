"""The public pages: submit (with every bad input and bot filter), the receipt, the status by
receipt code without enumeration, the rate limits (429), no log-in needed anywhere."""

from __future__ import annotations

import re

import time_machine
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.clues import captcha
from luoshi.clues.models import Clue, ClueCategory
from luoshi.notifications.models import Notification
from tests.clues.conftest import TEXT, form_data, jpeg_bytes, old_stamp


def _errors(response) -> str:
    return response.content.decode()


def test_the_form_answers_without_login_and_without_the_internal_menu(world, client):
    response = client.get(reverse("clues:submit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "提交线索" in html and "验证码" in html
    assert "<script" not in html  # works without JavaScript
    assert "navgroup" not in html and "userbox" not in html
    assert response["Cache-Control"] == "no-store, private"
    assert 'name="website"' in html and 'class="hp"' in html
    for name in ClueCategory.objects.filter(active=True).values_list("name", flat=True):
        assert name in html


def test_a_clue_handed_in_gets_a_receipt(world, client, post_form):
    response = post_form(world)
    assert response.status_code == 200
    html = response.content.decode()
    assert "提交成功" in html
    clue = Clue.objects.get()
    assert clue.text == TEXT and clue.contact == "13812345678"
    code = response.context["code"]
    assert code in html
    assert clue.receipt_hash and code not in clue.receipt_hash
    # the office is told, the audit log holds the contact masked
    notes = Notification.objects.filter(dedupe_key=f"clue-new:{clue.pk}")
    assert {n.recipient.username for n in notes} == {"sup"}  # sup_out's scope is 东城区
    event = AuditEvent.objects.get(action="clues.submit")
    assert event.data["contact"] in ("138****5678", "***")
    assert "13812345678" not in str(event.data)


def test_a_clue_naming_a_district_unit_tells_the_scoped_office_too(world, client, post_form):
    post_form(world, unit=world.district.pk)
    clue = Clue.objects.get()
    notes = Notification.objects.filter(dedupe_key=f"clue-new:{clue.pk}")
    assert {n.recipient.username for n in notes} == {"sup", "sup_out"}


def test_a_photo_is_stored_re_encoded(world, client, post_form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.jpg", jpeg_bytes() + b"<script>x</script>", "image/jpeg")
    response = post_form(world, files={"photo": photo})
    assert response.status_code == 200, _errors(response)
    clue = Clue.objects.get()
    assert clue.photo.name.startswith("clues/2026/")
    assert b"<script" not in clue.photo.read()


def test_an_html_file_named_jpg_is_refused_and_nothing_stored(world, client, post_form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("p.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    response = post_form(world, files={"photo": fake})
    assert "无法识别的图片" in _errors(response)
    assert not Clue.objects.exists()


def _refused(world, post_form, message, **fields):
    response = post_form(world, **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert "提交未成功" in html
    assert message in html, html
    assert not Clue.objects.exists()
    return html


def test_bad_input_is_refused_with_a_message(world, client, post_form):
    _refused(world, post_form, "请填写线索内容", text="   ")
    _refused(world, post_form, "至少 10 个字", text="路灯坏了")
    _refused(world, post_form, "不能超过 2000 个字", text="坏" * 2001)
    _refused(world, post_form, "请选择列表中的线索类别", category="99999")
    _refused(world, post_form, "请选择线索类别", category="")
    _refused(world, post_form, "请填写问题发生的地点", place="")
    _refused(world, post_form, "联系电话只能包含数字", contact="call me <b>now</b>")
    _refused(world, post_form, "请选择列表中的单位", unit="99999")


def test_a_retired_category_is_refused(world, client, post_form):
    cat = world.cat["其他"]
    cat.active = False
    cat.save()
    _refused(world, post_form, "请选择列表中的线索类别", category=cat.pk)


def test_the_entered_text_is_kept_after_an_error(world, client, post_form):
    html = _refused(world, post_form, "验证码不正确", captcha_answer="ZZZZZ", place="幸福路&lt;")
    assert TEXT in html
    assert "幸福路&amp;lt;" in html  # kept, escaped
    assert 'value="ZZZZZ"' not in html  # the answer to the old challenge is not kept


def test_wrong_expired_and_reused_captcha(world, client, post_form, settings):
    _refused(world, post_form, "验证码不正确", captcha_answer="ZZZZZ")
    _refused(world, post_form, "请输入验证码", captcha_answer="")
    _refused(world, post_form, "验证码无效", captcha_token="forged:token")
    data = form_data(world)
    assert client.post(reverse("clues:submit"), data).status_code == 200
    assert Clue.objects.count() == 1
    again = client.post(reverse("clues:submit"), data)  # the same token a second time
    assert "该验证码已使用过" in again.content.decode()
    assert Clue.objects.count() == 1
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_CAPTCHA_MAX_AGE": 60}
    late = form_data(world)
    import time

    with time_machine.travel(time.time() + 120, tick=False):
        response = client.post(reverse("clues:submit"), late)
    assert "验证码已过期" in response.content.decode()
    assert Clue.objects.count() == 1


def test_the_text_captcha_works_in_the_form(world, client, post_form):
    ch = captcha.new_challenge("text")
    response = post_form(world, captcha_token=ch.token, captcha_answer=captcha.solution(ch.token))
    assert "提交成功" in response.content.decode()


def test_switching_the_captcha_keeps_the_fields_and_checks_nothing(world, client):
    data = form_data(world, new_captcha="text", text="<b>只写了一半</b>")
    response = client.post(reverse("clues:submit"), data)
    html = response.content.decode()
    assert response.context["challenge"].kind == "text"
    assert "等于几" in html and "&lt;b&gt;只写了一半&lt;/b&gt;" in html
    assert "提交未成功" not in html
    assert not Clue.objects.exists()


def test_the_captcha_can_be_switched_off(world, client, post_form, settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_CAPTCHA": False}
    html = client.get(reverse("clues:submit")).content.decode()
    assert "验证码" not in html
    response = post_form(world, captcha_token="", captcha_answer="")
    assert "提交成功" in response.content.decode()


def test_honeypot_and_minimum_fill_time(world, client, post_form):
    _refused(world, post_form, "提交未通过校验", website="http://spam.example")
    _refused(world, post_form, "提交过快", started=old_stamp(0.1))
    _refused(world, post_form, "页面已过期或不完整", started="tampered")


def test_submissions_are_rate_limited_per_address(world, client, post_form, settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_RATE_SUBMIT": (2, 3600)}
    assert "提交成功" in post_form(world).content.decode()
    assert "提交成功" in post_form(world).content.decode()
    response = post_form(world)
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Clue.objects.count() == 2
    # another address is not held back
    other = client.post(reverse("clues:submit"), form_data(world), REMOTE_ADDR="10.0.0.9")
    assert "提交成功" in other.content.decode()


def test_the_captcha_picture(world, client):
    ch = captcha.new_challenge("image")
    response = client.get(reverse("clues:captcha"), {"t": ch.token})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store, private"
    bad = client.get(reverse("clues:captcha"), {"t": "bad"})
    assert bad.status_code == 302 and bad["Location"] == reverse("clues:submit")
    assert client.post(reverse("clues:captcha"), {"t": ch.token}).status_code == 405


# --- status -------------------------------------------------------------------------------------


def _lookup(client, code, **extra):
    return client.post(reverse("clues:status"), {"code": code}, **extra)


def test_status_by_receipt_code_shows_only_that_clue(world, client):
    _mine, code = world.submit("我反映的问题：幸福路路灯不亮已经三个月了。")
    world.submit("另一位群众的线索：秘密内容不应被别人看到。")
    response = _lookup(client, code.lower().replace("-", " "))
    html = response.content.decode()
    assert response.status_code == 200
    assert "已受理" in html
    assert "秘密内容" not in html and "幸福路路灯" not in html  # status only, no text at all
    assert "138" not in html
    assert response.context["result"].code == "received"


def test_wrong_codes_get_the_same_answer(world, client):
    from luoshi.clues import receipts

    world.submit()
    answers = set()
    for _ in range(5):
        response = _lookup(client, receipts.new_code())
        main = response.content.decode().split("<main")[1].split("</main>")[0]
        answers.add(re.sub(r'value="[^"]*"', "", main))  # the CSRF token, the code typed
    assert len(answers) == 1
    assert "没有查到与该回执码对应的线索" in answers.pop()


def test_a_mistyped_code_is_told_before_any_lookup(world, client, django_assert_num_queries):
    _clue, code = world.submit()
    typo = ("3" if code[0] != "3" else "4") + code[1:]
    response = _lookup(client, typo)
    assert "回执码有误" in response.content.decode()
    assert _lookup(client, "").status_code == 200
    assert "请输入回执码" in _lookup(client, "").content.decode()
    assert "回执码有误" in _lookup(client, "X" * 41).content.decode()


def test_lookups_are_rate_limited(world, client, settings):
    from luoshi.clues import receipts

    settings.LUOSHI = {**settings.LUOSHI, "CLUE_RATE_LOOKUP": (3, 600)}
    _clue, code = world.submit()
    for _ in range(3):
        assert _lookup(client, receipts.new_code()).status_code == 200
    blocked = _lookup(client, code)  # even the right code, once the address is over its limit
    assert blocked.status_code == 429
    assert "result" not in (blocked.context or {}) or blocked.context["result"] is None
    assert _lookup(client, code, REMOTE_ADDR="10.1.1.1").status_code == 200


def test_rate_limit_window_passes(world, client, settings):
    import time

    from luoshi.clues import receipts

    settings.LUOSHI = {**settings.LUOSHI, "CLUE_RATE_LOOKUP": (1, 60)}
    assert _lookup(client, receipts.new_code()).status_code == 200
    assert _lookup(client, receipts.new_code()).status_code == 429
    with time_machine.travel(time.time() + 61, tick=False):
        assert _lookup(client, receipts.new_code()).status_code == 200


def test_get_on_status_shows_the_form(world, client):
    response = client.get(reverse("clues:status"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert client.put(reverse("clues:status")).status_code == 405
    assert client.delete(reverse("clues:submit")).status_code == 405
