"""SQLite storage: one embedded file, everything survives a restart.

Each unit of work is one ``BEGIN IMMEDIATE`` transaction, so the checks that must be
atomic (a TOTP step accepted once, an emailed code used once, the wrong-code count) are
serialised by SQLite itself, across threads and processes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import pathlib
import sqlite3
import threading

from sut.domain.methods import Method
from sut.domain.people import Person, Role
from sut.domain.settings import SecuritySettings

SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    mobile_number TEXT,
    mobile_verified INTEGER NOT NULL DEFAULT 0,
    method TEXT,
    totp_secret BLOB,
    totp_last_step INTEGER,
    failed_codes INTEGER NOT NULL DEFAULT 0,
    locked_until REAL
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
    parent_id TEXT,
    secret BLOB,
    mobile_number TEXT,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
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
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    person_id INTEGER,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""


def _ts(moment: dt.datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _dt(value: float | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.timezone.utc)


@dataclasses.dataclass
class Challenge:
    id: str
    person_id: int
    purpose: str  # "login" | "enrol" | "disable"
    state: str  # login: "code" -> ("setup") -> "done"; others: "open" -> "done"; any -> "void"
    method: Method | None
    created_at: dt.datetime
    expires_at: dt.datetime
    parent_id: str | None = None  # an enrolment started from a login attempt's forced set-up
    secret: bytes | None = None
    mobile_number: str | None = None


@dataclasses.dataclass
class SentCode:
    id: int
    digest: str
    sent_at: dt.datetime
    expires_at: dt.datetime


class Repository:
    """The queries of one unit of work."""

    def __init__(self, connection: sqlite3.Connection):
        self.db = connection

    # people
    def add_person(self, person: Person) -> Person:
        cursor = self.db.execute(
            "INSERT INTO people (email, name, role, is_admin, password_hash, mobile_number, mobile_verified)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (person.email, person.name, person.role.value, int(person.is_admin), person.password_hash,
             person.mobile_number, int(person.mobile_verified)),
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
            "UPDATE people SET name=?, role=?, is_admin=?, password_hash=?, mobile_number=?, mobile_verified=?,"
            " method=?, totp_secret=?, totp_last_step=?, failed_codes=?, locked_until=? WHERE id=?",
            (p.name, p.role.value, int(p.is_admin), p.password_hash, p.mobile_number, int(p.mobile_verified),
             p.method.value if p.method else None, p.totp_secret_encrypted, p.totp_last_step, p.failed_codes,
             _ts(p.locked_until), p.id),
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
            mobile_number=row["mobile_number"], mobile_verified=bool(row["mobile_verified"]),
            method=Method(row["method"]) if row["method"] else None,
            totp_secret_encrypted=row["totp_secret"], totp_last_step=row["totp_last_step"],
            failed_codes=row["failed_codes"], locked_until=_dt(row["locked_until"]),
        )

    # settings
    def settings(self) -> SecuritySettings:
        row = self.db.execute("SELECT json FROM settings WHERE id = 1").fetchone()
        return SecuritySettings(**json.loads(row["json"])) if row else SecuritySettings()

    def save_settings(self, settings: SecuritySettings) -> None:
        self.db.execute(
            "INSERT INTO settings (id, json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
            (json.dumps(settings.as_dict()),),
        )

    # challenges and codes
    def add_challenge(self, c: Challenge) -> None:
        self.db.execute(
            "INSERT INTO challenges (id, person_id, purpose, state, method, parent_id, secret, mobile_number,"
            " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c.id, c.person_id, c.purpose, c.state, c.method.value if c.method else None, c.parent_id, c.secret,
             c.mobile_number, _ts(c.created_at), _ts(c.expires_at)),
        )

    def challenge(self, challenge_id: str) -> Challenge | None:
        row = self.db.execute("SELECT * FROM challenges WHERE id = ?", (challenge_id,)).fetchone()
        if row is None:
            return None
        return Challenge(
            id=row["id"], person_id=row["person_id"], purpose=row["purpose"], state=row["state"],
            method=Method(row["method"]) if row["method"] else None, created_at=_dt(row["created_at"]),
            expires_at=_dt(row["expires_at"]), parent_id=row["parent_id"], secret=row["secret"],
            mobile_number=row["mobile_number"],
        )

    def set_challenge_state(self, challenge_id: str, state: str, method: Method | None = None) -> None:
        if method is None:
            self.db.execute("UPDATE challenges SET state = ? WHERE id = ?", (state, challenge_id))
        else:
            self.db.execute("UPDATE challenges SET state = ?, method = ? WHERE id = ?", (state, method.value, challenge_id))

    def void_open_challenges(self, person_id: int) -> None:
        self.db.execute("UPDATE challenges SET state = 'void' WHERE person_id = ? AND state != 'done'", (person_id,))
        self.db.execute("UPDATE codes SET void = 1 WHERE person_id = ?", (person_id,))

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

    def use_code(self, code_id: int) -> bool:
        return self.db.execute("UPDATE codes SET used = 1 WHERE id = ? AND used = 0 AND void = 0", (code_id,)).rowcount == 1

    # sessions
    def add_session(self, session_id: str, person_id: int, now: dt.datetime) -> None:
        self.db.execute("INSERT INTO sessions (id, person_id, created_at) VALUES (?, ?, ?)", (session_id, person_id, _ts(now)))

    def session_person_id(self, session_id: str) -> int | None:
        row = self.db.execute("SELECT person_id FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return row["person_id"] if row else None

    def end_session(self, session_id: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def end_sessions_of(self, person_id: int) -> None:
        self.db.execute("DELETE FROM sessions WHERE person_id = ?", (person_id,))

    # audit
    def audit(self, now: dt.datetime, person_id: int | None, event: str, detail: str = "") -> None:
        self.db.execute("INSERT INTO audit (at, person_id, event, detail) VALUES (?, ?, ?, ?)", (_ts(now), person_id, event, detail))

    def audit_events(self, person_id: int | None = None) -> list[tuple[dt.datetime, int | None, str, str]]:
        rows = self.db.execute(
            "SELECT * FROM audit WHERE (? IS NULL OR person_id = ?) ORDER BY id", (person_id, person_id)
        )
        return [(_dt(r["at"]), r["person_id"], r["event"], r["detail"]) for r in rows]


class SqliteStore:
    """Opens one connection per thread and hands out transactions over it."""

    def __init__(self, path: pathlib.Path | str):
        self.path = str(path)
        if self.path != ":memory:":
            pathlib.Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connection().executescript(SCHEMA)

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
        """A unit of work: committed when the block ends normally, rolled back on an exception."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
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
