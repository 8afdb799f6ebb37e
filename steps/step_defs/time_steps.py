"""Time, as the scenario's frozen clock and the phone's own clock see it."""

import datetime as dt

from pytest_bdd import given, when

from ._grammar import handle, step


SECONDS = {"second": 1, "minute": 60, "hour": 3600}
PASS = r"(?P<n>\d+) (?P<unit>second|minute|hour)s? pass(?:es)?(?: without {WHO} doing anything)?"


@given(step(PASS))
@when(step(PASS))
def time_passes(scenario_clock, n, unit, who=None):
    scenario_clock.advance(int(n) * SECONDS[unit])


@given(step(r"it is (?P<n>\d+) seconds into a 30-second period"))
def seconds_into_period(scenario_clock, n):
    scenario_clock.seconds_into_period(int(n))


@given(step(r"the clock of {WHO}'s phone is (?P<n>\d+) seconds (?P<direction>right|fast|slow)"))
def phone_clock(cast, who, n, direction):
    sign = {"right": 0, "fast": 1, "slow": -1}[direction]
    assert sign or int(n) == 0, "A clock that is right is 0 seconds off."
    cast[handle(who)].phone.clock_offset = dt.timedelta(seconds=sign * int(n))
