"""Logging in: the password, then (when two-factor is on) the second factor.

A login attempt is a challenge (``sut.domain.challenges``) that moves CODE -> DONE, or
SETUP -> DONE (possibly CODE -> SETUP -> DONE) when the person must set up a method before
reaching anything (enforcement, or a method that is no longer allowed). Only DONE creates a
session; the session id is new then.

The password step is throttled before the password is checked (sut.domain.throttling),
and the Argon2 check runs outside any transaction: a short write records the try first
(so that a burst of parallel tries is counted as it arrives), the hash runs with no lock
held, a second short write records the outcome.
"""

from __future__ import annotations

import dataclasses

from sut.domain import codes, lockout, throttling
from sut.domain.challenges import Challenge, Purpose, State
from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import AlreadySignedIn, Busy, InvalidCredentials, TwoFactorError
from sut.domain.methods import RECOVERY_CODE, Method
from sut.domain.people import Person
from sut.domain.settings import SecuritySettings, setup_reminder

from .common import UseCases, new_token, token_digest
from .ports import HasherBusy, Repository

# A fixed, valid hash to verify against when no account matches, so that an unknown email
# takes as long as a wrong password and the answer reveals nothing (ASVS 5 6.3.8).
_DUMMY_PASSWORD = "not a password of anyone"


@dataclasses.dataclass(frozen=True)
class LoginProgress:
    status: str  # "signed_in" | "code_required" | "setup_required" | "enabled" (a set-up while signed in)
    attempt_token: str | None = None
    session_token: str | None = None
    method: Method | None = None
    destination: str | None = None
    methods_offered: tuple[Method, ...] = ()
    reason: str = ""
    recovery_codes: tuple[str, ...] = ()  # a first set-up's, shown once
    reminder: str = ""  # signed in during an enforcement's grace period: set up by when


