"""The scenario's clock: one freezegun freeze per scenario, moved by steps.

Starting a freeze scans every loaded module (13-19 ms with a browser and a web framework
loaded, see ../shared/reference/harness.md), so a scenario freezes once and then moves
the clock with ``tick``/``move_to``, which cost microseconds. Modules that never read the
app's time are left out of the scan; they are also the ones freezegun would hand real time
to, so only packages that the app's clock is never called through are listed.
"""

from __future__ import annotations

import datetime as dt
import sys

import freezegun

# A Monday 09:00 UTC, on a 30-second boundary, so "N seconds into a 30-second period" is exact.
START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.timezone.utc)

# Packages on the path from a step to the app's clock (freezegun gives real time to a call
# made within a few frames of an ignored module) or that read the app's time themselves.
ON_THE_CLOCK_PATH = frozenset({
    "sut", "steps", "twofa", "tests", "bench", "conftest", "__main__",
    "pytest_bdd", "_pytest", "pytest", "pluggy",  # a Given step calls the app straight from pytest-bdd
    "flask", "werkzeug", "flask_openapi3", "flask_wtf", "itsdangerous",  # a request calls it from Flask
    "datetime", "time", "freezegun",
})


# pytest's own timer (test durations in junit.xml and --durations; mutmut's timeouts are
# derived from them) keeps real time: a frozen one reads decades for a scenario's setup.
RUNNER_TIMER = "_pytest.timing"


def not_scanned(also_on_the_path: frozenset[str] = frozenset()) -> list[str]:
    """Every other loaded package: freezegun need not look inside them for clocks.
    ``also_on_the_path``: the packages of the product under test (its target's ``clock_packages``)."""
    tops = {name.partition(".")[0] for name in list(sys.modules)}
    return sorted(tops - ON_THE_CLOCK_PATH - also_on_the_path) + [RUNNER_TIMER]


class ScenarioClock:
    def __init__(self, start: dt.datetime = START, product_packages: frozenset[str] = frozenset()):
        self._freezer = freezegun.freeze_time(start, real_asyncio=True, ignore=not_scanned(product_packages))
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
