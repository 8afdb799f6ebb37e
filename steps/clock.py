"""The scenario's clock: one freezegun freeze per scenario, moved by steps.

Starting a freeze scans every loaded module (13-19 ms with a browser and a web framework
loaded, see ../shared/reference/harness.md), so a scenario freezes once and then moves
the clock with ``tick``/``move_to``, which cost microseconds. Modules that never read the
app's time are left out of the scan; they are also the ones freezegun would hand real time
to, so only packages that the app's clock is never called through are listed.
"""

from __future__ import annotations

import datetime as dt

import freezegun

# A Monday 09:00 UTC, on a 30-second boundary, so "N seconds into a 30-second period" is exact.
START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.timezone.utc)

# Big packages that neither hold the app's clock nor sit on a call path to it.
NOT_SCANNED = (
    "playwright", "greenlet", "pyee", "faker", "hypothesis", "gherkin", "jinja2", "markupsafe",
    "cryptography", "PIL", "zxingcpp", "segno", "pygments", "_pytest.assertion", "pluggy", "aiosmtpd",
    "xdist", "execnet", "argon2", "email", "http", "idna", "urllib3",
)


class ScenarioClock:
    def __init__(self, start: dt.datetime = START):
        self._freezer = freezegun.freeze_time(start, real_asyncio=True, ignore=list(NOT_SCANNED))
        self._frozen = None

    def start(self) -> "ScenarioClock":
        self._frozen = self._freezer.start()
        return self

    def stop(self) -> None:
        self._freezer.stop()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def advance(self, seconds: float) -> None:
        self._frozen.tick(dt.timedelta(seconds=seconds))

    def move_to(self, moment: dt.datetime) -> None:
        self._frozen.move_to(moment)

    def seconds_into_period(self, seconds: int, period: int = 30) -> None:
        """Move forward to ``seconds`` into a period: this one if still ahead, else the next."""
        now = self.now()
        period_start = now - dt.timedelta(seconds=now.timestamp() % period)
        target = period_start + dt.timedelta(seconds=seconds)
        if target < now:
            target += dt.timedelta(seconds=period)
        self.move_to(target)
