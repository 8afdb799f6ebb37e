"""SQLite storage: one embedded file, everything survives a restart.

Each unit of work that writes is one ``BEGIN IMMEDIATE`` transaction, so the checks that
must be atomic (a TOTP step accepted once, an emailed code used once, the wrong-code count)
are serialised by SQLite itself, across threads and processes. A unit of work that only
reads (a session check) is a deferred transaction: in WAL mode it never waits for a writer,
so a flood of logins cannot stall signed-in people. Nothing slow (a password hash) ever
runs inside a write transaction.

The database and its WAL are created readable by the owner only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pathlib
import sqlite3
import threading

from sut.domain import methods
from sut.domain.audit import AuditEntry
from sut.domain.challenges import Challenge, Purpose, SentCode, State
from sut.domain.clients import UNKNOWN, Client
from sut.domain.people import Person, Role
from sut.domain.sessions import Session
from sut.domain.settings import SecuritySettings
from sut.service_layer import settings_form

SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    mobile_number TEXT,
    mobile_verified INTEGER NOT NULL DEFAULT 0,  -- unused since issue 9 (kept for older databases)
    method TEXT,
    totp_secret BLOB,
    totp_last_step INTEGER,
    failed_codes INTEGER NOT NULL DEFAULT 0,
    locked_until REAL,
    wrong_codes_in_a_row INTEGER NOT NULL DEFAULT 0,
    held INTEGER NOT NULL DEFAULT 0,
    second_factor_used_at REAL,
    grace_started_at REAL
);
CREATE TABLE IF NOT EXISTS settings (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
-- A challenge is a second-factor exchange in progress: a login attempt, an enrolment, a
-- turning-off. Its id is the SHA-256 of the token the person holds.
CREATE TABLE IF NOT EXISTS challenges (
    id TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    purpose TEXT NOT NULL,
    state TEXT NOT NULL,
    method TEXT,
    parent_id TEXT,  -- unused since issue 9 (kept for older databases)
    secret BLOB,
    mobile_number TEXT,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    accepted_code TEXT  -- a login attempt: the keyed hash of the code that completed it
);
CREATE INDEX IF NOT EXISTS challenges_by_person ON challenges(person_id, state);
CREATE INDEX IF NOT EXISTS challenges_by_expiry ON challenges(expires_at);
CREATE TABLE IF NOT EXISTS codes (
    id INTEGER PRIMARY KEY,
    challenge_id TEXT NOT NULL REFERENCES challenges(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    digest TEXT NOT NULL,
    sent_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    void INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS codes_by_person ON codes(person_id, sent_at);
-- Recovery codes: keyed hashes only; a regenerated set voids the old one, kept to say so.
CREATE TABLE IF NOT EXISTS recovery_codes (
    person_id INTEGER NOT NULL REFERENCES people(id),
    digest TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'used', 'void')),
    PRIMARY KEY (person_id, digest)
);
-- Identity providers' assertions already used (single sign-on), kept while they could be live.
CREATE TABLE IF NOT EXISTS used_assertions (id TEXT PRIMARY KEY, keep_until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    created_at REAL NOT NULL,
    last_seen REAL,
    password_at REAL
);
CREATE INDEX IF NOT EXISTS sessions_by_person ON sessions(person_id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    person_id INTEGER,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_by_person ON audit(person_id, id);
-- Wrong passwords, for the throttle: by the account as typed and by the client address.
CREATE TABLE IF NOT EXISTS password_failures (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    account TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS password_failures_by_account ON password_failures(account, at);
CREATE INDEX IF NOT EXISTS password_failures_by_address ON password_failures(address, at);
CREATE INDEX IF NOT EXISTS password_failures_by_time ON password_failures(at);
-- Links to reset a password asked for, for their limits: by the account as typed and the address.
CREATE TABLE IF NOT EXISTS reset_requests (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    account TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reset_requests_by_account ON reset_requests(account, at);
CREATE INDEX IF NOT EXISTS reset_requests_by_address ON reset_requests(address, at);
"""

# Columns added after the first release: a database of an earlier version gets them.
MIGRATIONS = {
    "people": {"wrong_codes_in_a_row": "INTEGER NOT NULL DEFAULT 0", "held": "INTEGER NOT NULL DEFAULT 0",
               "second_factor_used_at": "REAL", "grace_started_at": "REAL"},
    "challenges": {"accepted_code": "TEXT"},
    "sessions": {"last_seen": "REAL", "password_at": "REAL"},
    "audit": {"address": "TEXT NOT NULL DEFAULT ''", "user_agent": "TEXT NOT NULL DEFAULT ''"},
}


