"""`luoshi bulletin --from … --to … [-o FILE.docx] [--today D] [--user NAME]`: the same service
as the page; the .docx written where asked; bad dates and periods refused in Chinese."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from luoshi.bulletins.models import Bulletin, BulletinState

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("bulletin", *args, stdout=out)
    return out.getvalue()


def test_generates_a_draft_and_writes_the_document(world, tmp_path):
    target = tmp_path / "十一月.docx"
    out = run(
        "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(target), "--today", "2026-12-10"
    )
    bulletin = Bulletin.objects.get()
    assert bulletin.state == BulletinState.DRAFT and bulletin.generated_by is None
    assert bulletin.statistics["total"] == 9  # as the system: every task
    assert out.startswith("已生成督查通报草稿“关于2026年11月重点工作任务落实情况的通报”")
    assert "纳入统计任务 9 项，逾期未办结 2 项，列入通报 1 项，表扬 1 项" in out
    texts = [p.text for p in Document(str(target)).paragraphs]
    assert "关于2026年11月重点工作任务落实情况的通报" in texts
    assert "二〇二六年十二月十日" in texts


def test_into_a_folder_under_the_documents_name(world, tmp_path):
    run("--from", "2026-11-01", "--to", "2026-11-30", "-o", str(tmp_path), "--today", "2026-12-10")
    assert (tmp_path / "督查通报（草稿）2026-11-01至2026-11-30.docx").exists()


def test_as_a_scoped_user(world, tmp_path):
    run(
        "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(tmp_path),
        "--today", "2026-12-10", "--user", "sup_b", "--title", "交通专项通报",
    )  # fmt: skip
    bulletin = Bulletin.objects.get()
    assert bulletin.statistics["total"] == 2 and bulletin.title == "交通专项通报"
    assert bulletin.generated_by == world.sup_b


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-11-30", "--to", "2026-11-01"), "开始日期不能晚于结束日期。"),
        (("--from", "2026-11-01", "--to", "2026-12-31"), "通报期间不能晚于今天（2026-12-10）"),
        (("--from", "2025-01-01", "--to", "2026-11-30"), "通报期间不能超过一年。"),
        (("--from", "2026-11-31", "--to", "2026-11-30"), "日期“2026-11-31”无效"),
        (
            ("--from", "2026-11-01", "--to", "2026-11-30", "--user", "nobody"),
            "账号“nobody”不存在。",
        ),
        (
            ("--from", "2026-11-01", "--to", "2026-11-30", "--user", "leader"),
            "只有督查室人员可以生成和印发督查通报。",
        ),
    ],
)
def test_refusals(world, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--today", "2026-12-10", "-o", str(tmp_path))
    assert not Bulletin.objects.exists()
    assert list(tmp_path.iterdir()) == []
