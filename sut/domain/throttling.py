"""Throttling the password step (ASVS 4.0.3 2.2.1), without letting a stranger lock anyone out.

Two brakes, both checked before the password is (so a refused try costs no hash and
reveals nothing about the password):

* Per account: the first 5 wrong passwords in a row are free; after that each further
  try must wait a delay that doubles from 1 second up to 1 minute after the last failure.
  A try within the delay is refused unchecked, the right password too, and is not
  counted. That caps guessing at about 65 tries an hour per account (ASVS asks at most
  100), while a stranger who knows only the email address can slow the person down by a
  minute at most, never lock them out (Keycloak's brute-force detection works the same
  way: a growing wait, no permanent lockout by default). The account is named by the
  email address as typed, so an unknown address is throttled exactly like a real one.
* Per client address: at most 30 failed sign-ins in 15 minutes, whatever the accounts;
  then that address waits until its oldest failure is 15 minutes old. It stops one
  client trying one password on many accounts, and touches no one else.
A right password clears the account's count.
"""

from __future__ import annotations

import datetime as dt

FREE_FAILURES = 5
FIRST_DELAY = dt.timedelta(seconds=1)
MAX_DELAY = dt.timedelta(minutes=1)
FORGET_AFTER = dt.timedelta(hours=1)  # older failures no longer slow anyone down

ADDRESS_WINDOW = dt.timedelta(minutes=15)
ADDRESS_MAX_FAILURES = 30


def account_key(email: str) -> str:
    return str(email or "").strip().lower()


def account_delay(failures: int) -> dt.timedelta | None:
    """The wait after the last of ``failures`` wrong passwords in a row, or None."""
    if failures < FREE_FAILURES:
        return None
    return min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY)


def account_wait(failures: list[dt.datetime], now: dt.datetime) -> dt.timedelta | None:
    """How long this account's next try must still wait; ``failures`` oldest first."""
    recent = [at for at in failures if now - at < FORGET_AFTER]
    delay = account_delay(len(recent))
    if delay is None:
        return None
    wait = recent[-1] + delay - now
    return wait if wait > dt.timedelta(0) else None


def address_wait(failures: list[dt.datetime], now: dt.datetime) -> dt.timedelta | None:
    """How long this address must still wait; ``failures`` oldest first."""
    recent = [at for at in failures if now - at < ADDRESS_WINDOW]
    if len(recent) < ADDRESS_MAX_FAILURES:
        return None
    return recent[-ADDRESS_MAX_FAILURES] + ADDRESS_WINDOW - now


def account_message(wait: dt.timedelta) -> str:
    seconds = max(1, -(-int(wait.total_seconds() * 1000) // 1000))
    return f"Too many failed sign-ins for this account. Try again in {seconds} second{'s' if seconds != 1 else ''}."


def address_message(wait: dt.timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"Too many failed sign-ins from your network. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
