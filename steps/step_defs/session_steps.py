"""How long a session lasts, what ends it, and a sign-in given up at the code step."""

from pytest_bdd import then, when

from steps.drivers.base import DONE, SIGNED_IN

from ._grammar import handle, step


@when(step(r"{WHO} opens their home page"))
def opens_home(cast, who):
    actor = cast[handle(who)]
    actor.saw(actor.device.open_home())


@then(step(r"{WHO} can reach their home page"))
def can_reach_home(cast, who):
    actor = cast[handle(who)]
    outcome = actor.device.open_home()
    assert outcome.state == SIGNED_IN, f"{actor!r} cannot reach their home page: {outcome}"


@then(step(r"{WHO} cannot reach their home page on the other device"))
def cannot_reach_home_elsewhere(cast, who):
    actor = cast[handle(who)]
    with actor.on_other_device():
        outcome = actor.device.open_home()
    assert outcome.state != SIGNED_IN, f"{actor!r} still reaches their home page on the other device."


@when(step(r"{WHO} keeps working, opening their home page every (?P<every>\d+) minutes for (?P<hours>\d+) hours"))
def keeps_working(cast, scenario_clock, who, every, hours):
    actor, every, total = cast[handle(who)], int(every) * 60, int(hours) * 3600
    elapsed = 0
    while elapsed + every < total:
        scenario_clock.advance(every)
        elapsed += every
        outcome = actor.device.open_home()
        assert outcome.state == SIGNED_IN, f"After {elapsed // 60} minutes of work {actor!r} was signed out: {outcome}"
    scenario_clock.advance(total - elapsed)


@when(step(r"someone copies the sign-in from {WHO}'s device"))
def copies_sign_in(cast, who):
    victim = cast[handle(who)]
    stranger = cast.stranger()
    stranger.use_device(victim.device.clone())


@when(step(r"{WHO} cancels the sign-in"))
def cancels(cast, who):
    actor = cast[handle(who)]
    outcome = actor.saw(actor.device.cancel_sign_in())
    assert outcome.state == DONE, f"The sign-in was not cancelled: {outcome}"


@when(step(r"someone enters the code sent to {WHO} by email on the copy"))
def enters_victims_code(cast, who):
    code = cast[handle(who)].mailbox.latest_code()
    cast.stranger().enter_code(code)


@then(step(r"they are not signed in"))
def they_are_not_signed_in(cast):
    actor = cast.last
    assert actor.outcome.state != SIGNED_IN, f"{actor!r} is signed in: {actor.outcome}"
    assert not actor.device.can_reach_home(), f"{actor!r} can reach a home page."
