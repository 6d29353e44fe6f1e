from . import CALLS


def run_daily(*, today):
    CALLS.append(("broken", today))
    raise RuntimeError("the broken step")
