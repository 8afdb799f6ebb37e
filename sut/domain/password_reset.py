"""Resetting a forgotten password: how long a link lives, how often one may be asked for, and
what a new password must be.

Sixty minutes is a middle the peers leave open (spec/requirements.toml, PWRESET-2): Keycloak's
user-initiated action lasts 5 minutes, ServiceNow's hardening guide says 1 hour, Flask-Security
keeps a link a day and Django three. An hour leaves a person time to find the mail and a thief
of an old mailbox little. A link is asked for with an email address, so the limits are keyed
the way the password step's are (``sut.domain.throttling``): by the address as typed, which an
unknown address shares with a real one, and by the client's network.
"""

from __future__ import annotations

import datetime as dt

LINK_LIFETIME = dt.timedelta(minutes=60)

# ASVS 4.0.3 2.1.1 (at least 12 characters); 2.1.2 lets 64 and more through, so the cap is only
# what a request may carry.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024

# Links asked for in WINDOW: from one network for one address; for one address from anywhere
# (no mailbox is flooded); from one network for any addresses (no one walks a list).
WINDOW = dt.timedelta(hours=1)
PER_ADDRESS_AND_NETWORK = 3
PER_ADDRESS = 10
PER_NETWORK = 20

SENT = ("If an account uses that email address, we have sent it a link to reset the password. "
        f"The link works once, within {int(LINK_LIFETIME.total_seconds() // 60)} minutes.")


def wait(asked: list[dt.datetime], cap: int, now: dt.datetime) -> dt.timedelta | None:
    """How long the next request must wait when ``asked`` (the requests counted together) reached ``cap``."""
    recent = sorted(at for at in asked if now - at < WINDOW)
    if len(recent) < cap:
        return None
    return recent[-cap] + WINDOW - now


def throttled_message(wait: dt.timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"Too many links to reset a password were asked for. Try again in {minutes} minute{'s' if minutes != 1 else ''}."


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, in the person's words, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Choose a password of at most {MAX_PASSWORD_LENGTH} characters."
    return None
