"""The administrator's overview: where each person stands with two-factor authentication, and
the filters an administrator narrows it with (agents or users; on, off, locked, pending).

What enforcement asks of a person is read from the settings, never stored: switching
enforcement on or off changes the overview at once.
"""

from __future__ import annotations

import datetime as dt
import enum

from .errors import InvalidInput
from .people import Person, Role
from .settings import SecuritySettings


class Enforcement(str, enum.Enum):
    NOT_ENFORCED = "not_enforced"  # enforcement does not apply to the person's role
    MET = "met"  # it applies, and the person has a method
    GRACE = "grace"  # it applies, and the person may still skip the set-up (SecuritySettings.in_grace)
    PENDING = "pending"  # it applies, and the person must set up a method at their next sign-in


class State(str, enum.Enum):
    """The states the overview can be narrowed to."""

    ON = "on"  # has two-factor authentication
    OFF = "off"
    LOCKED = "locked"  # the second step is locked now
    PENDING = "pending"  # enforcement asks them to set it up (now, or within their days)


ROLES = {"agent": Role.AGENT, "user": Role.USER}


def enforcement(person: Person, settings: SecuritySettings, now: dt.datetime) -> Enforcement:
    if not settings.is_enforced_for(person):
        return Enforcement.NOT_ENFORCED
    if person.has_two_factor:
        return Enforcement.MET
    return Enforcement.GRACE if settings.in_grace(person, now) else Enforcement.PENDING


def parse_filter(role: str | None, state: str | None) -> tuple[Role | None, State | None]:
    """The filters as given (None or "" for all), refused with the values that are allowed."""
    problems = []
    if role and role not in ROLES:
        problems.append(f"Show agents or users: role is one of {', '.join(ROLES)}, not {role!r}.")
    if state and state not in {s.value for s in State}:
        problems.append(f"State is one of {', '.join(s.value for s in State)}, not {state!r}.")
    if problems:
        raise InvalidInput(" ".join(problems))
    return (ROLES[role] if role else None), (State(state) if state else None)


def in_state(state: State, person: Person, settings: SecuritySettings, now: dt.datetime) -> bool:
    return {
        State.ON: person.has_two_factor,
        State.OFF: not person.has_two_factor,
        State.LOCKED: person.is_locked(now),
        State.PENDING: enforcement(person, settings, now) in (Enforcement.GRACE, Enforcement.PENDING),
    }[state]
