"""Time, as the scenario's frozen clock and the phone's own clock see it."""

import datetime as dt

from ._grammar import given, when

UNITS = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"}
PASS = r"(?P<n>\d+) (?P<unit>second|minute|hour|day)s? pass(?:es)?(?: without {WHO} doing anything)?"


@given(PASS)
@when(PASS)
def time_passes(scenario_clock, n, unit):
    scenario_clock.advance(dt.timedelta(**{UNITS[unit]: n}).total_seconds())


@given(r"it is (?P<n>\d+) seconds into a 30-second period")
def seconds_into_period(scenario_clock, n):
    scenario_clock.seconds_into_period(n)


@given(r"the clock of {WHO}'s phone is (?P<n>\d+) seconds (?P<direction>right|fast|slow)")
def phone_clock(stage, who, n, direction):
    sign = {"right": 0, "fast": 1, "slow": -1}[direction]
    assert sign or n == 0, "A clock that is right is 0 seconds off."
    stage.actor(who).phone.clock_offset = dt.timedelta(seconds=sign * n)
