"""`luoshi worker`: the queue consumer, the same as `luoshi run_huey` (its options too)."""

from django.utils.translation import gettext as _
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    @property
    def help(self) -> str:  # translated when the parser is made, not at import
        return _("运行后台任务进程（定时工作与队列中的任务），与 run_huey 相同。")
