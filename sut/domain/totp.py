"""Authenticator-app codes: RFC 6238 TOTP with the parameters every app honours.

SHA1, 6 digits, 30-second steps, one step either side for clock drift (RFC 6238 5.2).
pyotp computes the codes; this module adds the rule pyotp leaves to its caller: a code is
accepted once, so a time step at or before the last accepted one never passes again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyotp
import pyotp.exceptions

DIGITS = 6
INTERVAL = 30
DRIFT_STEPS = 1
ISSUER = "HaloPSA Reference"


@dataclasses.dataclass(frozen=True)
class TotpPolicy:
    """The code length and the window as one value, for a study that varies them
    (``twofa simulate``); the defaults, read when a policy is made, are today's rule."""

    digits: int = dataclasses.field(default_factory=lambda: DIGITS)
    drift_steps: int = dataclasses.field(default_factory=lambda: DRIFT_STEPS)


def new_secret() -> str:
    """160 random bits from the OS CSPRNG, unpadded base32 (RFC 4226 R6)."""
    return pyotp.random_base32()


def _totp(secret: str, digits: int | None = None) -> pyotp.TOTP:
    digits = digits or DIGITS
    totp = pyotp.TOTP(secret, digits=max(digits, 6), interval=INTERVAL)
    # pyotp refuses fewer than 6 digits when built (RFC 4226's minimum) but truncates with
    # its own code (DBC mod 10^digits, RFC 4226 5.3): a study shortens codes this way so
    # that a guess succeeds often enough to be counted. Never below 6 outside a study.
    totp.digits = digits
    return totp


def provisioning_uri(secret: str, account: str, policy: TotpPolicy | None = None) -> str:
    return _totp(secret, policy and policy.digits).provisioning_uri(name=account, issuer_name=ISSUER)


ACCEPTED, REPLAYED, WRONG = "accepted", "replayed", "wrong"


def verdict(secret: str, code: str, now: dt.datetime, last_step: int | None,
            policy: TotpPolicy | None = None) -> tuple[str, int | None]:
    """Whether the code passes, and the time step it belongs to.

    WRONG: a code of no step within one of now (``policy.drift_steps`` of now). REPLAYED: a code of a step at or before
    ``last_step`` (used before, or older than one that was): refused, but not a guess.
    Replay is keyed on the step, not the string, so a code typed differently is still a replay.
    """
    policy = policy or TotpPolicy()
    try:
        step = _totp(secret, policy.digits).verify_and_get_timecode(code, for_time=now, valid_window=policy.drift_steps)
    except pyotp.exceptions.OTPVerificationError:  # pyotp >= 2.11.2 raises rather than return None
        return WRONG, None
    if last_step is not None and step <= last_step:
        return REPLAYED, step
    return ACCEPTED, step

