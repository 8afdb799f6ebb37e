"""The one door between the studies and the reference app (``sut/``).

Every call into ``sut`` is in this module: the studies speak of people, policies, logins and
codes, and this adapter turns them into calls of the app's use cases (``Login``,
``Enrolment``, ``Administration``) over its real SQLite store, at a clock the study moves.
When ``sut`` is restructured, this file is the one to adapt.

What the adapter adds, and why:
- a clock the study owns (``SimClock``), injected where the app takes its clock, so a year of
  guessing runs in seconds and is the same every run;
- seeded secrets and emailed codes: the app draws them from the OS CSPRNG, which cannot be
  seeded; a study swaps ``totp.new_secret`` and ``codes.new_code`` for draws from its own seed
  while it runs (``seeded_randomness``), so the same seed gives the same data;
- a mailbox that counts what the app sends, and the app's own local SMS gateway;
- the policy the study varies (``Policy``), injected as the app's ``LockPolicy`` and
  ``TotpPolicy``; today's values are the app's own constants (``today``).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import pathlib
import random
import re
import subprocess
import tempfile
import time

import pyotp

from sut import bootstrap
from sut.adapters.passwords import FAST
from sut.adapters.sms import LocalSmsGateway
from sut.config import Config
from sut.domain import codes, lockout, totp
from sut.domain.errors import InvalidCode, Locked, MalformedCode, NotFound, RateLimited, TwoFactorError


ADMIN = "administrator@tenant.example"
START = dt.datetime(2026, 3, 2, 0, 0, 0, tzinfo=dt.timezone.utc)  # a Monday, midnight UTC
STEP_SECONDS = totp.INTERVAL
RULE_SOURCES = ("sut/domain", "sut/service_layer")
ROOT = pathlib.Path(__file__).resolve().parents[2]

# What a second-step submission came to, in the study's words.
SIGNED_IN, WRONG, LOCKED, HELD, EXPIRED, REPLAYED, SETUP = (
    "signed_in", "wrong", "locked", "held", "expired", "replayed", "setup_required")


@dataclasses.dataclass(frozen=True)
class Policy:
    """The numbers of the second step a study may vary; ``cap`` None means no overall cap."""

    name: str
    digits: int
    window: int  # accepted time steps either side of now
    max_wrong_codes: int
    lock_minutes: float
    cap: int | None

    def describe(self) -> str:
        cap = f", held after {self.cap} in a row" if self.cap else ", no overall cap"
        return (f"{self.digits} digits, ±{self.window} step{'s' if self.window != 1 else ''}, "
                f"lock after {self.max_wrong_codes} wrong for {self.lock_minutes:g} min{cap}")


def today(name: str = "today") -> Policy:
    """The policy the app enforces now, read from its own constants."""
    return Policy(name, totp.DIGITS, totp.DRIFT_STEPS, lockout.MAX_WRONG_CODES,
                  lockout.LOCK_FOR.total_seconds() / 60, lockout.MAX_WRONG_CODES_IN_A_ROW)


def step_of(moment: dt.datetime) -> int:
    return totp.time_step(moment)


class SimClock:
    """The app's clock, moved only by the study."""

    def __init__(self, start: dt.datetime = START):
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self._now += dt.timedelta(seconds=seconds)

    def move_to(self, moment: dt.datetime) -> None:
        if moment > self._now:
            self._now = moment


class Mailbox:
    """The app's email sender: keeps every message, so a person can read their code."""

    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


class Phone:
    """An authenticator app on a phone whose clock is ``offset_seconds`` off the server's."""

    def __init__(self, secret: str, digits: int, offset_seconds: float = 0.0):
        self._totp = pyotp.TOTP(secret, digits=max(digits, 6), interval=STEP_SECONDS)
        self._totp.digits = digits  # as the app truncates short codes (see sut.domain.totp)
        self.offset = dt.timedelta(seconds=offset_seconds)

    def code(self, server_now: dt.datetime) -> str:
        return self._totp.at(server_now + self.offset)


