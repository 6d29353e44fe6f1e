from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from luoshi.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index (搜索) of tasks, progress reports and sources."

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = reindex_all()
        self.stdout.write(
            "indexed {tasks} tasks, {reports} reports, {sources} sources in {s:.1f} s".format(
                **counts, s=time.perf_counter() - started
            )
        )
