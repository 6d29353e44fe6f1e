"""Every process of a scale-out run lives on the same shifted clock: the run's START (a fixed
working Monday, 09:00 in Shanghai) plus the real time elapsed since the run's anchor
(LUOSHI_TEST_ANCHOR, a real epoch time), so the results do not depend on the wall clock and
the processes agree on what "now" is (a delivery made by a web worker is due for a consumer)."""

from __future__ import annotations

import datetime as dt
import os
import time
import zoneinfo

START = dt.datetime(2026, 6, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
DAY = START.date()


def start_travel() -> None:
    import time_machine

    anchor = float(os.environ["LUOSHI_TEST_ANCHOR"])
    time_machine.travel(START + dt.timedelta(seconds=time.time() - anchor), tick=True).start()
