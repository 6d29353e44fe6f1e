"""Attachment download: only for users who may see the task; always a download, with the
original (Chinese) file name, never sniffed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.reports.services import report_submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% report\n"


@pytest.fixture
def attachment(world, today):
    report = report_submit(
        actor=world.liaison_a,
        task=world.live,
        progress_text="进展顺利。",
        percent=20,
        files=[SimpleUploadedFile("一季度进展.pdf", PDF, "application/pdf")],
    )
    return report.attachments.get()


def test_download_keeps_the_name_and_is_never_inline(world, today, login, attachment):
    for user in (world.liaison_a, world.sup, world.leader):
        response = login(user).get(reverse("reports:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''%E4%B8%80%E5%AD%A3%E5%BA%A6%E8%BF%9B%E5%B1%95.pdf" in disposition
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="attachment.download").count() == 3


def test_download_access(world, today, login, attachment):
    url = reverse("reports:attachment", args=[attachment.pk])
    assert login(world.liaison_d).get(url).status_code == 404
    assert login(world.liaison_b).get(url).status_code == 404  # a co-unit: not its own part
    assert login(world.sysadmin).get(url).status_code == 404
    assert login(world.sup).get(reverse("reports:attachment", args=[99999])).status_code == 404
    assert login(world.sup).post(url).status_code == 405


def test_missing_file_is_404(world, today, login, attachment):
    attachment.file.storage.delete(attachment.file.name)
    response = login(world.sup).get(reverse("reports:attachment", args=[attachment.pk]))
    assert response.status_code == 404
