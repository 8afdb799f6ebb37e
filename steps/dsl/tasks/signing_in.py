"""Logging in, the second step, codes, signing out, and the sessions that follow."""

from __future__ import annotations

import datetime as dt

from steps.drivers.base import CODE_REQUIRED, DONE, REFUSED, SIGNED_IN, Outcome
from steps.dsl.actors import Actor
from steps.methods import SecondFactor


def wrong_password(actor: Actor) -> str:
    return actor.identity.password + "x"


def log_in(actor: Actor) -> Outcome:
    return actor.log_in()


def log_in_with_wrong_password(actor: Actor, times: int = 1) -> Outcome:
    for _ in range(times):
        outcome = actor.log_in(password=wrong_password(actor))
        assert times == 1 or outcome.state == REFUSED, f"A wrong password was not refused: {outcome}"
    return outcome


def log_in_on_another_device(actor: Actor) -> Outcome:
    actor.use_new_device()
    return actor.log_in()


def log_in_with_code(actor: Actor, method: SecondFactor) -> Outcome:
    """The password, then the code the method brings (if the code is asked for)."""
    if actor.log_in().state == CODE_REQUIRED:
        return actor.enter_code(actor.code_by(method))
    return actor.outcome


def sign_in(actor: Actor, method: SecondFactor | None = None) -> None:
    """Signed in, by the method the app asks for, unless the person already is."""
    if method is not None:
        actor.log_in_fully(method)
    else:
        actor.ensure_signed_in()


def sign_in_on_two_devices(actor: Actor, clock) -> None:
    actor.ensure_signed_in()
    clock.advance(30)  # a new authenticator code for the second sign-in
    actor.sign_in_on_other_device(None)


def keep_code(actor: Actor, method: SecondFactor) -> None:
    """The person notes the code down, to type it later."""
    actor.kept_code = actor.code_by(method)


def enter_code(actor: Actor, method: SecondFactor) -> Outcome:
    return actor.enter_code(actor.code_by(method))


def enter_kept_code(actor: Actor) -> Outcome:
    return actor.enter_code(actor.kept_code)


def enter_text_as_code(actor: Actor, text: str) -> Outcome:
    return actor.enter_code(text)


def enter_wrong_codes(actor: Actor, count: int) -> None:
    for code in actor.wrong_codes(count):
        outcome = actor.enter_code(code)
        assert outcome.state == REFUSED, f"A wrong code was not refused: {outcome}"


def enter_code_twice(actor: Actor, method: SecondFactor) -> Outcome:
    """A double click: the same code sent twice with what the device held."""
    code = actor.code_by(method)
    actor.last_code = code
    return actor.saw(actor.device.enter_code_twice(code))


def ask_for_new_code(actor: Actor) -> Outcome:
    return actor.saw(actor.device.ask_for_new_code())


def ask_for_new_codes(actor: Actor, clock, times: int, seconds_apart: int) -> None:
    for _ in range(times):
        clock.advance(seconds_apart)
        outcome = ask_for_new_code(actor)
        assert outcome.state == CODE_REQUIRED, f"A new code was refused too early: {outcome}"


def sign_out(actor: Actor) -> None:
    actor.sign_out()


def cancel_sign_in(actor: Actor) -> None:
    outcome = actor.saw(actor.device.cancel_sign_in())
    assert outcome.state == DONE, f"The sign-in was not cancelled: {outcome}"


def open_home(actor: Actor) -> Outcome:
    return actor.saw(actor.device.open_home())


def keep_working(actor: Actor, clock, every: dt.timedelta, total: dt.timedelta) -> None:
    """Opening the home page every so often: each visit must find the person signed in."""
    elapsed = dt.timedelta(0)
    while elapsed + every < total:
        clock.advance(every.total_seconds())
        elapsed += every
        outcome = actor.device.open_home()
        assert outcome.state == SIGNED_IN, f"After {elapsed} of work {actor!r} was signed out: {outcome}"
    clock.advance((total - elapsed).total_seconds())


# --- someone else ------------------------------------------------------------------------
def log_in_as(stranger: Actor, victim: Actor) -> None:
    """A stranger with the victim's password, at the code step."""
    outcome = stranger.saw(stranger.device.log_in(victim.identity.email, victim.identity.password))
    assert outcome.state == CODE_REQUIRED, f"Expected the code step: {outcome}"


def log_in_as_with_code(stranger: Actor, victim: Actor, code: str, times: int = 1) -> None:
    log_in_as(stranger, victim)
    for _ in range(times):
        stranger.enter_code(code)


def copy_sign_in(stranger: Actor, victim: Actor) -> None:
    """The victim's device's cookie or token, copied onto the stranger's device."""
    stranger.use_device(victim.device.clone())


def skip_setup(actor: Actor) -> Outcome:
    """Reminded to set up two-factor authentication within a grace period, the person goes on without."""
    return actor.saw(actor.device.skip_setup())
