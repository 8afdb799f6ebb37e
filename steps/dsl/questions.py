"""What a person can find out, for the Then steps: what is on their screen, what arrived.

Each question asks through the person's device or abilities, as the person would look; it
asserts nothing (the step says what is expected).
"""

from __future__ import annotations

from steps.drivers.base import SETUP_REQUIRED, Outcome, TwoFactorStatus
from steps.dsl.actors import Actor
from steps.methods import SecondFactor, by_key


def can_reach_home(actor: Actor) -> bool:
    return actor.device.can_reach_home()


def home_page(actor: Actor, other_device: bool = False) -> Outcome:
    """What opening the home page shows now (without changing what the person last saw)."""
    if other_device:
        with actor.on_other_device():
            return actor.device.open_home()
    return actor.device.open_home()


def two_factor_status(actor: Actor) -> TwoFactorStatus:
    """The person's own two-factor page (they sign in first if they are not)."""
    actor.ensure_signed_in()
    return actor.device.two_factor_status()


def method_in_use(actor: Actor) -> SecondFactor | None:
    status = two_factor_status(actor)
    return by_key(status.method) if status.enabled else None


def methods_offered(actor: Actor) -> set[SecondFactor]:
    """The methods the set-up screen offers: the one on screen, or the one the settings page opens."""
    if actor.outcome and actor.outcome.state == SETUP_REQUIRED:
        return {by_key(m) for m in actor.outcome.methods_offered}
    return {by_key(m) for m in two_factor_status(actor).methods_offered}


def messages_about(actor: Actor, method: SecondFactor, about: str) -> list:
    """The emails or texts the method brought that speak of ``about`` ("sign-in code")."""
    return actor.reader(method).messages(about)


def assert_codes_received(actor: Actor, method: SecondFactor, about: str, count: int) -> None:
    """Exactly ``count`` codes of the kind (``about``: "sign-in code", "set-up code") came by the method."""
    received = messages_about(actor, method, about)
    assert len(received) == count, f"Expected {count} {about}(s) by {method} for {actor!r}, got {len(received)}: {received}"


def emails_about(actor: Actor, subject: str) -> list:
    return actor.mailbox.messages(subject)


def authenticator_account(actor: Actor, scan_first: bool = False) -> dict[str, str]:
    """What the person's authenticator app shows of the account it took in."""
    if scan_first:
        actor.add_to_authenticator("scan")
    return actor.authenticator.account


def sees(actor: Actor, text: str, heading: bool = False) -> bool:
    """A click path's check (browser only): the text, a button or a link is on screen."""
    return actor.device.sees(text, heading=heading)
