"""luoshi restore PATH [--force]: check a backup's manifest, restore the database and the
uploads, then verify the audit chain (docs/BACKUP.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.backup.databases import BackupError
from luoshi.backup.services import backup_restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传文件，然后校验审计日志。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件")
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时仍然覆盖")

    def handle(self, *args, **options):
        try:
            outcome = backup_restore(path=Path(options["path"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest, result = outcome["manifest"], outcome["verify"]
        self.stdout.write(
            _("已恢复 %(at)s 的备份（%(t)s 张表，%(f)s 个上传文件）。")
            % {
                "at": manifest.get("created_at", ""),
                "t": len(manifest["counts"]),
                "f": len(manifest["members"]) - 1,
            }
        )
        if outcome["migrate"]:
            self.stdout.write(_("已补齐 %(n)s 个迁移。") % {"n": len(outcome["migrate"])})
        if not result.ok:
            for item in result.breaks[:50]:
                self.stderr.write(item.as_text())
            self.stderr.write(_("审计日志校验未通过：%(b)s 处断点。") % {"b": result.break_count})
            raise SystemExit(1)
        self.stdout.write(
            _("审计日志校验通过：%(n)s 条记录，末条哈希 %(h)s")
            % {"n": result.count, "h": result.last_hash or "—"}
        )
