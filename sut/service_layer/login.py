"""Logging in: the password, then (when two-factor is on) the second factor.

A login attempt is a challenge that moves "code" -> "done", or "code" -> "setup" -> "done"
when the person must set up a method before reaching anything (enforcement, or a method
that is no longer allowed). Only "done" creates a session; the session id is new then.
"""

from __future__ import annotations

import dataclasses

from sut.adapters.sqlite_store import Challenge, Repository
from sut.domain import lockout
from sut.domain.errors import InvalidCredentials, TwoFactorError
from sut.domain.methods import Method
from sut.domain.people import Person

from .common import LOGIN_ATTEMPT_LIFETIME, UseCases, new_token, token_digest

# A fixed, valid hash to verify against when no account matches, so that an unknown email
# takes as long as a wrong password and the answer reveals nothing (ASVS 5 6.3.8).
_DUMMY_PASSWORD = "not a password of anyone"


@dataclasses.dataclass(frozen=True)
class LoginProgress:
    status: str  # "signed_in" | "code_required" | "setup_required"
    attempt_token: str | None = None
    session_token: str | None = None
    method: Method | None = None
    destination: str | None = None
    methods_offered: tuple[Method, ...] = ()
    reason: str = ""


class Login(UseCases):
    def begin(self, email: str, password: str) -> LoginProgress:
        now = self.now()
        with self.deps.store.transaction() as repo:
            person = repo.person_by_email(str(email or ""))
            if person is None:
                self.deps.passwords.verify(self._dummy_hash(), str(password or ""))
                repo.audit(now, None, "login_failed", "unknown account")
                failure = InvalidCredentials()
            elif not self.deps.passwords.verify(person.password_hash, str(password or "")):
                repo.audit(now, person.id, "login_failed", "password")
                failure = InvalidCredentials()
            else:
                failure = None
        if failure:
            raise failure
        with self.deps.store.transaction() as repo:
            person = repo.person(person.id)
            settings = repo.settings()
            if not person.has_two_factor and not settings.must_set_up(person):
                return self._sign_in(repo, person)
            lockout.ensure_not_locked(person, now)
            token, digest = new_token()
            challenge = Challenge(id=digest, person_id=person.id, purpose="login", state="code",
                                  method=person.method, created_at=now, expires_at=now + LOGIN_ATTEMPT_LIFETIME)
            repo.add_challenge(challenge)
            if not person.has_two_factor:
                repo.set_challenge_state(digest, "setup")
                repo.audit(now, person.id, "setup_required", "enforced")
                return self._setup_required(token, person, settings, "Your administrator requires two-factor authentication. Set it up to continue.")
            if person.method.sends_codes:
                self._send_code(repo, person, challenge, person.method, self._destination(person), "sign-in")
            return LoginProgress("code_required", attempt_token=token, method=person.method,
                                 destination=person.masked_destination())

    def submit_code(self, attempt_token: str, code: str) -> LoginProgress:
        with self.deps.store.transaction() as repo:
            challenge = self._live_challenge(repo, attempt_token, "login", ("code",))
            person = repo.person(challenge.person_id)
            refusal = self._check_code(repo, person, challenge, person.method, code)
            if refusal is None:
                repo.audit(self.now(), person.id, "second_factor_passed", person.method.value)
                settings = repo.settings()
                if settings.must_set_up(person):
                    repo.set_challenge_state(challenge.id, "setup")
                    return self._setup_required(
                        attempt_token, person, settings,
                        f"{person.method.label} is no longer allowed for two-factor authentication. Set up another method to continue.")
                repo.set_challenge_state(challenge.id, "done")
                return self._sign_in(repo, person)
        raise refusal

    def resend_code(self, attempt_token: str) -> LoginProgress:
        with self.deps.store.transaction() as repo:
            challenge = self._live_challenge(repo, attempt_token, "login", ("code",))
            person = repo.person(challenge.person_id)
            if not person.method.sends_codes:
                raise TwoFactorError("Your authenticator app shows the code; nothing is sent.")
            lockout.ensure_not_locked(person, self.now())
            self._resend_wait(repo, challenge)
            self._send_code(repo, person, challenge, person.method, self._destination(person), "sign-in")
            return LoginProgress("code_required", attempt_token=attempt_token, method=person.method,
                                 destination=person.masked_destination())

    def sign_out(self, session_token: str) -> None:
        with self.deps.store.transaction() as repo:
            repo.end_session(token_digest(session_token or ""))

    def complete_after_setup(self, repo: Repository, attempt: Challenge, person: Person) -> LoginProgress:
        """Called by enrolment when the forced set-up of a login attempt is confirmed."""
        repo.set_challenge_state(attempt.id, "done")
        return self._sign_in(repo, person)

    # helpers
    def _sign_in(self, repo: Repository, person: Person) -> LoginProgress:
        token, digest = new_token()
        repo.add_session(digest, person.id, self.now())
        repo.audit(self.now(), person.id, "signed_in")
        return LoginProgress("signed_in", session_token=token)

    @staticmethod
    def _setup_required(token: str, person: Person, settings, reason: str) -> LoginProgress:
        return LoginProgress("setup_required", attempt_token=token,
                             methods_offered=tuple(settings.methods_offered_to(person)), reason=reason)

    @staticmethod
    def _destination(person: Person) -> str:
        return person.mobile_number if person.method is Method.SMS else person.email

    def _dummy_hash(self) -> str:
        if getattr(self, "_dummy", None) is None:
            self._dummy = self.deps.passwords.hash(_DUMMY_PASSWORD)
        return self._dummy
