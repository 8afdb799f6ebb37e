"""Wrong codes are counted per account, across sessions and resends, then the second step locks.

Two counts: wrong codes since the last lock (5 lock the second step for 15 minutes, as the
peers do: Authelia 3, GitLab 10) and wrong codes in a row across locks, which NIST SP
800-63B 5.2.2 caps at 100: the 100th holds the second step until an administrator unlocks
it. Without that cap the short lock alone allows about 480 guesses a day, for ever.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .errors import Locked
from .people import Person

MAX_WRONG_CODES = 5
LOCK_FOR = dt.timedelta(minutes=15)
MAX_WRONG_CODES_IN_A_ROW = 100  # NIST SP 800-63B 5.2.2

LOCKED = "locked"  # for LOCK_FOR
HELD = "held"  # until an administrator unlocks



@dataclasses.dataclass(frozen=True)
class LockPolicy:
    """The lock's numbers as one value, for a study that varies them (``twofa simulate``).

    The defaults are read when a policy is made, not when this module is loaded, so the
    constants above stay the single source of today's rule.
    """

    max_wrong_codes: int = dataclasses.field(default_factory=lambda: MAX_WRONG_CODES)
    lock_for: dt.timedelta = dataclasses.field(default_factory=lambda: LOCK_FOR)
    max_wrong_codes_in_a_row: int | None = dataclasses.field(default_factory=lambda: MAX_WRONG_CODES_IN_A_ROW)  # None: no cap


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


def record_wrong_code(person: Person, now: dt.datetime, policy: LockPolicy | None = None) -> str | None:
    """Count a wrong code; LOCKED or HELD when this one locked the second step, else None."""
    policy = policy or LockPolicy()
    person.failed_codes += 1
    person.wrong_codes_in_a_row += 1
    cap = policy.max_wrong_codes_in_a_row
    if cap is not None and person.wrong_codes_in_a_row >= cap:
        person.failed_codes, person.locked_until, person.held = 0, None, True
        return HELD
    if person.failed_codes >= policy.max_wrong_codes:
        person.failed_codes = 0
        person.locked_until = now + policy.lock_for
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
