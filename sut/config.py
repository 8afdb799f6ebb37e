"""How the app is set up: where its data and key live, how it sends mail, how costly its
hashes are, how long sessions last, and how its cookies are sent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib

from sut.adapters.passwords import PRODUCTION, PasswordCost
from sut.domain import sessions


@dataclasses.dataclass(frozen=True)
class Config:
    database: pathlib.Path = pathlib.Path("twofa.sqlite3")
    # Kept apart from the database: a copy of the database alone decrypts nothing. Put it
    # on another volume (or a secrets mount) with `twofa serve --key-file`.
    key_file: pathlib.Path | None = None  # default: beside the database, "<database>.key"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    password_cost: PasswordCost = PRODUCTION
    # At most this many password checks run at once, and this many more may wait (None:
    # one per core, twice that waiting); beyond that a login is told to try again shortly.
    password_checks_at_once: int | None = None
    password_checks_waiting: int | None = None
    # ASVS 4.0.3 3.3.2, level 2.
    session_idle_timeout: dt.timedelta = sessions.IDLE_TIMEOUT
    session_lifetime: dt.timedelta = sessions.LIFETIME
    # ASVS 4.0.3 3.7.1: an administrator's change needs a password entered this recently.
    admin_password_fresh_for: dt.timedelta = sessions.PASSWORD_FRESH_FOR
    # Behind TLS: the session cookie is Secure and __Host- prefixed, and HSTS is sent.
    secure_cookies: bool = False
    # How many reverse proxies in front of the app may be believed about the client's
    # address (X-Forwarded-For). 0: the address of the connection, and nothing a client says.
    trusted_proxies: int = 0
    # Where people reach the app, for the links it emails (a password reset): set from the
    # configuration, never from the Host a request names (OWASP: password reset poisoning).
    public_url: str = "http://localhost:8000"

    @property
    def key_path(self) -> pathlib.Path:
        return self.key_file or pathlib.Path(str(self.database) + ".key")

    @property
    def session_policy(self) -> sessions.SessionPolicy:
        return sessions.SessionPolicy(self.session_idle_timeout, self.session_lifetime, self.admin_password_fresh_for)
