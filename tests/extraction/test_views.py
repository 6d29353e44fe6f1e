"""从文件生成任务 pages: who may open them (office only; other roles 403, another office user's
upload 404), wrong methods, the flow upload → preview → update → confirm, bad files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.extraction import services
from luoshi.extraction.models import Extraction, ExtractionStatus
from luoshi.org.matching import unit_matcher
from luoshi.tasks.models import Source, Task, TaskUnit
from tests.rowcounts import count_rows

from .conftest import DOCS, PASSWORD

MODELS = [Extraction, Source, Task, TaskUnit, AuditEvent]


@pytest.fixture
def login(client):
    def log_in(user):
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return log_in


def file(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DOCS / name).read_bytes() if data is None else data)


@pytest.fixture
def ext(city):
    return services.extraction_start(actor=city.sup, upload=file("pishi.txt"), name="pishi.txt")


@pytest.mark.parametrize("who", ["li", "gxj_lly", "sysadmin"])
def test_other_roles_get_403_with_the_reason(city, login, ext, who) -> None:
    client = login(getattr(city, who))
    for url in (
        reverse("extraction:upload"),
        reverse("extraction:preview", args=[ext.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有督查室人员可以从文件生成任务。" in response.content.decode()
    before = count_rows(MODELS)
    assert client.post(reverse("extraction:confirm", args=[ext.pk])).status_code == 403
    assert count_rows(MODELS) == before


def test_another_office_users_upload_is_404(city, login, ext) -> None:
    client = login(city.sup2)
    assert client.get(reverse("extraction:preview", args=[ext.pk])).status_code == 404
    before = count_rows(MODELS)
    assert client.post(reverse("extraction:confirm", args=[ext.pk])).status_code == 404
    assert (
        client.post(reverse("extraction:update", args=[ext.pk]), {"year": 2026}).status_code == 404
    )
    assert count_rows(MODELS) == before


def test_wrong_methods(city, login, ext) -> None:
    client = login(city.sup)
    assert client.get(reverse("extraction:confirm", args=[ext.pk])).status_code == 405
    assert client.get(reverse("extraction:update", args=[ext.pk])).status_code == 405
    assert client.post(reverse("extraction:preview", args=[ext.pk])).status_code == 405
    assert client.put(reverse("extraction:upload")).status_code == 405


def test_the_sources_page_links_here_for_the_office_only(city, login) -> None:
    url = reverse("extraction:upload")
    assert url in login(city.sup).get(reverse("tasks:sources")).content.decode()
    assert url not in login(city.li).get(reverse("tasks:sources")).content.decode()


def test_the_whole_flow(city, login) -> None:
    client = login(city.sup)
    page = client.get(reverse("extraction:upload"))
    assert page.status_code == 200
    assert "从文件生成任务" in page.content.decode()
    response = client.post(
        reverse("extraction:upload"),
        {"file": file("fengong-fangan-prose.txt"), "new_source_title": "", "year": ""},
    )
    ext = Extraction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("extraction:preview", args=[ext.pk])
    page = client.get(response["Location"]).content.decode()
    assert "在文件中找到 8 项任务，将生成 8 项。" in page
    assert "有 2 个单位名称未匹配：各区政府、市园林局" in page
    assert 'id="extraction-confirm" disabled' in page
    # resolve the two names, leave task 7 out, keep the year
    form = {
        "year": "2026",
        "new_source_title": "分工方案",
        "keep": ["0", "1", "2", "3", "4", "5", "7"],
    }
    form["res_0"] = "0"  # 各区政府: not imported
    form["res_1"] = str(unit_matcher().match("市住房城乡建设局").pk)  # 市园林局
    response = client.post(reverse("extraction:update", args=[ext.pk]), form)
    assert response.status_code == 302
    page = client.get(reverse("extraction:preview", args=[ext.pk])).content.decode()
    assert "将生成 7 项" in page
    assert 'id="extraction-confirm" disabled' not in page
    response = client.post(reverse("extraction:confirm", args=[ext.pk]))
    ext.refresh_from_db()
    assert ext.status == ExtractionStatus.DONE
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:source_detail", args=[ext.source_id])
    assert Task.objects.filter(source=ext.source).count() == 7
    page = client.get(response["Location"]).content.decode()
    assert "已从文件生成 7 项任务" in page
    # confirming again changes nothing
    before = count_rows(MODELS)
    client.post(reverse("extraction:confirm", args=[ext.pk]))
    assert count_rows(MODELS) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "scan.pdf",
            (DOCS / "bad" / "scanned.pdf").read_bytes(),
            "该PDF没有文字层（可能是扫描件）",
        ),
        ("broken.docx", b"PK\x03\x04broken", "无法打开该 Word 文件：文件已损坏或不是 .docx 格式。"),
        ("table.xlsx", b"PK", "不支持的文件类型“.xlsx”"),
    ],
)
def test_bad_files_show_the_message_and_write_nothing(city, login, name, data, message) -> None:
    client = login(city.sup)
    before = count_rows(MODELS)
    response = client.post(reverse("extraction:upload"), {"file": file(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert count_rows(MODELS) == before


def test_a_bad_year_in_the_preview(city, login, ext) -> None:
    client = login(city.sup)
    response = client.post(
        reverse("extraction:update", args=[ext.pk]), {"year": "1999", "keep": ["0"]}
    )
    assert response.status_code == 400
    ext.refresh_from_db()
    assert ext.year == 2026
