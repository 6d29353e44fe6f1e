"""填报 (reports:submit): the unit's own report, the lead unit's indicator values and files;
bad input is named in Chinese and writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.reports.models import Attachment, ProgressReport

PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16

pytestmark = pytest.mark.django_db


def _url(task):
    return reverse("reports:submit", args=[task.pk])


def _post(client, task, **extra):
    data = {"progress_text": "已完成方案编制。", "percent": "35", **extra}
    return client.post(_url(task), data)


def test_lead_liaison_reports_with_indicator_and_files(world, today, login):
    client = login(world.liaison_a)
    form = client.get(_url(world.live))
    assert form.status_code == 200
    page = form.content.decode()
    assert "改造小区" in page and "提交" in page and 'type="file"' in page
    indicator = world.live.indicators.get()
    response = _post(
        client,
        world.live,
        problems="资金缺口较大。",
        next_steps="争取专项债。",
        **{f"indicator_{indicator.pk}": "12"},
        files=[
            SimpleUploadedFile("进展材料.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        ],
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[world.live.pk])
    report = ProgressReport.objects.get(task=world.live, unit=world.a)
    assert report.percent == 35 and report.problems == "资金缺口较大。"
    assert sorted(a.original_name for a in report.attachments.all()) == [
        "现场照片.png",
        "进展材料.pdf",
    ]
    indicator.refresh_from_db()
    assert indicator.current == 12
    world.live.refresh_from_db()
    assert world.live.progress == 35


def test_co_unit_reports_its_own_part_without_indicators(world, today, login):
    client = login(world.liaison_b)
    page = client.get(_url(world.live)).content.decode()
    assert "改造小区" not in page
    assert _post(client, world.live, percent="60").status_code == 302
    report = ProgressReport.objects.get(task=world.live)
    assert report.unit == world.b and report.percent == 60
    world.live.refresh_from_db()
    assert world.live.progress == 0  # a co-unit's percent is its own part


def test_outsider_gets_404_and_nothing_is_written(world, today, login, counts):
    client = login(world.liaison_d)
    before = counts()
    assert client.get(_url(world.live)).status_code == 404
    assert _post(client, world.live).status_code == 404
    assert counts() == before


def test_leader_sees_the_task_but_may_not_report(world, today, login, counts):
    client = login(world.leader)
    before = counts()
    assert client.get(_url(world.live)).status_code == 403
    assert _post(client, world.live).status_code == 403
    assert _post(client, world.live, percent="").status_code == 403  # invalid form: still 403
    assert counts() == before


def test_wrong_method_is_405(world, today, login):
    client = login(world.liaison_a)
    assert client.put(_url(world.live)).status_code == 405


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        ("101", "完成进度须在 0 到 100 之间。"),
        ("-1", "完成进度须在 0 到 100 之间。"),
        ("abc", "完成进度须为 0 到 100 之间的整数。"),
        ("", "请填写完成进度。"),
    ],
)
def test_bad_percent_is_named_and_nothing_written(world, today, login, counts, percent, message):
    client = login(world.liaison_a)
    before = counts()
    response = _post(client, world.live, percent=percent)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_missing_progress_text(world, today, login, counts):
    client = login(world.liaison_a)
    before = counts()
    response = _post(client, world.live, progress_text="  ")
    assert "请填写工作进展。" in response.content.decode()
    assert counts() == before


def test_indicator_value_must_be_a_number(world, today, login, counts):
    client = login(world.liaison_a)
    indicator = world.live.indicators.get()
    before = counts()
    response = _post(client, world.live, **{f"indicator_{indicator.pk}": "十二"})
    assert "请填写数字。" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("工具.exe", b"MZ\x90\x00", "application/octet-stream"),
            "类型不允许上传",
        ),
        (
            SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
            "内容与扩展名不符",
        ),
        (SimpleUploadedFile("空.pdf", b"", "application/pdf"), "是空文件"),
    ],
    ids=["exe", "mismatch", "empty"],
)
def test_bad_attachment_is_named_and_nothing_written(world, today, login, counts, upload, message):
    client = login(world.liaison_a)
    before = counts()
    response = _post(
        client, world.live, files=[SimpleUploadedFile("好的.pdf", PDF, "application/pdf"), upload]
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and upload.name in page
    assert counts() == before
    assert not Attachment.objects.exists()


def test_attachment_over_the_size_limit(world, today, login, counts, settings):
    settings.LUOSHI = {**settings.LUOSHI, "ATTACHMENT_MAX_BYTES": 1024}
    client = login(world.liaison_a)
    before = counts()
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048, "application/pdf")
    response = _post(client, world.live, files=[big])
    page = response.content.decode()
    assert "附件“大文件.pdf”超过大小限制（1.0\xa0KB）。" in page
    assert counts() == before


def test_report_on_a_closed_task_is_refused_with_a_message(world, today, login, counts):
    client = login(world.liaison_a)
    before = counts()
    response = _post(client, world.closed)
    assert response.status_code == 200
    assert "任务已办结，不能再填报。" in response.content.decode()
    assert counts() == before


def test_report_before_signing_is_refused_with_a_message(world, today, login, counts):
    client = login(world.liaison_a)
    assert client.get(_url(world.fresh)).status_code == 403  # no form before 签收
    before = counts()
    response = _post(client, world.fresh)
    assert "任务当前状态为“已交办”，不能填报。" in response.content.decode()
    assert counts() == before


def test_a_liaison_cannot_report_for_another_unit(world, today, login, counts):
    """The unit is always the reporter's own: a co-unit's liaison posting a lead unit's id
    (or posting on a task of a unit they do not belong to) writes nothing for that unit."""
    client = login(world.liaison_c)
    before = counts()
    assert _post(client, world.live, unit=str(world.a.pk)).status_code == 404
    assert counts() == before
    client = login(world.liaison_b)
    assert _post(client, world.live, unit=str(world.a.pk)).status_code == 302
    assert list(ProgressReport.objects.values_list("unit", flat=True)) == [world.b.pk]


def test_form_suggests_the_units_last_percent(world, today, login):
    client = login(world.liaison_a)
    _post(client, world.live, percent="45")
    page = client.get(_url(world.live)).content.decode()
    assert 'value="45"' in page
    assert "上次填报" in page
