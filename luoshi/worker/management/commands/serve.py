"""`luoshi serve`: the web application in gunicorn, several processes behind one address
(luoshi/gunicorn_conf.py; docs/SCALE.md). The command becomes gunicorn's master process, so
its signals (HUP: reload, TERM: stop) go straight to gunicorn."""

from __future__ import annotations

import os
import shutil
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    requires_system_checks = []

    @property
    def help(self) -> str:
        return _("用 gunicorn 运行网站（多个进程监听同一地址），参数见 docs/SCALE.md。")

    def add_arguments(self, parser):
        parser.add_argument("--bind", help=_("监听地址，如 0.0.0.0:8000（默认 LUOSHI_BIND）"))
        parser.add_argument("--workers", type=int, help=_("进程数（默认 CPU 核数×2+1）"))
        parser.add_argument("--threads", type=int, help=_("每个进程的线程数（默认 1）"))
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help=_("启动前不收集静态文件（已由部署步骤完成时）"),
        )

    def handle(self, *args, bind=None, workers=None, threads=None, **options):
        for name, value in (("workers", workers), ("threads", threads)):
            if value is not None and value < 1:
                raise CommandError(_("--%(name)s 必须是正整数。") % {"name": name})
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError(_("未安装 gunicorn：请在虚拟环境中安装 Luoshi 的依赖。"))
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        if bind:
            os.environ["LUOSHI_BIND"] = bind
        if workers:
            os.environ["LUOSHI_WEB_WORKERS"] = str(workers)
        if threads:
            os.environ["LUOSHI_WEB_THREADS"] = str(threads)
        argv = [gunicorn, "-c", "python:luoshi.gunicorn_conf", "luoshi.wsgi:application"]
        self.stdout.flush()
        os.execv(gunicorn, argv)  # gunicorn replaces this process (same pid for the signals)