@contextlib.contextmanager
def seeded_randomness(rng: random.Random):
    """The app's secrets and emailed codes drawn from the study's seed while it runs."""
    saved = totp.new_secret, codes.new_code
    totp.new_secret = lambda: base64.b32encode(rng.randbytes(20)).decode().rstrip("=")
    codes.new_code = lambda: f"{rng.randrange(10 ** codes.DIGITS):0{codes.DIGITS}d}"
    try:
        yield
    finally:
        totp.new_secret, codes.new_code = saved


@dataclasses.dataclass
class Outcome:
    kind: str
    wait: dt.timedelta | None = None  # how long a lock says to wait
    session: str | None = None


_MINUTES = re.compile(r"try again in (\d+) minute")


class ReferenceApp:
    """One tenant of the reference app on its real SQLite store, at the study's clock."""

    PASSWORD = "correct horse battery staple"

    def __init__(self, policy: Policy | None = None, *, database: str = ":memory:", start: dt.datetime = START):
        self.clock = SimClock(start)
        self.mailbox = Mailbox()
        self.sms = LocalSmsGateway(self.clock)
        self._folder = tempfile.TemporaryDirectory(prefix="twofa-simulate-")
        folder = pathlib.Path(self._folder.name)
        db = database if database == ":memory:" else folder / database
        self._app = bootstrap.build(Config(database=db, key_file=folder / "app.key", password_cost=FAST),
                                    email=self.mailbox, sms=self.sms, clock=self.clock)
        self.policy = policy or today()
        self._app.deps.lock_policy = lockout.LockPolicy(self.policy.max_wrong_codes,
                                                        dt.timedelta(minutes=self.policy.lock_minutes), self.policy.cap)
        self._app.deps.totp_policy = totp.TotpPolicy(self.policy.digits, self.policy.window)
        self.calls = 0
        self.seconds_in_app = 0.0
        self._ids: dict[str, int] = {}
        self._secrets: dict[str, str] = {}
        self._admin_session: str | None = None
        self._admin_email: str | None = None

    def close(self) -> None:
        self._app.close()
        self._folder.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, use, *args, **kwargs):
        started = time.perf_counter()
        self.calls += 1
        try:
            return use(*args, **kwargs)
        finally:
            self.seconds_in_app += time.perf_counter() - started

    # people
    def register(self, email: str, role: str = "agent", mobile: str | None = None, admin: bool = False) -> None:
        summary = self._call(self._app.admin.register_person, email, email.split("@")[0], role, self.PASSWORD,
                             is_admin=admin, mobile_number=mobile)
        self._ids[email] = summary.id

    def secret_of(self, email: str) -> str:
        return self._secrets[email]

    def set_up(self, email: str, method: str, token: str | None = None) -> str | None:
        """Set up a method through the app's own set-up, proving it with its first code.

        ``token``: a login attempt held at a forced set-up; else the person signs in first.
        Returns the new session when the set-up completed a login.
        """
        if token is None:
            progress = self._call(self._app.login.begin, email, self.PASSWORD)
            token = progress.session_token or progress.attempt_token
        person_mobile = self.sms_number(email) if method == "sms" else None
        started = self._call(self._app.enrolment.start, token, method, self.PASSWORD, person_mobile)  # the app parses the name
        if method == "authenticator":
            self._secrets[email] = started.key
            code = Phone(started.key, self.policy.digits).code(self.clock.now())
        else:
            code = self.last_code(email if method == "email" else person_mobile)
        done = self._call(self._app.enrolment.confirm, token, started.token, code)
        return done.session_token if done is not None else None

    def sms_number(self, email: str) -> str:
        """The person's mobile number (a UK drama range number, made from their id)."""
        return f"+4477009{self._ids[email]:05d}"

    def last_code(self, destination: str) -> str:
        """The code in the newest message to an address or number, as the person reads it."""
        if destination.startswith("+"):
            text = self.sms.messages(destination)[-1].text
        else:
            text = next(body for to, _, body in reversed(self.mailbox.sent) if to == destination and "code is" in body)
        return re.search(r"\b(\d{6})\b", text).group(1)

    # logging in
    def begin_login(self, email: str) -> tuple[str, str]:
        """The password step with the right password: (status, token)."""
        progress = self._call(self._app.login.begin, email, self.PASSWORD)
        return progress.status, progress.session_token or progress.attempt_token

    def submit_code(self, token: str, code: str) -> Outcome:
        try:
            progress = self._call(self._app.login.submit_code, token, code)
        except Locked as locked:
            message = str(locked)
            if message == lockout.HELD_MESSAGE:
                return Outcome(HELD)
            minutes = _MINUTES.search(message)
            return Outcome(LOCKED, wait=dt.timedelta(minutes=int(minutes.group(1))) if minutes else None)
        except (InvalidCode, MalformedCode):
            return Outcome(WRONG)
        except NotFound:
            return Outcome(EXPIRED)
        if progress.status == "setup_required":
            return Outcome(SETUP, session=progress.attempt_token)
        return Outcome(SIGNED_IN, session=progress.session_token)

    def resend(self, token: str) -> bool:
        try:
            self._call(self._app.login.resend_code, token)
            return True
        except (RateLimited, Locked, NotFound):
            return False

    def sign_out(self, token: str) -> None:
        self._call(self._app.login.sign_out, token)

    # the administrator
    def make_admin(self, email: str) -> None:
        """An administrator who signs in with codes by email: a fresh code at every sign-in,
        whatever the window and however soon after the last one (an authenticator's code
        could be a replay within its step)."""
        self.register(email, "agent", admin=True)
        self._admin_email = email
        self.set_up(email, "email")

    def _admin(self) -> str:
        """A live administrator session with a fresh password."""
        if self._admin_email is None:
            self.make_admin(ADMIN)
        if self._admin_session is not None:
            try:
                self._call(self._app.admin.confirm_password, self._admin_session, self.PASSWORD)
                return self._admin_session
            except TwoFactorError:
                self._admin_session = None
        status, token = self.begin_login(self._admin_email)
        outcome = self.submit_code(token, self.last_code(self._admin_email))
        if outcome.kind != SIGNED_IN:
            raise RuntimeError(f"the simulated administrator could not sign in: {outcome.kind}")
        self._admin_session = outcome.session
        self._call(self._app.admin.confirm_password, self._admin_session, self.PASSWORD)
        return self._admin_session

    def change_settings(self, **changes: bool) -> None:
        self._call(self._app.admin.change_settings, self._admin(), **changes)

    def unlock(self, email: str) -> None:
        self._call(self._app.admin.unlock, self._admin(), self._ids[email])

    def reset_two_factor(self, email: str) -> None:
        self._call(self._app.admin.reset_two_factor, self._admin(), self._ids[email])
        self._secrets.pop(email, None)

    # what the app sent
    def emails_sent(self) -> list[tuple[str, str]]:
        """(to, subject) of every email, the administrator's own sign-in codes left out."""
        return [(to, subject) for to, subject, _ in self.mailbox.sent if to != self._admin_email]

    def texts_sent(self) -> int:
        return len(self.sms.messages())

    def speed(self) -> dict:
        return {"calls": self.calls, "seconds_in_app": self.seconds_in_app,
                "microseconds_per_call": 1e6 * self.seconds_in_app / self.calls if self.calls else 0.0,
                "store": "SQLite :memory:" if self._app.deps.store.path == ":memory:" else "SQLite file"}


def rules_version() -> dict:
    """Which rules ran: the commit, and a fingerprint of the rule sources (changes if edited)."""
    digest = hashlib.sha256()
    for folder in RULE_SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown"
    return {"commit": commit, "rules_fingerprint": digest.hexdigest()[:16], "sources": list(RULE_SOURCES),
            "today": dataclasses.asdict(today())}
