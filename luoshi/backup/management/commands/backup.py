"""luoshi backup [--output PATH]: one consistent online backup file (docs/BACKUP.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.backup.databases import BackupError
from luoshi.backup.services import backup_create


class Command(BaseCommand):
    help = "备份数据库、上传文件和清单到一个文件（在线备份，无需停机）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="备份文件路径（默认 $LUOSHI_BACKUP_DIR/luoshi-<时间>.tar.gz）"
        )

    def handle(self, *args, **options):
        output = Path(options["output"]) if options["output"] else None
        try:
            path, manifest = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("备份完成：%(p)s（%(t)s 张表，%(f)s 个上传文件）")
            % {"p": path, "t": len(manifest["counts"]), "f": len(manifest["members"]) - 1}
        )
