from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WorkerConfig(AppConfig):
    name = "luoshi.worker"
    label = "worker"

    def ready(self) -> None:
        # Every app's jobs.py registers its jobs with the queue (luoshi.tasks is an app, so
        # jobs are not called tasks.py). The web process needs them too, to enqueue.
        autodiscover_modules("jobs")