def _ts(moment: dt.datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _dt(value: float | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.timezone.utc)


def _method(value: str | None):
    return methods.by_id(value) if value else None


def settings_to_json(settings: SecuritySettings) -> str:
    return json.dumps({
        "allowed_for": sorted(r.value for r in settings.allowed_for),
        "enforced_for": sorted(r.value for r in settings.enforced_for),
        "allowed_methods": sorted(m.value for m in settings.allowed_methods),
        "last_resort": sorted(m.value for m in settings.last_resort),
        "grace_days": settings.grace_days,
        "sso_skips_second_factor": settings.sso_skips_second_factor,
    })


def settings_from_json(text: str) -> SecuritySettings:
    stored = json.loads(text)
    if "allowed_methods" not in stored:  # written before issue 9: the form's flags, one per setting
        return settings_form.changed(SecuritySettings(), stored)
    return SecuritySettings(
        allowed_for=frozenset(Role(r) for r in stored["allowed_for"]),
        enforced_for=frozenset(Role(r) for r in stored["enforced_for"]),
        allowed_methods=frozenset(methods.by_id(m) for m in stored["allowed_methods"]),
        last_resort=frozenset(methods.by_id(m) for m in stored["last_resort"]),
        grace_days=stored.get("grace_days", 0),  # written before issue 10: no grace period
        sso_skips_second_factor=stored.get("sso_skips_second_factor", False),  # nor single sign-on
    )


class Repository:
    """The queries of one unit of work."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection

    # people
    def add_person(self, person: Person) -> Person:
        cursor = self.db.execute(
            "INSERT INTO people (email, name, role, is_admin, password_hash, mobile_number) VALUES (?, ?, ?, ?, ?, ?)",
            (person.email, person.name, person.role.value, int(person.is_admin), person.password_hash,
             person.mobile_number),
        )
        person.id = cursor.lastrowid
        return person

    def person_by_email(self, email: str) -> Person | None:
        row = self.db.execute("SELECT * FROM people WHERE email = ?", (email.strip(),)).fetchone()
        return self._person(row)

    def person(self, person_id: int) -> Person | None:
        return self._person(self.db.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone())

    def people(self) -> list[Person]:
        return [self._person(r) for r in self.db.execute("SELECT * FROM people ORDER BY role, name, id")]

    def save_person(self, p: Person) -> None:
        self.db.execute(
            "UPDATE people SET name=?, role=?, is_admin=?, password_hash=?, mobile_number=?,"
            " method=?, totp_secret=?, totp_last_step=?, failed_codes=?, locked_until=?, wrong_codes_in_a_row=?,"
            " held=?, second_factor_used_at=?, grace_started_at=? WHERE id=?",
            (p.name, p.role.value, int(p.is_admin), p.password_hash, p.mobile_number,
             p.method.value if p.method else None, p.totp_secret_encrypted, p.totp_last_step, p.failed_codes,
             _ts(p.locked_until), p.wrong_codes_in_a_row, int(p.held), _ts(p.second_factor_used_at),
             _ts(p.grace_started_at), p.id),
        )

    def advance_totp_step(self, person_id: int, step: int) -> bool:
        """Record an accepted time step; False when the same or a later one was already used."""
        cursor = self.db.execute(
            "UPDATE people SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
            (step, person_id, step),
        )
        return cursor.rowcount == 1

    @staticmethod
    def _person(row) -> Person | None:
        if row is None:
            return None
        return Person(
            id=row["id"], email=row["email"], name=row["name"], role=Role(row["role"]),
            password_hash=row["password_hash"], is_admin=bool(row["is_admin"]),
            mobile_number=row["mobile_number"], method=_method(row["method"]),
            totp_secret_encrypted=row["totp_secret"], totp_last_step=row["totp_last_step"],
            failed_codes=row["failed_codes"], locked_until=_dt(row["locked_until"]),
            wrong_codes_in_a_row=row["wrong_codes_in_a_row"], held=bool(row["held"]),
            second_factor_used_at=_dt(row["second_factor_used_at"]), grace_started_at=_dt(row["grace_started_at"]),
        )

    # settings
    def settings(self) -> SecuritySettings:
        row = self.db.execute("SELECT json FROM settings WHERE id = 1").fetchone()
        return settings_from_json(row["json"]) if row else SecuritySettings()

    def save_settings(self, settings: SecuritySettings) -> None:
        self.db.execute(
            "INSERT INTO settings (id, json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
            (settings_to_json(settings),),
        )

    # challenges and codes
    def add_challenge(self, c: Challenge) -> None:
        self.db.execute(
            "INSERT INTO challenges (id, person_id, purpose, state, method, secret, mobile_number,"
            " created_at, expires_at, accepted_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c.id, c.person_id, c.purpose.value, c.state.value, c.method.value if c.method else None, c.secret,
             c.mobile_number, _ts(c.created_at), _ts(c.expires_at), c.accepted_code),
        )

    def challenge(self, challenge_id: str) -> Challenge | None:
        row = self.db.execute("SELECT * FROM challenges WHERE id = ?", (challenge_id,)).fetchone()
        if row is None:
            return None
        return Challenge(
            id=row["id"], person_id=row["person_id"], purpose=Purpose(row["purpose"]), state=State(row["state"]),
            method=_method(row["method"]), created_at=_dt(row["created_at"]),
            expires_at=_dt(row["expires_at"]), secret=row["secret"],
            mobile_number=row["mobile_number"], accepted_code=row["accepted_code"],
        )

    def set_challenge_state(self, challenge_id: str, state: State) -> None:
        # A finished or voided challenge keeps no secret: the person's copy is the one in use.
        forget = ", secret = NULL" if state.finished else ""
        self.db.execute(f"UPDATE challenges SET state = ?{forget} WHERE id = ?", (state.value, challenge_id))

    def set_challenge_secret(self, challenge_id: str, secret: bytes) -> None:
        self.db.execute("UPDATE challenges SET secret = ? WHERE id = ?", (secret, challenge_id))

    def record_accepted_code(self, challenge_id: str, code_digest: str) -> None:
        self.db.execute("UPDATE challenges SET accepted_code = ? WHERE id = ?", (code_digest, challenge_id))

    def void_open_challenges(self, person_id: int, purpose: Purpose | None = None, keep: str | None = None) -> None:
        """Void the person's unfinished challenges (of one purpose, all but ``keep``) and their codes."""
        purpose = purpose.value if purpose else None
        ids = [r["id"] for r in self.db.execute(
            "SELECT id FROM challenges WHERE person_id = ? AND state NOT IN ('done', 'void')"
            " AND (? IS NULL OR purpose = ?) AND (? IS NULL OR id != ?)", (person_id, purpose, purpose, keep, keep))]
        for challenge_id in ids:
            self.set_challenge_state(challenge_id, State.VOID)
            self.db.execute("UPDATE codes SET void = 1 WHERE challenge_id = ?", (challenge_id,))

    def void_codes_of(self, challenge_id: str) -> None:
        self.db.execute("UPDATE codes SET void = 1 WHERE challenge_id = ?", (challenge_id,))

    def forget_expired_secrets(self, now: dt.datetime) -> None:
        """Set-ups that were abandoned keep no encrypted secret once they expire."""
        self.db.execute("UPDATE challenges SET secret = NULL WHERE secret IS NOT NULL AND expires_at <= ?", (_ts(now),))

    def add_code(self, challenge_id: str, person_id: int, digest: str, sent_at: dt.datetime, expires_at: dt.datetime) -> None:
        # A resend voids the older code of the same challenge (ASVS 5 6.6.2).
        self.db.execute("UPDATE codes SET void = 1 WHERE challenge_id = ?", (challenge_id,))
        self.db.execute(
            "INSERT INTO codes (challenge_id, person_id, digest, sent_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (challenge_id, person_id, digest, _ts(sent_at), _ts(expires_at)),
        )

    def live_code(self, challenge_id: str) -> SentCode | None:
        row = self.db.execute(
            "SELECT * FROM codes WHERE challenge_id = ? AND used = 0 AND void = 0 ORDER BY id DESC LIMIT 1",
            (challenge_id,),
        ).fetchone()
        if row is None:
            return None
        return SentCode(row["id"], row["digest"], _dt(row["sent_at"]), _dt(row["expires_at"]))

    def last_code_sent_at(self, challenge_id: str) -> dt.datetime | None:
        row = self.db.execute("SELECT MAX(sent_at) AS t FROM codes WHERE challenge_id = ?", (challenge_id,)).fetchone()
        return _dt(row["t"])

    def codes_sent_since(self, person_id: int, since: dt.datetime) -> list[dt.datetime]:
        rows = self.db.execute(
            "SELECT sent_at FROM codes WHERE person_id = ? AND sent_at > ? ORDER BY sent_at", (person_id, _ts(since))
        )
        return [_dt(r["sent_at"]) for r in rows]

    def was_used(self, person_id: int, digest: str, since: dt.datetime) -> bool:
        """A recent code of this person that was already accepted (a replay, not a guess)."""
        return self.db.execute("SELECT 1 FROM codes WHERE person_id = ? AND digest = ? AND used = 1 AND sent_at > ?"
                               " LIMIT 1", (person_id, digest, _ts(since))).fetchone() is not None

    def use_code(self, code_id: int) -> bool:
        return self.db.execute("UPDATE codes SET used = 1 WHERE id = ? AND used = 0 AND void = 0", (code_id,)).rowcount == 1

    # recovery codes
    def replace_recovery_codes(self, person_id: int, digests: list[str]) -> None:
        self.void_recovery_codes(person_id)
        self.db.executemany("INSERT OR REPLACE INTO recovery_codes (person_id, digest) VALUES (?, ?)",
                            [(person_id, d) for d in digests])

    def void_recovery_codes(self, person_id: int) -> None:
        self.db.execute("UPDATE recovery_codes SET state = 'void' WHERE person_id = ? AND state = 'live'", (person_id,))

    def recovery_code_state(self, person_id: int, digest: str) -> str | None:
        row = self.db.execute("SELECT state FROM recovery_codes WHERE person_id = ? AND digest = ?",
                              (person_id, digest)).fetchone()
        return row["state"] if row else None

    def use_recovery_code(self, person_id: int, digest: str) -> bool:
        return self.db.execute("UPDATE recovery_codes SET state = 'used' WHERE person_id = ? AND digest = ?"
                               " AND state = 'live'", (person_id, digest)).rowcount == 1

    def recovery_codes_left(self, person_id: int) -> int:
        return self.db.execute("SELECT COUNT(*) AS n FROM recovery_codes WHERE person_id = ? AND state = 'live'",
                               (person_id,)).fetchone()["n"]

    # identity providers' assertions
    def use_assertion(self, assertion_id: str, keep_until: dt.datetime, now: dt.datetime) -> bool:
        self.db.execute("DELETE FROM used_assertions WHERE keep_until <= ?", (_ts(now),))
        cursor = self.db.execute("INSERT OR IGNORE INTO used_assertions (id, keep_until) VALUES (?, ?)",
                                 (assertion_id, _ts(keep_until)))
        return cursor.rowcount == 1

    # sessions
    def add_session(self, session_id: str, person_id: int, now: dt.datetime) -> None:
        self.db.execute("INSERT INTO sessions (id, person_id, created_at, last_seen, password_at) VALUES (?, ?, ?, ?, ?)",
                        (session_id, person_id, _ts(now), _ts(now), _ts(now)))

    def session(self, session_id: str) -> Session | None:
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        created = _dt(row["created_at"])
        return Session(row["id"], row["person_id"], created, _dt(row["last_seen"]) or created,
                       _dt(row["password_at"]) or created)

    def record_activity(self, session_id: str, now: dt.datetime) -> None:
        self.db.execute("UPDATE sessions SET last_seen = ? WHERE id = ? AND (last_seen IS NULL OR last_seen < ?)",
                        (_ts(now), session_id, _ts(now)))

    def record_password_entry(self, session_id: str, now: dt.datetime) -> None:
        self.db.execute("UPDATE sessions SET password_at = ?, last_seen = ? WHERE id = ?", (_ts(now), _ts(now), session_id))

    def end_session(self, session_id: str) -> bool:
        return self.db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount == 1

    def end_sessions_of(self, person_id: int, keep: str | None = None) -> None:
        """End every session of the person, all but ``keep`` when given."""
        self.db.execute("DELETE FROM sessions WHERE person_id = ? AND (? IS NULL OR id != ?)", (person_id, keep, keep))

    # wrong passwords
    def password_failures(self, *, account: str | None = None, address: str | None = None,
                          since: dt.datetime) -> list[dt.datetime]:
        """The failures since a moment, oldest first: of an account, of an address, or of both together."""
        return self._times("password_failures", account, address, since)

    def add_password_failure(self, now: dt.datetime, account: str, address: str) -> int:
        return self.db.execute("INSERT INTO password_failures (at, account, address) VALUES (?, ?, ?)",
                               (_ts(now), account, address)).lastrowid

    def forget_password_failure(self, failure_id: int) -> None:
        self.db.execute("DELETE FROM password_failures WHERE id = ?", (failure_id,))

    def clear_password_failures(self, account: str, *, address: str | None = None) -> None:
        """Forget an account's failures: from one address (a right password there), or all (an unlock)."""
        if address is None:
            self.db.execute("DELETE FROM password_failures WHERE account = ?", (account,))
        else:
            self.db.execute("DELETE FROM password_failures WHERE account = ? AND address = ?", (account, address))

    def forget_password_failures_before(self, moment: dt.datetime) -> None:
        self.db.execute("DELETE FROM password_failures WHERE at < ?", (_ts(moment),))

    # links to reset a password asked for
    def add_reset_request(self, now: dt.datetime, account: str, address: str) -> None:
        self.db.execute("INSERT INTO reset_requests (at, account, address) VALUES (?, ?, ?)", (_ts(now), account, address))

    def reset_requests(self, *, account: str | None = None, address: str | None = None,
                       since: dt.datetime) -> list[dt.datetime]:
        """The requests since a moment, oldest first: of an account, of an address, or of both together."""
        return self._times("reset_requests", account, address, since)

    def _times(self, table: str, account: str | None, address: str | None, since: dt.datetime) -> list[dt.datetime]:
        """When the rows of a table of tries (wrong passwords, reset requests) happened, oldest first."""
        where = [f"{column} = ?" for column, value in (("account", account), ("address", address)) if value is not None]
        values = [value for value in (account, address) if value is not None]
        if not where:
            raise ValueError("Name an account, an address or both.")
        rows = self.db.execute(f"SELECT at FROM {table} WHERE {' AND '.join(where)} AND at > ? ORDER BY at",
                               (*values, _ts(since)))
        return [_dt(r["at"]) for r in rows]

    def forget_reset_requests_before(self, moment: dt.datetime) -> None:
        self.db.execute("DELETE FROM reset_requests WHERE at < ?", (_ts(moment),))

    # audit
    def audit(self, now: dt.datetime, person_id: int | None, event: str, detail: str = "", client: Client = UNKNOWN) -> None:
        self.db.execute("INSERT INTO audit (at, person_id, event, detail, address, user_agent) VALUES (?, ?, ?, ?, ?, ?)",
                        (_ts(now), person_id, event, detail, client.address, client.user_agent))

    def audit_events(self, person_id: int | None = None, limit: int = 100) -> list[AuditEntry]:
        """Newest first."""
        rows = self.db.execute(
            "SELECT audit.*, people.email FROM audit LEFT JOIN people ON people.id = audit.person_id"
            " WHERE (? IS NULL OR audit.person_id = ?) ORDER BY audit.id DESC LIMIT ?", (person_id, person_id, limit))
        return [AuditEntry(_dt(r["at"]), r["person_id"], r["email"], r["event"], r["detail"], r["address"], r["user_agent"])
                for r in rows]


class SqliteStore:
    """Opens one connection per thread and hands out transactions over it."""

    def __init__(self, path: pathlib.Path | str):
        self.path = str(path)
        if self.path != ":memory:":
            _create_private(pathlib.Path(self.path))
        self._local = threading.local()
        connection = self._connection()
        connection.executescript(SCHEMA)
        _migrate(connection)

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
        return connection

    @contextlib.contextmanager
    def transaction(self):
        """A unit of work that writes: committed when the block ends normally, rolled back on an exception."""
        with self._unit("BEGIN IMMEDIATE") as repo:
            yield repo

    @contextlib.contextmanager
    def reading(self):
        """A unit of work that only reads: a consistent snapshot that waits for no writer."""
        with self._unit("BEGIN DEFERRED") as repo:
            yield repo

    @contextlib.contextmanager
    def _unit(self, begin: str):
        db = self._connection()
        db.execute(begin)
        try:
            yield Repository(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


def _create_private(path: pathlib.Path) -> None:
    """Create the database file readable by its owner only (SQLite gives its WAL and shared
    memory files the database file's permissions), and tighten an older, looser one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    for existing in (path, pathlib.Path(f"{path}-wal"), pathlib.Path(f"{path}-shm")):
        if existing.exists() and existing.stat().st_mode & 0o077:
            existing.chmod(0o600)


def _migrate(connection: sqlite3.Connection) -> None:
    for table, columns in MIGRATIONS.items():
        present = {row["name"] for row in connection.execute(f"PRAGMA table_info({table})")}
        for column, declaration in columns.items():
            if column not in present:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
