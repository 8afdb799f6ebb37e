"""A challenge: a second-factor exchange in progress, and the codes sent for it.

Its id is the SHA-256 of the token the person holds. The states it moves through:

    login:   CODE -> (SETUP ->) DONE     SETUP: the person must set up a method first
    enrol:   (VERIFY ->) OPEN -> DONE    VERIFY: changing the method, the current one is proved first
    disable: OPEN -> DONE
    recovery: OPEN -> DONE                new recovery codes
    password reset: OPEN -> DONE          the emailed link, used once when the new password is saved
    any unfinished one -> VOID           replaced, cancelled, or reset by an administrator
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from .methods import Method


class Purpose(str, enum.Enum):
    LOGIN = "login"
    ENROL = "enrol"
    DISABLE = "disable"
    RECOVERY = "recovery"  # new recovery codes: the password, then a code of the current method
    PASSWORD_RESET = "password_reset"  # a link to choose a new password, sent by email


class State(str, enum.Enum):
    CODE = "code"
    SETUP = "setup"
    VERIFY = "verify"
    OPEN = "open"
    DONE = "done"
    VOID = "void"

    @property
    def finished(self) -> bool:
        return self in (State.DONE, State.VOID)


class Verdict(str, enum.Enum):
    """What a typed code turned out to be."""

    ACCEPTED = "accepted"
    REPLAYED = "replayed"  # a code accepted before: refused, but not a guess
    WRONG = "wrong"
    VOIDED = "voided"  # a recovery code of a set that was replaced: counted as a wrong code


@dataclasses.dataclass
class Challenge:
    id: str
    person_id: int
    purpose: Purpose
    state: State
    method: Method | None  # login, disable: the person's method; enrol: the new one
    created_at: dt.datetime
    expires_at: dt.datetime
    secret: bytes | None = None  # enrol, authenticator: the new secret, encrypted, until confirmed
    mobile_number: str | None = None  # enrol, SMS: the number being proved
    accepted_code: str | None = None  # login: the keyed hash of the code that completed it

    def is_live(self, purpose: Purpose, states: tuple[State, ...], now: dt.datetime) -> bool:
        return self.purpose is purpose and self.state in states and now < self.expires_at

    @property
    def takes_recovery_code(self) -> bool:
        """A recovery code stands in for the person's method at the second step and before
        replacing the factor (never where the new method proves itself)."""
        return (self.purpose is Purpose.LOGIN and self.state is State.CODE) or \
            (self.purpose is Purpose.ENROL and self.state is State.VERIFY)

    @property
    def proves_new_method(self) -> bool:
        """An enrolment past its VERIFY state: codes now come from (or are sent to) the new method."""
        return self.purpose is Purpose.ENROL and self.state is State.OPEN

    def destination(self, email: str) -> str | None:
        """Where the new method's codes go, at a set-up."""
        return self.method.destination(email, self.mobile_number)


@dataclasses.dataclass(frozen=True)
class SentCode:
    id: int
    digest: str
    sent_at: dt.datetime
    expires_at: dt.datetime

    def is_live(self, now: dt.datetime) -> bool:
        return now < self.expires_at
