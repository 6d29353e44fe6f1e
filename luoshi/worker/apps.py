from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class WorkerConfig(AppConfig):
    """Running Luoshi: the queue's jobs and schedule, the claims of scheduled work, the
    commands that start the processes (`luoshi worker`, `luoshi serve`)."""

    name = "luoshi.worker"
    label = "worker"

    def ready(self) -> None:
        # Every app's jobs.py registers its jobs with the queue (luoshi.tasks is an app, so
        # jobs are not called tasks.py). The web process needs them too, to enqueue.
        autodiscover_modules("jobs")
        # The shared cache's table (the default cache, luoshi/lib/cache_conf.py) is made by
        # `luoshi migrate`, so no deployment step can forget it.
        from luoshi.lib.cache_conf import create_cache_table

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="luoshi_cache_table")
