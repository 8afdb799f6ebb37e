"""A grace period before enforced two-factor authentication: reminded at each sign-in, may skip."""

import datetime as dt

from steps.drivers.base import SIGNED_IN
from steps.dsl import messages
from steps.dsl.tasks import signing_in

from ._grammar import then, when

UNITS = {"day": "days", "hour": "hours", "minute": "minutes"}


def deadline_words(moment: dt.datetime) -> str:
    """A deadline as the person reads it: "9 March 2026, 09:00 UTC"."""
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


@when(r"{WHO} skips setting it up for now")
def skips_setup(stage, who):
    signing_in.skip_setup(stage.actor(who))


@then(r"{WHO} is reminded to set up two-factor authentication within (?P<n>\d+) (?P<unit>day|hour|minute)s?")
def reminded(stage, scenario_clock, who, n, unit):
    """Signed in, and told the whole reminder: set up by the moment the grace period ends."""
    actor = stage.actor(who)
    ends = scenario_clock.now() + dt.timedelta(**{UNITS[unit]: n})
    expected = messages.text("setup-by", deadline=deadline_words(ends))
    outcome = actor.outcome
    assert outcome and outcome.state == SIGNED_IN, f"{actor!r} is not signed in; they saw: {outcome}"
    assert outcome.message == expected, f"{actor!r} was told {outcome.message!r}, not {expected!r}"