class Login(UseCases):
    def begin(self, email: str, password: str, client: Client = UNKNOWN) -> LoginProgress:
        email, password = str(email or ""), str(password or "")
        account, network = throttling.account_key(email), throttling.network_key(client.address)
        with self.deps.store.transaction() as repo:
            refusal = self._throttle(repo, account, client)
            if refusal is None:
                # Counted before it is checked: parallel tries meet the throttle as they arrive.
                failure_id = repo.add_password_failure(self.now(), account, network)
                person = repo.person_by_email(email)
        if refusal is not None:
            raise refusal
        try:
            stored = person.password_hash if person else self._dummy_hash()
            right = self._check_password(stored, password) and person is not None
        except TwoFactorError:  # not checked at all (too many checks at once): not a failure
            with self.deps.store.transaction() as repo:
                repo.forget_password_failure(failure_id)
            raise
        with self.deps.store.transaction() as repo:
            if not right:
                repo.audit(self.now(), person.id if person else None, "login_failed",
                           "password" if person else "unknown account", client)
                failure = InvalidCredentials()
            else:
                repo.clear_password_failures(account, address=network)
                return self._after_password(repo, repo.person(person.id), client)
        raise failure

    def _after_password(self, repo: Repository, person: Person, client: Client) -> LoginProgress:
        now = self.now()
        repo.forget_expired_secrets(now)
        settings = repo.settings()
        if settings.in_grace(person, now):
            return self._sign_in_in_grace(repo, person, settings, client)
        if not person.has_two_factor and not settings.must_set_up(person, now):
            return self._sign_in(repo, person, client)
        state = State.CODE if person.has_two_factor else State.SETUP
        token, challenge = self._new_challenge(repo, person, Purpose.LOGIN, state, method=person.method)
        if not person.has_two_factor:
            repo.audit(now, person.id, "setup_required", "enforced", client)
            return self._setup_required(token, person, settings, self._setup_reason(person, settings))
        repo.audit(now, person.id, "code_required", person.method.value, client)
        # While the second step is locked the password step answers as always: the lock is
        # told at the second step, so that it never tells a right password from a wrong one.
        # No code is sent then: it could not be used.
        if not person.is_locked(now):
            self.factors.send_if_sent(repo, person, challenge, "sign-in", client)
        return LoginProgress("code_required", attempt_token=token, method=person.method,
                             destination=person.masked_destination())

    def submit_code(self, attempt_token: str, code: str, client: Client = UNKNOWN) -> LoginProgress:
        with self.deps.store.transaction() as repo:
            # In the same transaction as the check: a copy racing the first submission sees
            # either the attempt still open (and waits its turn) or it done with this code.
            resubmitted = self._resubmitted(repo, attempt_token, code, client)
            if not resubmitted:
                challenge = self._live_challenge(repo, attempt_token, Purpose.LOGIN, (State.CODE,))
                person = repo.person(challenge.person_id)
                refusal = self.factors.check(repo, person, challenge, person.method, code, client)
                if refusal is None:
                    repo.audit(self.now(), person.id, "second_factor_passed", person.method.value, client)
                    settings = repo.settings()
                    if settings.must_set_up(person, self.now()):
                        repo.set_challenge_state(challenge.id, State.SETUP)
                        return self._setup_required(attempt_token, person, settings, self._setup_reason(person, settings))
                    repo.set_challenge_state(challenge.id, State.DONE)
                    return self._sign_in(repo, person, client)
        if resubmitted:
            raise AlreadySignedIn()
        raise refusal

    def _resubmitted(self, repo: Repository, attempt_token: str, code: str, client: Client) -> bool:
        """The code that just completed this very attempt, sent again (a double click): no guess."""
        challenge = repo.challenge(token_digest(attempt_token)) if attempt_token else None
        if challenge is None or not challenge.is_live(Purpose.LOGIN, (State.DONE,), self.now()) or not challenge.accepted_code:
            return False
        try:  # a recovery code's double click too: its keyed hash is the one recorded
            typed = RECOVERY_CODE.normalise(code) if RECOVERY_CODE.looks_like(code) else codes.normalise(code)
        except TwoFactorError:
            return False
        if not codes.matches(self.deps.keys.code_hmac_key, typed, challenge.accepted_code):
            return False
        repo.audit(self.now(), challenge.person_id, "code_resubmitted", "", client)
        return True

    def resend_code(self, attempt_token: str, client: Client = UNKNOWN) -> LoginProgress:
        with self.deps.store.transaction() as repo:
            challenge = self._live_challenge(repo, attempt_token, Purpose.LOGIN, (State.CODE,))
            person = repo.person(challenge.person_id)
            self.factors.ensure_sends_codes(person.method)
            locked = person.is_locked(self.now())
            if locked:  # told at the second step, as entering a code would tell it; no code is sent
                repo.audit(self.now(), person.id, "refused_while_locked", "resend", client)
            else:
                self.factors.resend_wait(repo, challenge)
                self.factors.send_if_sent(repo, person, challenge, "sign-in", client)
                return LoginProgress("code_required", attempt_token=attempt_token, method=person.method,
                                     destination=person.masked_destination())
        raise lockout.refusal(person, self.now())

    def sign_out(self, token: str, client: Client = UNKNOWN) -> None:
        """End a session, or cancel a sign-in in progress (its token and codes die on the server)."""
        digest = token_digest(token or "")
        with self.deps.store.transaction() as repo:
            session = repo.session(digest)
            if session is not None:
                repo.end_session(digest)
                repo.audit(self.now(), session.person_id, "signed_out", "", client)
                return
            attempt = repo.challenge(digest)
            if attempt is not None and attempt.purpose is Purpose.LOGIN and attempt.state in (State.CODE, State.SETUP):
                repo.void_open_challenges(attempt.person_id, purpose=Purpose.ENROL)  # a forced set-up under way
                repo.set_challenge_state(attempt.id, State.VOID)
                repo.void_codes_of(attempt.id)
                repo.audit(self.now(), attempt.person_id, "sign_in_cancelled", "", client)

    def after_identity_provider(self, repo: Repository, person: Person, client: Client = UNKNOWN) -> LoginProgress:
        """A person an identity provider vouched for (``sut.service_layer.sso``): signed in at once
        where the settings say single sign-on skips the second factor, else on as after a password."""
        if repo.settings().sso_skips_second_factor:
            return self._sign_in(repo, person, client)
        return self._after_password(repo, person, client)

    def complete_after_setup(self, repo: Repository, person: Person, client: Client = UNKNOWN,
                             attempt: Challenge | None = None) -> LoginProgress:
        """Called by enrolment when a forced set-up is confirmed: the login completes with a new session."""
        if attempt is not None:
            repo.set_challenge_state(attempt.id, State.DONE)
        return self._sign_in(repo, person, client)

    def continue_after_reset(self, repo: Repository, person: Person, client: Client = UNKNOWN) -> LoginProgress:
        """Called by the password reset: a new password saved with an emailed link stands for the
        password step, and for nothing more (the second step follows, as after a login)."""
        return self._after_password(repo, person, client)

    # helpers
    def _sign_in(self, repo: Repository, person: Person, client: Client = UNKNOWN) -> LoginProgress:
        token, digest = new_token()
        repo.add_session(digest, person.id, self.now())
        repo.audit(self.now(), person.id, "signed_in", "", client)
        return LoginProgress("signed_in", session_token=token)

    def _sign_in_in_grace(self, repo: Repository, person: Person, settings: SecuritySettings,
                          client: Client) -> LoginProgress:
        """Enforced, with days left to set up: signed in and reminded of the deadline, at every
        sign-in (GitLab's grace period). The days count from the first such sign-in."""
        if person.grace_started_at is None:
            person.grace_started_at = self.now()
            repo.save_person(person)
        ends = settings.grace_ends(person)
        repo.audit(self.now(), person.id, "setup_reminded", f"set up by {ends.isoformat()}", client)
        return dataclasses.replace(self._sign_in(repo, person, client), reminder=setup_reminder(ends))

    @staticmethod
    def _setup_required(token: str, person: Person, settings: SecuritySettings, reason: str) -> LoginProgress:
        return LoginProgress("setup_required", attempt_token=token,
                             methods_offered=tuple(settings.methods_offered_to(person)), reason=reason)

    def _dummy_hash(self) -> str:
        if getattr(self, "_dummy", None) is None:
            try:
                self._dummy = self.deps.passwords.hash(_DUMMY_PASSWORD)
            except HasherBusy:
                raise Busy() from None
        return self._dummy

