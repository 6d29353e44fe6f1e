"""`luoshi audit verify` and `luoshi audit export`: the report, the exit status, archives
that verify offline and tell when they were altered or cut."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from luoshi.audit.models import AuditEvent


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_verify_reports_ok_with_count_and_last_hash(chain_of_five):
    code, out, err = run("verify", "--chunk", "2")
    assert code == 0, err
    assert "OK" in out and "5 条记录" in out and chain_of_five[-1].hash in out


def test_verify_lists_every_break_and_fails(chain_of_five, tamper):
    tamper("UPDATE audit_auditevent SET ip = '1.2.3.4' WHERE id = %s", [chain_of_five[1].id])
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain_of_five[3].id])
    code, out, err = run("verify")
    assert code == 1 and out == ""
    assert f"id={chain_of_five[1].id} seq=2 [edited]" in err
    assert f"id={chain_of_five[4].id} seq=5 [missing]" in err
    assert f"id={chain_of_five[4].id} seq=5 [link]" in err
    assert "校验未通过" in err


def test_verify_of_an_empty_log_is_ok(db):
    code, out, _err = run("verify")
    assert code == 0 and "0 条记录" in out


@pytest.mark.parametrize("fmt", ["jsonl", "xlsx"])
def test_an_export_verifies_offline(chain_of_five, tmp_path, fmt):
    path = tmp_path / f"archive.{fmt}"
    call_command("audit", "export", "--format", fmt, "--output", str(path), stdout=io.StringIO())
    # the export is itself audited, after the archive's last row
    export_event = AuditEvent.objects.get(action="audit.export")
    assert export_event.data["count"] == 5 and export_event.data["format"] == fmt
    code, out, err = run("verify", "--file", str(path))
    assert code == 0, err
    assert "5 条记录" in out and chain_of_five[-1].hash in out
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        assert "导出于" in wb.properties.description
        assert "导出于" in wb.worksheets[0].oddHeader.right.text


def test_a_date_range_archive_starts_from_its_anchor(db, tmp_path, monkeypatch):
    """Two events on 3 March, three on 4 March: the archive of 4 March holds rows 3-5 and
    anchors on row 2's hash; it verifies alone, and a copy cut short does not."""
    from django.utils import timezone

    from luoshi.audit.services import audit_log

    def at(day):
        return timezone.make_aware(dt.datetime(2026, 3, day, 9, 30))

    rows = []
    for day, n in ((3, 2), (4, 3)):
        monkeypatch.setattr(timezone, "now", lambda day=day: at(day))
        rows += [audit_log(actor=None, action=f"test.d{day}") for _ in range(n)]
    monkeypatch.undo()
    path = tmp_path / "d4.jsonl"
    call_command(
        "audit",
        "export",
        "--from",
        "2026-03-04",
        "--to",
        "2026-03-04",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    assert (header["anchor_prev_hash"], header["anchor_seq"]) == (rows[1].hash, 2)
    assert [json.loads(line)["seq"] for line in lines[1:-1]] == [3, 4, 5]
    assert trailer == {"end": True, "count": 3, "last_hash": rows[-1].hash, "last_seq": 5}
    code, _out, err = run("verify", "--file", str(path))
    assert code == 0, err
    # the same rows with a wrong anchor (an archive spliced onto another chain) fail
    header["anchor_prev_hash"] = rows[0].hash
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    code, _out, err = run("verify", "--file", str(path))
    assert code == 1 and "[link]" in err


def test_an_altered_archive_fails(chain_of_five, tmp_path):
    path = tmp_path / "a.jsonl"
    call_command("audit", "export", "--output", str(path), stdout=io.StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[2])
    row["data"]["i"] = 42
    lines[2] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run("verify", "--file", str(path))
    assert code == 1 and "[edited]" in err


def test_a_cut_archive_fails(chain_of_five, tmp_path):
    path = tmp_path / "a.jsonl"
    call_command("audit", "export", "--output", str(path), stdout=io.StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    code, _out, err = run("verify", "--file", str(path))
    assert code == 1 and "缺少结尾记录" in err


def test_bad_input_is_refused_in_chinese(db, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("audit", "verify", "--file", str(tmp_path / "none.jsonl"))
    junk = tmp_path / "junk.jsonl"
    junk.write_text("not json\n")
    with pytest.raises(CommandError, match="不是审计归档"):
        call_command("audit", "verify", "--file", str(junk))
    with pytest.raises(CommandError, match="开始日期不能晚于结束日期"):
        call_command("audit", "export", "--from", "2026-03-02", "--to", "2026-03-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit", "export", "--from", "2026-13-01")
    with pytest.raises(CommandError, match="输出目录不存在"):
        call_command("audit", "export", "--output", str(tmp_path / "no" / "a.jsonl"))
    assert not AuditEvent.objects.filter(action="audit.export").exists()
