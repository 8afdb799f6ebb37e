"""The administrator's work: security settings, resets, unlocks, the audit trail.

An administrator whose last entry of their password is too old is asked for it again
before a change; as a person would, they enter it and make the change again (``as_admin``).
"""

from __future__ import annotations

from typing import Callable

from steps.drivers.base import DONE, REFUSED, AuditLine, OverviewLine, Outcome
from steps.dsl import messages
from steps.dsl.actors import Actor


def signed_in(admin: Actor) -> Actor:
    admin.ensure_signed_in()
    return admin


def as_admin(admin: Actor, action: Callable) -> Outcome:
    """An administrator's change: asked for the password again, they enter it and try again."""
    signed_in(admin)
    outcome = admin.saw(action(admin.device))
    if outcome.state == REFUSED and outcome.message == messages.text("password-again"):
        assert admin.device.confirm_password(admin.identity.password).state == DONE
        outcome = admin.saw(action(admin.device))
    return outcome


def change_settings(admin: Actor, changes: dict[str, bool]) -> None:
    outcome = as_admin(admin, lambda device: device.change_security_settings(**changes))
    assert outcome.state == DONE, f"The settings were not saved: {outcome}"


def settings(admin: Actor) -> dict[str, bool]:
    return signed_in(admin).device.security_settings()


def look_at_settings(admin: Actor) -> dict[str, bool]:
    shown = settings(admin)
    assert set(shown) >= {"allow_for_agents", "enforce_for_agents"}, f"Not the security settings: {shown}"
    return shown


def try_to_change_settings(admin: Actor, changes: dict[str, bool]) -> dict[str, bool]:
    """A change that may be refused; returns the settings as they were before it."""
    before = settings(admin)
    admin.saw(admin.device.change_security_settings(**changes))
    return before


def reset_two_factor(admin: Actor, person: Actor) -> None:
    outcome = as_admin(admin, lambda device: device.reset_two_factor(person.identity.email))
    assert outcome.state == DONE, f"The reset did not happen: {outcome}"


def try_to_reset_two_factor(actor: Actor, person: Actor) -> Outcome:
    signed_in(actor)
    return actor.saw(actor.device.reset_two_factor(person.identity.email))


def unlock_second_step(admin: Actor, person: Actor) -> None:
    outcome = as_admin(admin, lambda device: device.unlock_second_step(person.identity.email))
    assert outcome.state == DONE, f"The unlock did not happen: {outcome}"


def enter_password_again(admin: Actor) -> None:
    outcome = admin.saw(signed_in(admin).device.confirm_password(admin.identity.password))
    assert outcome.state == DONE, f"The password was not taken: {outcome}"


def lock_state(admin: Actor, person: Actor) -> str:
    """What the people page says of the person's second step: "No", "Locked", "Locked until unlocked"."""
    return signed_in(admin).device.lock_state(person.identity.email)


def audit_trail(admin: Actor, person: Actor) -> list[AuditLine]:
    return signed_in(admin).device.audit_trail(person.identity.email)


def overview(admin: Actor, role: str | None = None, state: str | None = None) -> list[OverviewLine]:
    """The overview of two-factor authentication, narrowed to agents or users and to a state."""
    return signed_in(admin).device.overview(role, state)
