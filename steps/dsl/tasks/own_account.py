"""Setting up, changing and turning off one's own two-factor authentication."""

from __future__ import annotations

import contextlib

from steps.drivers.base import DONE, ENROLMENT_STARTED, Outcome
from steps.dsl.actors import Actor
from steps.methods import SecondFactor

from .signing_in import wrong_password


def on(actor: Actor, other_device: bool):
    """Where the person acts: their other device when the step says so, else the one in hand."""
    return actor.on_other_device() if other_device else contextlib.nullcontext(actor)


def enable(actor: Actor, method: SecondFactor, other_device: bool = False) -> Outcome:
    with on(actor, other_device):
        outcome = actor.enable(method)
    assert outcome.state == ENROLMENT_STARTED, f"Set-up did not start: {outcome}"
    return outcome


def change_method(actor: Actor, method: SecondFactor, other_device: bool = False) -> Outcome:
    """Choosing another method with the password; the app may first ask for the current one's code."""
    with on(actor, other_device):
        return actor.enable(method)


def try_to_enable(actor: Actor, method: SecondFactor, with_wrong_password: bool = False, times: int = 1) -> Outcome:
    for _ in range(times):
        outcome = actor.enable(method, password=wrong_password(actor) if with_wrong_password else "own")
    return outcome


def prove_current_method(actor: Actor, method: SecondFactor | None, other_device: bool = False) -> Outcome:
    """The code of the method in use (``None``: a wrong code), before the new one is shown."""
    with on(actor, other_device):
        code = actor.wrong_codes(1)[0] if method is None else actor.code_by(method)
        return actor.prove_current_method(code)


def scan_qr_code(actor: Actor) -> None:
    actor.add_to_authenticator("scan")


def type_key(actor: Actor) -> None:
    actor.add_to_authenticator("type")


def confirm(actor: Actor, method: SecondFactor | None, other_device: bool = False) -> Outcome:
    """The set-up confirmed with the new method's code (``None``: a wrong code)."""
    with on(actor, other_device):
        code = actor.wrong_codes(1)[0] if method is None else actor.code_by(method)
        return actor.confirm_setup(code)


def confirm_with_kept_code(actor: Actor) -> Outcome:
    return actor.confirm_setup(actor.kept_code)


def prove_with_kept_code(actor: Actor) -> Outcome:
    return actor.prove_current_method(actor.kept_code)


def ask_for_new_setup_code(actor: Actor) -> Outcome:
    """"Send a new code" while the set-up waits for its first code by email or SMS."""
    return actor.saw(actor.device.ask_for_new_setup_code())


def walk_away_from_setup(actor: Actor) -> None:
    assert actor.outcome.state == ENROLMENT_STARTED, f"No set-up to walk away from: {actor.outcome}"


def set_up_and_confirm(actor: Actor, method: SecondFactor) -> Outcome:
    return actor.set_up_and_confirm(method)


def turn_off(actor: Actor, method: SecondFactor) -> None:
    outcome = actor.turn_off(actor.identity.password, method)
    assert outcome.state == DONE, f"Two-factor authentication was not turned off: {outcome}"


def try_to_turn_off(actor: Actor, with_wrong_code: bool = False) -> Outcome:
    return actor.turn_off(actor.identity.password, "wrong" if with_wrong_code else None)
