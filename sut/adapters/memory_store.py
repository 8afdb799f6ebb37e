"""The whole store in memory: what ``SqliteStore`` does, without a file (cosmicpython's
FakeRepository, made complete). Fast use-case tests and simulations use it; the same contract
tests run against both stores (tests/integration/test_store_contract.py).

One lock serialises units of work, so the compare-and-set operations are atomic as they are in
SQLite. A transaction that ends in an exception is undone: every write logs its inverse, and
the log is played backwards. Records are copied in and out, as rows would be: changing a
returned object changes nothing until it is saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import threading
from typing import Callable, Iterator

from sut.domain.audit import AuditEntry
from sut.domain.challenges import Challenge, Purpose, SentCode, State
from sut.domain.clients import UNKNOWN, Client
from sut.domain.people import Person
from sut.domain.sessions import Session
from sut.domain.settings import SecuritySettings


def _nocase(email: str) -> str:
    """SQLite's NOCASE: ASCII letters fold, nothing else does."""
    return "".join(c.lower() if c.isascii() else c for c in email.strip())


@dataclasses.dataclass(frozen=True)
class _Code:
    id: int
    challenge_id: str
    person_id: int
    digest: str
    sent_at: dt.datetime
    expires_at: dt.datetime
    used: bool = False
    void: bool = False


@dataclasses.dataclass(frozen=True)
class _Audit:
    at: dt.datetime
    person_id: int | None
    event: str
    detail: str
    address: str
    user_agent: str


@dataclasses.dataclass(frozen=True)
class _Failure:
    at: dt.datetime
    account: str
    address: str


def _times(tries: dict[int, _Failure], account: str | None, address: str | None, since: dt.datetime) -> list[dt.datetime]:
    """When the tries (wrong passwords, reset requests) of an account, an address or both happened, oldest first."""
    if account is None and address is None:
        raise ValueError("Name an account, an address or both.")
    return sorted(t.at for t in tries.values() if t.at > since
                  and (account is None or t.account == account) and (address is None or t.address == address))


@dataclasses.dataclass
class _Tables:
    people: dict[int, Person] = dataclasses.field(default_factory=dict)
    emails: dict[str, int] = dataclasses.field(default_factory=dict)
    settings: dict[str, SecuritySettings] = dataclasses.field(default_factory=dict)
    challenges: dict[str, Challenge] = dataclasses.field(default_factory=dict)
    challenges_of: dict[int, dict[str, None]] = dataclasses.field(default_factory=dict)  # by person, in order
    with_secret: dict[str, None] = dataclasses.field(default_factory=dict)
    codes: dict[int, _Code] = dataclasses.field(default_factory=dict)
    codes_of_challenge: dict[str, dict[int, None]] = dataclasses.field(default_factory=dict)
    codes_of_person: dict[int, dict[int, None]] = dataclasses.field(default_factory=dict)
    recovery_codes: dict[tuple[int, str], str] = dataclasses.field(default_factory=dict)  # (person, digest): state
    assertions: dict[str, dt.datetime] = dataclasses.field(default_factory=dict)  # used id: kept until
    sessions: dict[str, Session] = dataclasses.field(default_factory=dict)
    sessions_of: dict[int, dict[str, None]] = dataclasses.field(default_factory=dict)
    audit: dict[int, _Audit] = dataclasses.field(default_factory=dict)
    failures: dict[int, _Failure] = dataclasses.field(default_factory=dict)
    reset_requests: dict[int, _Failure] = dataclasses.field(default_factory=dict)  # the same shape: when, whose, whence
    ids: Iterator[int] = dataclasses.field(default_factory=lambda: itertools.count(1))


