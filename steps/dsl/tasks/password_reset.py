"""A forgotten password: asking for a link by email, and choosing a new password with it."""

from __future__ import annotations

from steps.drivers.base import REFUSED, Outcome
from steps.dsl.actors import Actor

LINK_MAIL = "password reset link"  # what the email with the link is about


def ask_for_link(actor: Actor, times: int = 1, email: str | None = None) -> Outcome:
    """The email address typed on the "Forgot your password?" page: the person's own, unless told."""
    for _ in range(times):
        outcome = actor.saw(actor.device.ask_for_password_reset(email or actor.identity.email))
    return outcome


def link(actor: Actor, which: str = "newest") -> str:
    """A link from the person's mailbox: the newest, the first, or the one they used last."""
    if which == "used":
        assert actor.used_link, "The person has used no link yet."
        return actor.used_link
    links = actor.mailbox.links(LINK_MAIL)
    assert links, f"No password reset link has arrived in the mailbox of {actor.identity.email}."
    return links[-1] if which == "newest" else links[0]


def choose_new_password(actor: Actor, which: str = "newest", password: str | None = None) -> Outcome:
    """Open the link and save a new password; the person remembers it once it is taken."""
    new = password if password is not None else actor.identity.password + "-new"
    actor.used_link = link(actor, which)
    actor.signed_in = False
    outcome = actor.saw(actor.device.reset_password(actor.used_link, new))
    if outcome.state != REFUSED:
        actor.old_password, actor.identity.password = actor.identity.password, new
    return outcome


def choose_new_password_with_forged_link(actor: Actor, held: str) -> Outcome:
    """A link forged of a token the person's device holds for something else ("sign-in" or
    "set-up"): what someone would try to change a password without the emailed link."""
    forged = actor.device.reset_link_made_of(held)
    return actor.saw(actor.device.reset_password(forged, actor.identity.password + "-forged"))


def password_of_length(length: int) -> str:
    """A new password of exactly ``length`` characters (only the length is checked)."""
    words = "a new password that is long enough "
    return (words * (length // len(words) + 1))[:length]


def log_in_with_old_password(actor: Actor) -> Outcome:
    assert actor.old_password, "The person has not changed their password."
    return actor.log_in(password=actor.old_password)
