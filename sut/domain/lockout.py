"""Wrong codes are counted per account, across sessions and resends, then the second step locks.

NIST 63B 5.2.2 caps failures at 100; the peers lock far sooner (Authelia 3, GitLab 10).
"""

from __future__ import annotations

import datetime as dt

from .errors import Locked
from .people import Person

MAX_WRONG_CODES = 5
LOCK_FOR = dt.timedelta(minutes=15)


def lock_message(person: Person, now: dt.datetime) -> str:
    minutes = max(1, -(-int((person.locked_until - now).total_seconds()) // 60))
    return (
        "Too many wrong codes. Two-factor sign-in is locked for this account; "
        f"try again in {minutes} minute{'s' if minutes != 1 else ''}, or ask an administrator."
    )


def ensure_not_locked(person: Person, now: dt.datetime) -> None:
    if person.is_locked(now):
        raise Locked(lock_message(person, now))


def record_wrong_code(person: Person, now: dt.datetime) -> bool:
    """Count a wrong code; True when this one locked the account."""
    person.failed_codes += 1
    if person.failed_codes >= MAX_WRONG_CODES:
        person.failed_codes = 0
        person.locked_until = now + LOCK_FOR
        return True
    return False


def record_success(person: Person) -> None:
    person.failed_codes = 0
    person.locked_until = None
