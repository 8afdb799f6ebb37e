"""How long a session lasts, what ends it, and a sign-in given up at the code step."""

import datetime as dt

from steps.drivers.base import SIGNED_IN
from steps.dsl import questions
from steps.dsl.tasks import signing_in
from steps.methods import EMAIL

from ._grammar import then, when


@when(r"{WHO} opens their home page")
def opens_home(stage, who):
    signing_in.open_home(stage.actor(who))


@then(r"{WHO} can reach their home page")
def can_reach_home(stage, who):
    outcome = questions.home_page(stage.actor(who))
    assert outcome.state == SIGNED_IN, f"{stage.last!r} cannot reach their home page: {outcome}"


@then(r"{WHO} cannot reach their home page on the other device")
def cannot_reach_home_elsewhere(stage, who):
    outcome = questions.home_page(stage.actor(who), other_device=True)
    assert outcome.state != SIGNED_IN, f"{stage.last!r} still reaches their home page on the other device."


@when(r"{WHO} keeps working, opening their home page every (?P<every>\d+) minutes for (?P<hours>\d+) hours")
def keeps_working(stage, scenario_clock, who, every, hours):
    signing_in.keep_working(stage.actor(who), scenario_clock, every=dt.timedelta(minutes=int(every)),
                            total=dt.timedelta(hours=int(hours)))


@when(r"someone copies the sign-in from {WHO}'s device")
def copies_sign_in(stage, who):
    victim = stage.actor(who)
    signing_in.copy_sign_in(stage.stranger(), victim)  # "they" are the stranger from now on


@when(r"{WHO} cancels the sign-in")
def cancels(stage, who):
    signing_in.cancel_sign_in(stage.actor(who))


@when(r"someone enters the code sent to {WHO} by email on the copy")
def enters_victims_code(stage, who):
    code = stage.actor(who).code_by(EMAIL)
    signing_in.enter_text_as_code(stage.stranger(), code)


@then(r"they are not signed in")
def they_are_not_signed_in(stage):
    actor = stage.last
    assert actor.outcome.state != SIGNED_IN, f"{actor!r} is signed in: {actor.outcome}"
    assert not questions.can_reach_home(actor), f"{actor!r} can reach a home page."
