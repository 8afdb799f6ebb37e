"""The scenario's clock: one freezegun freeze, kept from scenario to scenario, moved by steps.

Starting a freeze scans every loaded module (13-19 ms with a browser and a web framework
loaded, see ../shared/reference/harness.md), so the clock is frozen once and each scenario
moves it back to ``START`` (``move_to``), then steps move it with ``tick``/``move_to``, which
cost microseconds. The freeze is started again only when it would differ: when packages were
imported since (they must be scanned, or left out of the scan as the others are) or another
target's packages are on the clock path. Between scenarios pytest's own code runs under it
as it does within one: its timer is left real (``RUNNER_TIMER``); ``thaw()`` ends the freeze
before any test that is not a scenario, and at the end of the session (steps/plugin.py).
Modules that never read the app's time are left out of the scan; they are also the ones
freezegun would hand real time to, so only packages that the app's clock is never called
through are listed.
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


class _Freeze:
    """The freeze shared by consecutive scenarios, with what it was started for."""

    def __init__(self):
        self.freezer = None
        self.frozen = None
        self.started_for: tuple[frozenset[str], frozenset[str]] | None = None  # (product packages, loaded packages)
        self._modules_seen: tuple[int, str | None] | None = None  # sys.modules when ``_packages`` was read
        self._packages: frozenset[str] = frozenset()

    def loaded_packages(self) -> frozenset[str]:
        """The top-level packages imported, read again only when sys.modules changed: an import
        adds a module at the end of the dict (kept in insertion order), so its size or its last
        module differs. (Reading them all each scenario cost 0.3 ms with the suite loaded.)"""
        seen = (len(sys.modules), next(reversed(sys.modules), None))
        if seen != self._modules_seen:
            self._packages = frozenset(name.partition(".")[0] for name in list(sys.modules))
            self._modules_seen = seen
        return self._packages

    def to(self, start: dt.datetime, product_packages: frozenset[str]):
        """The frozen clock at ``start``: the running freeze moved there if it fits, else a new one."""
        loaded = self.loaded_packages()
        if self.frozen is not None and self.started_for == (product_packages, loaded):
            self.frozen.move_to(start)
            return self.frozen
        self.thaw()
        self.freezer = freezegun.freeze_time(start, real_asyncio=True, ignore=not_scanned(product_packages))
        self.frozen = self.freezer.start()
        self.started_for = (product_packages, loaded)
        return self.frozen

    def thaw(self) -> None:
        if self.freezer is not None:
            self.freezer.stop()
        self.freezer = self.frozen = self.started_for = None


_FREEZE = _Freeze()


def thaw() -> None:
    """Real time again, until the next scenario's clock starts."""
    _FREEZE.thaw()


class ScenarioClock:
    def __init__(self, start: dt.datetime = START, product_packages: frozenset[str] = frozenset()):
        self._start, self._product_packages = start, frozenset(product_packages)
        self._frozen = None

    def start(self) -> "ScenarioClock":
        self._frozen = _FREEZE.to(self._start, self._product_packages)
        return self

    def stop(self) -> None:
        """The scenario is over; its freeze stays for the next one (``thaw()`` ends it)."""
        self._frozen = None

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


class NeedsAControllableClock(RuntimeError):
    """A step moved the clock of a target that runs in real time."""


class WallClock:
    """The clock of a target that runs in real time (a product at a URL, in its own process):
    the harness reads the time and cannot move it. Scenarios with steps that move it are not
    applicable to such a target (``needs_a_controllable_clock``), so these never run."""

    def start(self) -> "WallClock":
        return self

    def stop(self) -> None:
        pass

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def _cannot(self, *args, **kwargs):
        raise NeedsAControllableClock("the target runs in real time: the harness cannot move its clock "
                                      "(this scenario should have been reported not applicable)")

    advance = move_to = seconds_into_period = _cannot


# A step needs the clock the harness controls when it asks for the ``scenario_clock`` fixture
# (time passes, a moment in a period, keeping working for hours) or is marked with this (what
# happened over time before the scenario, arranged through the target's world).
CLOCK_FIXTURE = "scenario_clock"


def needs_a_controllable_clock(step_function):
    step_function.needs_a_controllable_clock = True
    return step_function


def moves_the_clock(step_function) -> bool:
    import inspect

    if getattr(step_function, "needs_a_controllable_clock", False):
        return True
    return CLOCK_FIXTURE in inspect.signature(step_function).parameters


def clock_steps(scenario) -> list[str]:
    """The steps of a (rendered) pytest-bdd scenario whose definitions move the clock.

    Step definitions are matched the way pytest-bdd matches them, over its registry of step
    functions (``pytest_bdd.scenario.step_function_context_registry``, the same private API
    that steps/step_lookup.py caches); a definition of another type (Given/When/Then) does not
    match, as in pytest-bdd."""
    from pytest_bdd.scenario import step_function_context_registry

    movers = [c for c in list(step_function_context_registry.values()) if moves_the_clock(c.step_func)]
    return [step.name for step in scenario.steps
            if any((c.type is None or c.type == step.type) and c.parser.is_matching(step.name) for c in movers)]
