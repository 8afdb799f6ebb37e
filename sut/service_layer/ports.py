"""What the use cases need from the world, as protocols: storage, time, hashing, keys, senders.

The service layer imports no adapter: ``sut.bootstrap`` hands it the concrete ones (SQLite,
SMTP, the SMS gateway, Argon2, the key file), the tests an in-memory store and fakes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from typing import Protocol

from sut.domain import lockout, sessions, totp
from sut.domain.audit import AuditEntry
from sut.domain.challenges import Challenge, SentCode, State
from sut.domain.clients import UNKNOWN, Client
from sut.domain.devices import RememberedDevice
from sut.domain.people import Person
from sut.domain.settings import SecuritySettings
from sut.domain.sso import Assertion


class Repository(Protocol):
    """The reads and writes of one unit of work. The compare-and-set ones (``advance_totp_step``,
    ``use_code``) are atomic with respect to every other unit of work."""

    # people
    def add_person(self, person: Person) -> Person: ...
    def person(self, person_id: int) -> Person | None: ...
    def person_by_email(self, email: str) -> Person | None: ...  # case-insensitive
    def people(self) -> list[Person]: ...  # by role, name, id
    def save_person(self, person: Person) -> None: ...
    def advance_totp_step(self, person_id: int, step: int) -> bool: ...  # False: this step or a later one was used
    # settings
    def settings(self) -> SecuritySettings: ...
    def save_settings(self, settings: SecuritySettings) -> None: ...
    # challenges and the codes sent for them
    def add_challenge(self, challenge: Challenge) -> None: ...
    def challenge(self, challenge_id: str) -> Challenge | None: ...
    def set_challenge_state(self, challenge_id: str, state: State) -> None: ...  # finished: its secret goes
    def set_challenge_secret(self, challenge_id: str, secret: bytes) -> None: ...
    def record_accepted_code(self, challenge_id: str, code_digest: str) -> None: ...
    def void_open_challenges(self, person_id: int, purpose=None, keep: str | None = None) -> None: ...
    def void_codes_of(self, challenge_id: str) -> None: ...
    def forget_expired_secrets(self, now: dt.datetime) -> None: ...
    def add_code(self, challenge_id: str, person_id: int, digest: str, sent_at: dt.datetime,
                 expires_at: dt.datetime) -> None: ...  # voids the challenge's older codes
    def live_code(self, challenge_id: str) -> SentCode | None: ...
    def last_code_sent_at(self, challenge_id: str) -> dt.datetime | None: ...
    def codes_sent_since(self, person_id: int, since: dt.datetime) -> list[dt.datetime]: ...
    def was_used(self, person_id: int, digest: str, since: dt.datetime) -> bool: ...
    def use_code(self, code_id: int) -> bool: ...  # False: used or void already
    # recovery codes, by their keyed hashes: "live", "used" or "void"
    def replace_recovery_codes(self, person_id: int, digests: list[str]) -> None: ...  # voids the live ones
    def void_recovery_codes(self, person_id: int) -> None: ...
    def recovery_code_state(self, person_id: int, digest: str) -> str | None: ...
    def use_recovery_code(self, person_id: int, digest: str) -> bool: ...  # False: used or void already
    def recovery_codes_left(self, person_id: int) -> int: ...
    # remembered devices, by the keyed hash of the token the device holds
    def add_remembered_device(self, device: RememberedDevice) -> None: ...
    def remembered_device(self, device_id: str) -> RememberedDevice | None: ...
    def forget_remembered_devices(self, person_id: int) -> None: ...  # every one of the person's
    # identity providers' assertions, by id: each used once
    def use_assertion(self, assertion_id: str, keep_until: dt.datetime, now: dt.datetime) -> bool: ...  # False: used
    # sessions
    def add_session(self, session_id: str, person_id: int, now: dt.datetime) -> None: ...
    def session(self, session_id: str) -> sessions.Session | None: ...
    def record_activity(self, session_id: str, now: dt.datetime) -> None: ...
    def record_password_entry(self, session_id: str, now: dt.datetime) -> None: ...
    def end_session(self, session_id: str) -> bool: ...
    def end_sessions_of(self, person_id: int, keep: str | None = None) -> None: ...
    # wrong passwords
    def password_failures(self, *, account: str | None = None, address: str | None = None,
                          since: dt.datetime) -> list[dt.datetime]: ...  # of the account, the address, or both
    def add_password_failure(self, now: dt.datetime, account: str, address: str) -> int: ...
    def forget_password_failure(self, failure_id: int) -> None: ...
    def clear_password_failures(self, account: str, *, address: str | None = None) -> None: ...  # address: only those
    def forget_password_failures_before(self, moment: dt.datetime) -> None: ...
    # links to reset a password, as asked for: by the address as typed and the client's network
    def add_reset_request(self, now: dt.datetime, account: str, address: str) -> None: ...
    def reset_requests(self, *, account: str | None = None, address: str | None = None,
                       since: dt.datetime) -> list[dt.datetime]: ...  # of the account, the address, or both
    def forget_reset_requests_before(self, moment: dt.datetime) -> None: ...
    # audit
    def audit(self, now: dt.datetime, person_id: int | None, event: str, detail: str = "",
              client: Client = UNKNOWN) -> None: ...
    def audit_events(self, person_id: int | None = None, limit: int = 100) -> list[AuditEntry]: ...  # newest first


class Store(Protocol):
    """Hands out units of work: ``transaction()`` commits when its block ends normally and rolls
    back on an exception; ``reading()`` is a consistent snapshot that waits for no writer."""

    def transaction(self) -> contextlib.AbstractContextManager[Repository]: ...
    def reading(self) -> contextlib.AbstractContextManager[Repository]: ...
    def close(self) -> None: ...


class Clock(Protocol):
    def now(self) -> dt.datetime: ...  # timezone-aware


class IdentityProvider(Protocol):
    """The identity provider this site trusts for single sign-on: checks its signed assertions."""

    def verify(self, token: str) -> Assertion: ...  # raises InvalidAssertion
    def sign_in_url(self, nonce: str, redirect_uri: str) -> str: ...  # where a browser starts signing in there


class HasherBusy(Exception):
    """Too many password checks are running or waiting: refused at once rather than queued."""


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...  # may raise HasherBusy
    def verify(self, stored_hash: str, password: str) -> bool: ...  # may raise HasherBusy


class Keys(Protocol):
    code_hmac_key: bytes

    def encrypt(self, secret: str) -> bytes: ...
    def decrypt(self, token: bytes) -> str: ...


class EmailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class SmsGateway(Protocol):
    def send(self, to: str, text: str) -> None: ...


@dataclasses.dataclass
class Dependencies:
    store: Store
    clock: Clock
    passwords: PasswordHasher
    keys: Keys
    email: EmailSender
    sms: SmsGateway
    sessions: sessions.SessionPolicy = dataclasses.field(default_factory=sessions.SessionPolicy)
    # Where people reach the app, for the links it emails (never the Host a request claims).
    public_url: str = "http://localhost:8000"
    # None: today's rule (sut.domain.lockout's and totp's constants); a simulation injects another.
    lock_policy: lockout.LockPolicy | None = None
    totp_policy: totp.TotpPolicy | None = None
    identity_provider: IdentityProvider | None = None  # None: no single sign-on


