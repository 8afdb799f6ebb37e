"""Wrong codes are counted per account, across sessions and resends, then the second step locks.

Two counts: wrong codes since the last lock (5 lock the second step for 15 minutes, as the
peers do: Authelia 3, GitLab 10) and wrong codes in a row across locks, which NIST SP
800-63B 5.2.2 caps at 100: the 100th holds the second step until an administrator unlocks
it. Without that cap the short lock alone allows about 480 guesses a day, for ever.
"""

from __future__ import annotations

import datetime as dt

from .errors import Locked
from .people import Person

MAX_WRONG_CODES = 5
LOCK_FOR = dt.timedelta(minutes=15)
MAX_WRONG_CODES_IN_A_ROW = 100  # NIST SP 800-63B 5.2.2

LOCKED = "locked"  # for LOCK_FOR
HELD = "held"  # until an administrator unlocks

HELD_MESSAGE = ("Too many wrong codes. Two-factor sign-in is locked for this account "
                "until an administrator unlocks it.")


def lock_message(person: Person, now: dt.datetime) -> str:
    if person.held:
        return HELD_MESSAGE
    minutes = max(1, -(-int((person.locked_until - now).total_seconds()) // 60))
    return (
        "Too many wrong codes. Two-factor sign-in is locked for this account; "
        f"try again in {minutes} minute{'s' if minutes != 1 else ''}, or ask an administrator."
    )


def refusal(person: Person, now: dt.datetime) -> Locked:
    """The refusal of a locked second step, with the seconds it still lasts (none when held)."""
    seconds = None if person.held else max(1, -(-int((person.locked_until - now).total_seconds())))
    return Locked(lock_message(person, now), retry_after=seconds)


def ensure_not_locked(person: Person, now: dt.datetime) -> None:
    if person.is_locked(now):
        raise refusal(person, now)


def record_wrong_code(person: Person, now: dt.datetime) -> str | None:
    """Count a wrong code; LOCKED or HELD when this one locked the second step, else None."""
    person.failed_codes += 1
    person.wrong_codes_in_a_row += 1
    if person.wrong_codes_in_a_row >= MAX_WRONG_CODES_IN_A_ROW:
        person.failed_codes, person.locked_until, person.held = 0, None, True
        return HELD
    if person.failed_codes >= MAX_WRONG_CODES:
        person.failed_codes = 0
        person.locked_until = now + LOCK_FOR
        return LOCKED
    return None


def record_success(person: Person) -> None:
    unlock(person)


def unlock(person: Person) -> None:
    """A right code, or an administrator: every count starts again."""
    person.failed_codes = 0
    person.wrong_codes_in_a_row = 0
    person.locked_until = None
    person.held = False