class MemoryRepository:
    """The queries of one unit of work, over the tables; each write logs how to undo it."""

    def __init__(self, tables: _Tables, undo: list[Callable[[], None]] | None):
        self.t = tables
        self._undo = undo  # None: a reading unit of work, which must not write

    # writing, undoably
    def _put(self, table: dict, key, value) -> None:
        if self._undo is None:
            raise RuntimeError("A reading unit of work cannot write.")
        missing, old = key not in table, table.get(key)
        table[key] = value
        self._undo.append(lambda: table.pop(key) if missing else table.__setitem__(key, old))

    def _drop(self, table: dict, key) -> None:
        if key in table:
            self._put(table, key, table[key])  # logs the restore
            del table[key]

    def _index(self, index: dict, owner, key) -> None:
        self._put(index.setdefault(owner, {}), key, None)

    # people
    def add_person(self, person: Person) -> Person:
        if _nocase(person.email) in self.t.emails:
            raise ValueError(f"An account with the email address {person.email} exists.")
        person.id = next(self.t.ids)
        self._put(self.t.people, person.id, dataclasses.replace(person))
        self._put(self.t.emails, _nocase(person.email), person.id)
        return person

    def person(self, person_id: int) -> Person | None:
        found = self.t.people.get(person_id)
        return dataclasses.replace(found) if found else None

    def person_by_email(self, email: str) -> Person | None:
        person_id = self.t.emails.get(_nocase(email))
        return self.person(person_id) if person_id is not None else None

    def people(self) -> list[Person]:
        return [dataclasses.replace(p) for p in sorted(self.t.people.values(), key=lambda p: (p.role.value, p.name, p.id))]

    def save_person(self, person: Person) -> None:
        stored = self.t.people.get(person.id)
        if stored is not None:  # the email address is never changed by a save, as in SQL
            self._put(self.t.people, person.id, dataclasses.replace(person, email=stored.email))

    def advance_totp_step(self, person_id: int, step: int) -> bool:
        person = self.t.people.get(person_id)
        if person is None or (person.totp_last_step is not None and person.totp_last_step >= step):
            return False
        self._put(self.t.people, person_id, dataclasses.replace(person, totp_last_step=step))
        return True

    # settings
    def settings(self) -> SecuritySettings:
        return self.t.settings.get("security", SecuritySettings())

    def save_settings(self, settings: SecuritySettings) -> None:
        self._put(self.t.settings, "security", settings)

    # challenges
    def add_challenge(self, challenge: Challenge) -> None:
        self._put(self.t.challenges, challenge.id, dataclasses.replace(challenge))
        self._index(self.t.challenges_of, challenge.person_id, challenge.id)
        if challenge.secret is not None:
            self._put(self.t.with_secret, challenge.id, None)

    def challenge(self, challenge_id: str) -> Challenge | None:
        found = self.t.challenges.get(challenge_id)
        return dataclasses.replace(found) if found else None

    def _change_challenge(self, challenge_id: str, **changes) -> None:
        found = self.t.challenges.get(challenge_id)
        if found is None:
            return
        self._put(self.t.challenges, challenge_id, dataclasses.replace(found, **changes))
        if "secret" in changes:
            if changes["secret"] is None:
                self._drop(self.t.with_secret, challenge_id)
            else:
                self._put(self.t.with_secret, challenge_id, None)

    def set_challenge_state(self, challenge_id: str, state: State) -> None:
        # A finished or voided challenge keeps no secret: the person's copy is the one in use.
        self._change_challenge(challenge_id, state=state, **({"secret": None} if state.finished else {}))

    def set_challenge_secret(self, challenge_id: str, secret: bytes) -> None:
        self._change_challenge(challenge_id, secret=secret)

    def record_accepted_code(self, challenge_id: str, code_digest: str) -> None:
        self._change_challenge(challenge_id, accepted_code=code_digest)

    def void_open_challenges(self, person_id: int, purpose: Purpose | None = None, keep: str | None = None) -> None:
        for challenge_id in list(self.t.challenges_of.get(person_id, ())):
            challenge = self.t.challenges[challenge_id]
            if challenge.state.finished or (purpose is not None and challenge.purpose is not purpose) or challenge_id == keep:
                continue
            self.set_challenge_state(challenge_id, State.VOID)
            self.void_codes_of(challenge_id)

    def void_codes_of(self, challenge_id: str) -> None:
        for code_id in self.t.codes_of_challenge.get(challenge_id, ()):
            code = self.t.codes[code_id]
            if not code.void:
                self._put(self.t.codes, code_id, dataclasses.replace(code, void=True))

    def forget_expired_secrets(self, now: dt.datetime) -> None:
        for challenge_id in list(self.t.with_secret):
            if self.t.challenges[challenge_id].expires_at <= now:
                self._change_challenge(challenge_id, secret=None)

    # codes
    def add_code(self, challenge_id: str, person_id: int, digest: str, sent_at: dt.datetime, expires_at: dt.datetime) -> None:
        self.void_codes_of(challenge_id)  # a resend voids the older code (ASVS 5 6.6.2)
        code = _Code(next(self.t.ids), challenge_id, person_id, digest, sent_at, expires_at)
        self._put(self.t.codes, code.id, code)
        self._index(self.t.codes_of_challenge, challenge_id, code.id)
        self._index(self.t.codes_of_person, person_id, code.id)

    def _codes_of_challenge(self, challenge_id: str) -> list[_Code]:
        return [self.t.codes[i] for i in self.t.codes_of_challenge.get(challenge_id, ())]

    def live_code(self, challenge_id: str) -> SentCode | None:
        live = [c for c in self._codes_of_challenge(challenge_id) if not c.used and not c.void]
        if not live:
            return None
        newest = max(live, key=lambda c: c.id)
        return SentCode(newest.id, newest.digest, newest.sent_at, newest.expires_at)

    def last_code_sent_at(self, challenge_id: str) -> dt.datetime | None:
        return max((c.sent_at for c in self._codes_of_challenge(challenge_id)), default=None)

    def codes_sent_since(self, person_id: int, since: dt.datetime) -> list[dt.datetime]:
        codes = (self.t.codes[i] for i in self.t.codes_of_person.get(person_id, ()))
        return sorted(c.sent_at for c in codes if c.sent_at > since)

    def was_used(self, person_id: int, digest: str, since: dt.datetime) -> bool:
        codes = (self.t.codes[i] for i in self.t.codes_of_person.get(person_id, ()))
        return any(c.digest == digest and c.used and c.sent_at > since for c in codes)

    def use_code(self, code_id: int) -> bool:
        code = self.t.codes.get(code_id)
        if code is None or code.used or code.void:
            return False
        self._put(self.t.codes, code_id, dataclasses.replace(code, used=True))
        return True

    # recovery codes
    def replace_recovery_codes(self, person_id: int, digests: list[str]) -> None:
        self.void_recovery_codes(person_id)
        for digest in digests:
            self._put(self.t.recovery_codes, (person_id, digest), "live")

    def void_recovery_codes(self, person_id: int) -> None:
        for key, state in list(self.t.recovery_codes.items()):
            if key[0] == person_id and state == "live":
                self._put(self.t.recovery_codes, key, "void")

    def recovery_code_state(self, person_id: int, digest: str) -> str | None:
        return self.t.recovery_codes.get((person_id, digest))

    def use_recovery_code(self, person_id: int, digest: str) -> bool:
        if self.t.recovery_codes.get((person_id, digest)) != "live":
            return False
        self._put(self.t.recovery_codes, (person_id, digest), "used")
        return True

    def recovery_codes_left(self, person_id: int) -> int:
        return sum(1 for (owner, _), state in self.t.recovery_codes.items() if owner == person_id and state == "live")

    # identity providers' assertions
    def use_assertion(self, assertion_id: str, keep_until: dt.datetime, now: dt.datetime) -> bool:
        for old in [k for k, until in self.t.assertions.items() if until <= now]:
            self._drop(self.t.assertions, old)
        if assertion_id in self.t.assertions:
            return False
        self._put(self.t.assertions, assertion_id, keep_until)
        return True

    # sessions
    def add_session(self, session_id: str, person_id: int, now: dt.datetime) -> None:
        self._put(self.t.sessions, session_id, Session(session_id, person_id, now, now, now))
        self._index(self.t.sessions_of, person_id, session_id)

    def session(self, session_id: str) -> Session | None:
        return self.t.sessions.get(session_id)

    def record_activity(self, session_id: str, now: dt.datetime) -> None:
        session = self.t.sessions.get(session_id)
        if session is not None and session.last_seen < now:
            self._put(self.t.sessions, session_id, dataclasses.replace(session, last_seen=now))

    def record_password_entry(self, session_id: str, now: dt.datetime) -> None:
        session = self.t.sessions.get(session_id)
        if session is not None:
            self._put(self.t.sessions, session_id, dataclasses.replace(session, password_at=now, last_seen=now))

    def end_session(self, session_id: str) -> bool:
        session = self.t.sessions.get(session_id)
        if session is None:
            return False
        self._drop(self.t.sessions, session_id)
        self._drop(self.t.sessions_of.get(session.person_id, {}), session_id)
        return True

    def end_sessions_of(self, person_id: int, keep: str | None = None) -> None:
        for session_id in list(self.t.sessions_of.get(person_id, ())):
            if session_id != keep:
                self.end_session(session_id)

    # wrong passwords
    def password_failures(self, *, account: str | None = None, address: str | None = None,
                          since: dt.datetime) -> list[dt.datetime]:
        """The failures since a moment, oldest first: of an account, of an address, or of both together."""
        return _times(self.t.failures, account, address, since)

    def add_password_failure(self, now: dt.datetime, account: str, address: str) -> int:
        failure_id = next(self.t.ids)
        self._put(self.t.failures, failure_id, _Failure(now, account, address))
        return failure_id

    def forget_password_failure(self, failure_id: int) -> None:
        self._drop(self.t.failures, failure_id)

    def clear_password_failures(self, account: str, *, address: str | None = None) -> None:
        """Forget an account's failures: from one address (a right password there), or all (an unlock)."""
        for failure_id in [i for i, f in self.t.failures.items()
                           if f.account == account and (address is None or f.address == address)]:
            self._drop(self.t.failures, failure_id)

    def forget_password_failures_before(self, moment: dt.datetime) -> None:
        for failure_id in [i for i, f in self.t.failures.items() if f.at < moment]:
            self._drop(self.t.failures, failure_id)

    # links to reset a password asked for
    def add_reset_request(self, now: dt.datetime, account: str, address: str) -> None:
        self._put(self.t.reset_requests, next(self.t.ids), _Failure(now, account, address))

    def reset_requests(self, *, account: str | None = None, address: str | None = None,
                       since: dt.datetime) -> list[dt.datetime]:
        return _times(self.t.reset_requests, account, address, since)

    def forget_reset_requests_before(self, moment: dt.datetime) -> None:
        for request_id in [i for i, r in self.t.reset_requests.items() if r.at < moment]:
            self._drop(self.t.reset_requests, request_id)

    # audit
    def audit(self, now: dt.datetime, person_id: int | None, event: str, detail: str = "", client: Client = UNKNOWN) -> None:
        self._put(self.t.audit, next(self.t.ids), _Audit(now, person_id, event, detail, client.address, client.user_agent))

    def audit_events(self, person_id: int | None = None, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        found = []
        for row in reversed(self.t.audit.values()):
            if person_id is None or row.person_id == person_id:
                person = self.t.people.get(row.person_id)
                found.append(AuditEntry(row.at, row.person_id, person.email if person else None, row.event, row.detail,
                                        row.address, row.user_agent))
                if len(found) == limit:
                    break
        return found


class MemoryStore:
    """Hands out units of work over tables in memory, one at a time."""

    def __init__(self):
        self._tables = _Tables()
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def transaction(self):
        """A unit of work that writes: kept when the block ends normally, undone on an exception."""
        with self._lock:
            undo: list[Callable[[], None]] = []
            try:
                yield MemoryRepository(self._tables, undo)
            except BaseException:
                for step in reversed(undo):
                    step()
                raise

    @contextlib.contextmanager
    def reading(self):
        """A unit of work that only reads."""
        with self._lock:
            yield MemoryRepository(self._tables, None)

    def close(self) -> None:
        pass
