"""群众线索 in a phone's browser with JavaScript switched off: the public hands in a clue
(with a photo and the CAPTCHA), keeps the receipt code, and looks the clue up; a wrong
CAPTCHA is refused with the typing kept; the text question replaces the picture."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from luoshi.clues import captcha
from luoshi.clues.models import Clue, ClueCategory

PHONE_WIDTH = 375
NO_JS_PHONE = {
    "viewport": {"width": PHONE_WIDTH, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "java_script_enabled": False,
}
TEXT = "幸福路与建设街交叉口的路灯坏了一个多月，晚上路口很黑，过马路不安全。"


@pytest.fixture
def public_phone(new_page, transactional_db, live_server, settings):
    settings.LUOSHI = {**settings.LUOSHI, "CLUE_MIN_FILL_SECONDS": 0}
    for i, name in enumerate(["政策落实", "营商环境", "民生服务", "作风问题", "其他"]):
        ClueCategory.objects.get_or_create(name=name, defaults={"sort_order": i})
    return new_page(**NO_JS_PHONE)


def _fits(page) -> None:
    box = page.locator("main").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH + 1


def _solve(page) -> None:
    token = page.locator("input[name=captcha_token]").get_attribute("value")
    page.locator("input[name=captcha_answer]").fill(captcha.solution(token))


def test_hand_in_and_look_up_a_clue_without_javascript(public_phone, tmp_path):
    page = public_phone
    page.goto("/clues/")
    expect(page.get_by_role("heading", level=1)).to_have_text("向督查室反映问题线索")
    _fits(page)
    picture = page.get_by_role("img", name="验证码图片：如看不清，请改用文字题")
    expect(picture).to_be_visible()
    assert picture.bounding_box()["width"] >= 150
    submit = page.get_by_role("button", name="提交线索")
    assert submit.bounding_box()["height"] >= 44  # a thumb's tap target

    page.get_by_label("线索类别").select_option(label="民生服务")
    page.get_by_label("地点").fill("东城区幸福路")
    page.get_by_label("线索内容").fill(TEXT)
    page.get_by_label("联系电话（可不填）").fill("13800001111")
    photo = tmp_path / "路灯.png"
    from PIL import Image

    Image.new("RGB", (60, 40), (10, 10, 10)).save(photo)
    page.get_by_label("照片（可不传）").set_input_files(str(photo))

    # a wrong answer: refused, the typing kept, a new picture
    page.locator("input[name=captcha_answer]").fill("WRONG")
    submit.tap()
    expect(page.locator(".pub-errors")).to_contain_text("验证码不正确")
    expect(page.get_by_label("线索内容")).to_have_value(TEXT)
    assert not Clue.objects.exists()

    # the text question instead of the picture
    page.get_by_role("button", name="改用文字题").tap()
    expect(page.locator(".pub-captcha label")).to_contain_text("等于几")
    expect(page.get_by_label("线索内容")).to_have_value(TEXT)
    page.get_by_label("照片（可不传）").set_input_files(str(photo))
    _solve(page)
    page.get_by_role("button", name="提交线索").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功")
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code) == 24 and code.count("-") == 4
    _fits(page)
    clue = Clue.objects.get()
    assert clue.photo and clue.contact == "13800001111"

    page.get_by_role("link", name="查询进度").first.tap()
    page.get_by_label("回执码").fill(code.lower())
    page.get_by_role("button", name="查询").tap()
    expect(page.locator(".status-card")).to_contain_text("已受理")
    expect(page.locator("main")).not_to_contain_text(TEXT)
    _fits(page)

    page.get_by_label("回执码").fill("AAAA-AAAA-AAAA-AAAA-AAAA")
    page.get_by_role("button", name="查询").tap()
    expect(page.locator("main")).to_contain_text("回执码有误")
