"""Who is in the scenario, and what they set up before it began."""

from steps.dsl.tasks import signing_in
from steps.methods import AUTHENTICATOR

from ._grammar import given, when


@given(r"(?P<article>an|a|another) (?P<kind>agent|user) who has not set up two-factor authentication")
def person_without_two_factor(stage, article, kind):
    stage.add("other agent" if article == "another" else kind)  # "another agent" is "the other agent" from then on


@given(r"an administrator")
def an_administrator(stage):
    stage.add("administrator")


@given(r"(?:an|a) (?P<kind>agent|user) with two-factor authentication by {METHOD}")
def person_with_two_factor(stage, system, kind, words):
    system.give_two_factor(stage.add(kind), words, allow_for_users=kind == "user")


@given(r"the administrator has enforced two-factor authentication for all agents(?:, giving (?P<n>\d+) days? to set it up)?")
def enforced_for_agents(stage, system, n):
    # An administrator is an agent too: enforcing on all agents, they have set it up themselves.
    if stage.has("administrator"):
        system.give_two_factor(stage.actor("administrator"), AUTHENTICATOR)
    system.change_settings(enforce_for_agents=True, **({"enforcement_grace_days": n} if n else {}))


@given(r"{WHO} is signed in")
@when(r"{WHO} signs in")
def is_signed_in(stage, who):
    signing_in.sign_in(stage.actor(who))


@given(r"{WHO} is signed in on two devices")
def is_signed_in_twice(stage, scenario_clock, who):
    signing_in.sign_in_on_two_devices(stage.actor(who), scenario_clock)
