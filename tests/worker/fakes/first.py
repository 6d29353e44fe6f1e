from . import CALLS


def run_daily(*, today):
    CALLS.append(("first", today))
    return {"done": 2}
