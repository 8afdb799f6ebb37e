"""Remembering a device: ticking "Remember this device" at the second step, and logging in on it."""

from __future__ import annotations

from steps.drivers.base import CODE_REQUIRED, Outcome
from steps.dsl.actors import Actor
from steps.methods import SecondFactor


def log_in_remembering_device(actor: Actor, method: SecondFactor) -> Outcome:
    """The password, then the code with "Remember this device" ticked."""
    outcome = actor.log_in()
    assert outcome.state == CODE_REQUIRED and outcome.remember_offered, \
        f"{actor!r} was not offered to remember the device: {outcome}"
    return actor.enter_code(actor.code_by(method), remember_device=True)


def log_in_on_device_of(actor: Actor, owner: Actor) -> Outcome:
    """The person logs in on another person's device, holding whatever that device holds."""
    actor.use_device(owner.device)
    return actor.log_in()
