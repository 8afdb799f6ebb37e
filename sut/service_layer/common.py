"""What the use cases share: their dependencies, tokens, sending codes and checking them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets

from sut.adapters.keys import Keys
from sut.adapters.passwords import PasswordHasher
from sut.adapters.sqlite_store import Challenge, Repository, SqliteStore
from sut.domain import codes, lockout, totp
from sut.domain.errors import InvalidCode, NotFound, RateLimited, TwoFactorError
from sut.domain.methods import Method
from sut.domain.people import Person

PRODUCT = "HaloPSA"
LOGIN_ATTEMPT_LIFETIME = dt.timedelta(minutes=15)


@dataclasses.dataclass
class Dependencies:
    store: SqliteStore
    clock: object  # has now() -> aware datetime
    passwords: PasswordHasher
    keys: Keys
    email: object  # EmailSender
    sms: object  # SmsGateway


class NotSignedIn(TwoFactorError):
    code = "not_signed_in"

    def __init__(self, message: str = "Sign in to continue."):
        super().__init__(message)


def new_token() -> tuple[str, str]:
    """A token for the person to hold and the digest the database keeps of it."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()


class UseCases:
    """Base of the use-case classes: shared steps built on the dependencies."""

    def __init__(self, deps: Dependencies):
        self.deps = deps

    def now(self) -> dt.datetime:
        return self.deps.clock.now()

    def _live_challenge(self, repo: Repository, token: str, purpose: str, states: tuple[str, ...]) -> Challenge:
        challenge = repo.challenge(token_digest(token)) if token else None
        if challenge is None or challenge.purpose != purpose or challenge.state not in states:
            raise NotFound(self._expired_message(purpose))
        if self.now() >= challenge.expires_at:
            raise NotFound(self._expired_message(purpose))
        return challenge

    @staticmethod
    def _expired_message(purpose: str) -> str:
        if purpose == "login":
            return "This sign-in has expired or was replaced. Sign in again."
        return "This request has expired or was replaced. Start again."

    def _signed_in(self, repo: Repository, session_token: str) -> Person:
        person_id = repo.session_person_id(token_digest(session_token)) if session_token else None
        person = repo.person(person_id) if person_id else None
        if person is None:
            raise NotSignedIn()
        return person

    # sending codes
    def _send_code(self, repo: Repository, person: Person, challenge: Challenge, method: Method,
                   destination: str, purpose_text: str) -> None:
        now = self.now()
        recent = repo.codes_sent_since(person.id, now - codes.SEND_WINDOW)
        if len(recent) >= codes.SENDS_PER_WINDOW:
            wait = recent[0] + codes.SEND_WINDOW - now
            minutes = max(1, -(-int(wait.total_seconds()) // 60))
            raise RateLimited(f"Too many codes were sent to this account. Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
        code = codes.new_code()
        repo.add_code(challenge.id, person.id, codes.digest(self.deps.keys.code_hmac_key, code), now, now + codes.LIFETIME)
        repo.audit(now, person.id, "code_sent", method.value)
        minutes = int(codes.LIFETIME.total_seconds() // 60)
        if method is Method.SMS:
            self.deps.sms.send(destination, f"{code} is your {PRODUCT} {purpose_text} code. It expires in {minutes} minutes.")
        else:
            self.deps.email.send(
                destination,
                f"Your {PRODUCT} {purpose_text} code",
                f"Your {purpose_text} code is {code}\n\nIt expires in {minutes} minutes and works once.\n"
                "If you did not ask for it, change your password.\n",
            )

    def _resend_wait(self, repo: Repository, challenge: Challenge) -> None:
        last = repo.last_code_sent_at(challenge.id)
        if last is not None and self.now() < last + codes.RESEND_AFTER:
            seconds = int((last + codes.RESEND_AFTER - self.now()).total_seconds()) or 1
            raise RateLimited(f"A code was sent moments ago. You can ask for another in {seconds} seconds.")

    # checking codes
    def _check_code(self, repo: Repository, person: Person, challenge: Challenge, method: Method,
                    typed: str, secret: str | None = None) -> TwoFactorError | None:
        """Check a code and record the outcome; the refusal to raise after committing, if any.

        The lock, the wrong-code count and the single use are all recorded in the caller's
        transaction, which is committed even when the code is refused.
        """
        now = self.now()
        lockout.ensure_not_locked(person, now)
        code = codes.normalise(typed)
        accepted = False
        if method is Method.AUTHENTICATOR:
            secret = secret or self.deps.keys.decrypt(person.totp_secret_encrypted)
            last = None if challenge.purpose == "enrol" else person.totp_last_step
            step = totp.matching_step(secret, code, now, last)
            if step is not None:
                # The compare-and-set in SQL makes the replay check atomic across threads.
                accepted = challenge.purpose == "enrol" or repo.advance_totp_step(person.id, step)
                if accepted:
                    person.totp_last_step = step
        else:
            sent = repo.live_code(challenge.id)
            if sent is not None and now < sent.expires_at and codes.matches(self.deps.keys.code_hmac_key, code, sent.digest):
                accepted = repo.use_code(sent.id)
        if accepted:
            lockout.record_success(person)
            repo.save_person(person)
            return None
        just_locked = lockout.record_wrong_code(person, now)
        repo.save_person(person)
        repo.audit(now, person.id, "wrong_code", challenge.purpose)
        if just_locked:
            repo.audit(now, person.id, "locked")
            return lockout.Locked(lockout.lock_message(person, now))
        return InvalidCode()

    def _notify(self, person: Person, subject: str, body: str) -> None:
        """Every change of factor is told to the person by email (ASVS 4 2.5.5)."""
        self.deps.email.send(person.email, f"{PRODUCT}: {subject}", body + "\n\nIf this was not you, contact your administrator at once.\n")
