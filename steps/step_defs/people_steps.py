"""Who is in the scenario, and what they set up before it began."""

from pytest_bdd import given, when

from ._grammar import handle, method, step


@given(step(r"(?P<article>an|a|another) (?P<kind>agent|user) who has not set up two-factor authentication"))
def person_without_two_factor(cast, article, kind):
    # "another agent" is the scenario's second agent, "the other agent" from then on.
    cast.add("other agent" if article == "another" else kind)


@given(step(r"an administrator"))
def an_administrator(cast):
    cast.add("administrator")


@given(step(r"(?:an|a) (?P<kind>agent|user) with two-factor authentication by (?P<words>email|SMS|authenticator app)"))
def person_with_two_factor(cast, system, kind, words):
    actor = cast.add(kind)
    if kind == "user":
        system.change_settings(allow_for_users=True)
    system.give_two_factor(actor, method(words))


@given(step(r"the administrator has enforced two-factor authentication for all agents"))
def enforced_for_agents(cast, system):
    # An administrator is an agent too: enforcing on all agents, they have set it up themselves.
    if "administrator" in cast.actors:
        system.give_two_factor(cast.actors["administrator"], "authenticator")
    system.change_settings(enforce_for_agents=True)


@given(step(r"{WHO} is signed in"))
def is_signed_in(cast, who):
    cast[handle(who)].ensure_signed_in()


@given(step(r"{WHO} is signed in on two devices"))
def is_signed_in_twice(cast, scenario_clock, who):
    actor = cast[handle(who)]
    actor.ensure_signed_in()
    scenario_clock.advance(30)  # a new authenticator code for the second sign-in
    actor.sign_in_on_other_device(None)


@when(step(r"{WHO} signs in"))
def signs_in(cast, who):
    cast[handle(who)].ensure_signed_in()
