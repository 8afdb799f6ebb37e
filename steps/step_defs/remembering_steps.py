"""Remembering a device at the second step: offered, honoured for a while, forgotten."""

from steps.drivers.base import SIGNED_IN
from steps.dsl.tasks import administering, remembering

from ._grammar import given, then, when

SETTINGS = {"people": {"remember_device": True},
            "people and administrators": {"remember_device": True, "remember_device_for_admins": True}}


@given(r"(?P<whom>people|people and administrators) may remember a device at the second step")
def may_remember(system, whom):
    system.change_settings(**SETTINGS[whom])


@when(r"the administrator lets people remember a device at the second step")
def administrator_lets_remember(stage):
    administering.change_settings(stage.actor("administrator"), SETTINGS["people"])


@given(r"(?P<newcomer>an administrator|another agent) with two-factor authentication by {METHOD}")
def other_person_with_two_factor(stage, system, newcomer, words):
    system.give_two_factor(stage.add("administrator" if newcomer == "an administrator" else "other agent"), words)


@given(r"{WHO} has logged in with {CODE_SOURCE}, remembering the device")
@when(r"{WHO} logs in with their password and {CODE_SOURCE}, remembering the device")
def logs_in_remembering(stage, who, source):
    outcome = remembering.log_in_remembering_device(stage.actor(who), source)
    assert outcome.state == SIGNED_IN, f"{stage.last!r} was not signed in: {outcome}"


@when(r"{WHO} logs in with their password on (?P<whose>the agent)'s device")
def logs_in_on_device_of(stage, who, whose):
    remembering.log_in_on_device_of(stage.actor(who), stage.actor(whose))


@then(r"{WHO} (?P<negation>can|cannot) choose to remember the device")
def offered_to_remember(stage, who, negation):
    outcome = stage.actor(who).outcome
    assert outcome is not None and outcome.state != SIGNED_IN, f"{stage.last!r} was not at the code step: {outcome}"
    assert outcome.remember_offered is (negation == "can"), \
        f"{stage.last!r} was {'' if outcome.remember_offered else 'not '}offered to remember the device: {outcome}"


@then(r"remembering a device is offered to nobody")
def remembering_off(stage):
    settings = administering.settings(stage.actor("administrator"))
    assert settings["remember_device"] is False and settings["remember_device_for_admins"] is False, settings
