"""Setting up, changing and turning off two-factor on one's own account.

Set-up is reached three ways: signed in ("Password & Security > Two-Factor Authentication >
Enable", after re-entering the password); straight after the password step when the person
must set up a method; or from a session opened before that became so (enforcement came
later, or the method was disallowed), which then reaches nothing but the set-up. Either way
a method becomes active only after the first valid code through it (NIST 63B-4 4.1.2): an
authenticator proves the scan, a phone the number, a mailbox the address.

Changing the method of a person who has one also takes a code from the current method
(ASVS 4.0.3 3.7.1): the password alone must not let anybody put their own factor in the
person's place. Only the newest set-up can be confirmed; a confirmed one ends the person's
other sessions (as GitLab does).
"""

from __future__ import annotations

import dataclasses
import re

from sut.adapters.sqlite_store import Challenge, Repository
from sut.domain import totp
from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import InvalidInput, NotAllowed, PasswordRequired, SetupRequired, TwoFactorError
from sut.domain.methods import Method
from sut.domain.people import Person

from .common import LOGIN_ATTEMPT_LIFETIME, NotSignedIn, UseCases, new_token, token_digest
from .login import Login, LoginProgress

_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{6,20}")
WRONG_PASSWORD = "Your password is not correct. Enter it again to change two-factor authentication."


@dataclasses.dataclass(frozen=True)
class EnrolmentStarted:
    token: str
    method: Method
    # Authenticator only, shown during set-up and never again:
    provisioning_uri: str | None = None
    key: str | None = None
    destination: str | None = None  # where a code was sent (email, SMS)
    # Changing the method: a code from the current one comes first.
    current_code_required: bool = False
    current_method: Method | None = None


@dataclasses.dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    method: Method | None
    enforced: bool
    allowed: bool
    methods_offered: tuple[Method, ...]
    mobile_number: str | None
    must_set_up: bool


@dataclasses.dataclass(frozen=True)
class DisableStarted:
    token: str
    method: Method
    destination: str | None


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who acts on a set-up: a signed-in person, or one held at a forced set-up by a login
    attempt (which has just proved the password) or by a session opened before the set-up
    was required (which must give the password again, as any signed-in change does)."""

    person: Person
    session_id: str | None = None  # the digest of the session token
    attempt: Challenge | None = None
    held: bool = False  # a session held at the set-up

    @property
    def forced(self) -> bool:
        return self.attempt is not None or self.held


class Enrolment(UseCases):
    def __init__(self, deps, login: Login):
        super().__init__(deps)
        self.login = login

    def status(self, session_token: str) -> TwoFactorStatus:
        def read(repo):
            person = self._signed_in(repo, session_token)
            settings = repo.settings()
            return TwoFactorStatus(
                enabled=person.has_two_factor, method=person.method, enforced=settings.is_enforced_for(person),
                allowed=settings.is_allowed_for(person), methods_offered=tuple(settings.methods_offered_to(person)),
                mobile_number=person.mobile_number, must_set_up=settings.must_set_up(person),
            )
        return self._read(session_token, read)

    def start(self, token: str, method: Method | str, password: str | None = None,
              mobile_number: str | None = None, client: Client = UNKNOWN) -> EnrolmentStarted:
        method = Method.parse(method) if not isinstance(method, Method) else method
        with self.deps.store.reading() as repo:
            principal = self._principal(repo, token)
        if principal.attempt is None and not self._password_again(principal.person, password, client,
                                                                   "to set up two-factor authentication"):
            # Re-authentication before changing a factor (ASVS 5 7.5.1).
            raise PasswordRequired(WRONG_PASSWORD)
        now = self.now()
        with self.deps.store.transaction() as repo:
            principal = self._principal(repo, token)
            person = principal.person
            settings = repo.settings()
            offered = settings.methods_offered_to(person)
            if not settings.is_allowed_for(person):
                raise NotAllowed("Two-factor authentication is not allowed for your account. Ask your administrator.")
            if method not in offered:
                names = ", ".join(m.label for m in offered)
                raise NotAllowed(f"{method.label} is not allowed for two-factor authentication. Choose one of: {names}.")
            number = self._phone_number(mobile_number or person.mobile_number) if method is Method.SMS else None
            # Only the newest set-up can be confirmed.
            repo.void_open_challenges(person.id, purpose="enrol")
            repo.forget_expired_secrets(now)
            enrol_token, digest = new_token()
            changing = person.has_two_factor and not principal.forced
            challenge = Challenge(id=digest, person_id=person.id, purpose="enrol", state="verify" if changing else "open",
                                  method=method, created_at=now, expires_at=now + LOGIN_ATTEMPT_LIFETIME,
                                  parent_id=principal.attempt.id if principal.attempt else None, mobile_number=number)
            repo.add_challenge(challenge)
            if principal.session_id:
                repo.record_activity(principal.session_id, now)
            if changing:
                destination = None
                if person.method.sends_codes:
                    destination = self._current_destination(person)
                    self._send_code(repo, person, challenge, person.method, destination, "confirmation", client)
                return EnrolmentStarted(enrol_token, method, destination=destination, current_code_required=True,
                                        current_method=person.method)
            return self._begin_proof(repo, person, challenge, enrol_token, client)

    def verify_current(self, token: str, enrolment_token: str, code: str, client: Client = UNKNOWN) -> EnrolmentStarted:
        """Changing the method: the code from the current method, before the new one is shown."""
        with self.deps.store.transaction() as repo:
            principal = self._principal(repo, token)
            person = principal.person
            challenge = self._own(self._live_challenge(repo, enrolment_token, "enrol", ("verify",)), person)
            refusal = self._check_code(repo, person, challenge, person.method, code, client=client)
            if refusal is None:
                repo.set_challenge_state(challenge.id, "open")
                challenge.state = "open"
                return self._begin_proof(repo, person, challenge, enrolment_token, client)
        raise refusal

    def _begin_proof(self, repo: Repository, person: Person, challenge: Challenge, enrol_token: str,
                     client: Client) -> EnrolmentStarted:
        """The new method shows its first code: the app is given its key, a code is sent to the mailbox or phone."""
        method = challenge.method
        if method is Method.AUTHENTICATOR:
            secret = totp.new_secret()
            repo.set_challenge_secret(challenge.id, self.deps.keys.encrypt(secret))
            return EnrolmentStarted(enrol_token, method, provisioning_uri=totp.provisioning_uri(secret, person.email, self.deps.totp_policy),
                                    key=secret)
        destination = challenge.mobile_number if method is Method.SMS else person.email
        self._send_code(repo, person, challenge, method, destination, "set-up", client)
        return EnrolmentStarted(enrol_token, method, destination=destination)

    def resend(self, token: str, enrolment_token: str, client: Client = UNKNOWN) -> None:
        with self.deps.store.transaction() as repo:
            person = self._principal(repo, token).person
            challenge = self._own(self._live_challenge(repo, enrolment_token, "enrol", ("open", "verify")), person)
            method = person.method if challenge.state == "verify" else challenge.method
            if not method.sends_codes:
                raise TwoFactorError("Your authenticator app shows the code; nothing is sent.")
            self._resend_wait(repo, challenge)
            if challenge.state == "verify":
                self._send_code(repo, person, challenge, method, self._current_destination(person), "confirmation", client)
                return
            destination = challenge.mobile_number if method is Method.SMS else person.email
            self._send_code(repo, person, challenge, method, destination, "set-up", client)

    def confirm(self, token: str, enrolment_token: str, code: str, client: Client = UNKNOWN) -> LoginProgress | None:
        """Activate the method and end the person's other sessions; a forced set-up then
        completes the login (its progress, with a new session, is returned)."""
        with self.deps.store.transaction() as repo:
            principal = self._principal(repo, token)
            person = principal.person
            challenge = self._own(self._live_challenge(repo, enrolment_token, "enrol", ("open",)), person)
            secret = self.deps.keys.decrypt(challenge.secret) if challenge.secret else None
            refusal = self._check_code(repo, person, challenge, challenge.method, code, secret=secret, client=client)
            if refusal is None:
                was = person.method
                person.method = challenge.method
                if challenge.method is Method.AUTHENTICATOR:
                    person.totp_secret_encrypted = challenge.secret
                    # The confirming code counts as used: it must not sign anyone in again.
                    person.totp_last_step = totp.verdict(secret, code, self.now(), None, self.deps.totp_policy)[1]
                else:
                    person.totp_secret_encrypted = None
                    person.totp_last_step = None
                if challenge.method is Method.SMS:
                    person.mobile_number, person.mobile_verified = challenge.mobile_number, True
                repo.save_person(person)
                repo.set_challenge_state(challenge.id, "done")
                repo.audit(self.now(), person.id, "two_factor_enabled",
                           challenge.method.value + (f", was {was.value}" if was else ""), client)
                self._notify(person, "two-factor authentication is on",
                             f"Two-factor authentication by {challenge.method.label} is now on for your account. "
                             "You were signed out everywhere else.")
                if principal.forced:
                    repo.end_sessions_of(person.id)
                    return self.login.complete_after_setup(repo, person, client, attempt=principal.attempt)
                repo.end_sessions_of(person.id, keep=principal.session_id)
                repo.record_activity(principal.session_id, self.now())
                return None
        raise refusal

    def begin_disable(self, session_token: str, password: str, client: Client = UNKNOWN) -> DisableStarted:
        with self.deps.store.reading() as repo:
            person = self._signed_in(repo, session_token)
        if not person.has_two_factor:
            raise TwoFactorError("Two-factor authentication is already off.")
        if not self._password_again(person, password, client, "to turn two-factor authentication off"):
            raise PasswordRequired(WRONG_PASSWORD)
        now = self.now()
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            self._touch(repo, session_token)
            if not person.has_two_factor:
                raise TwoFactorError("Two-factor authentication is already off.")
            if repo.settings().is_enforced_for(person):
                raise NotAllowed("Your administrator requires two-factor authentication, so it cannot be turned off.")
            disable_token, digest = new_token()
            challenge = Challenge(id=digest, person_id=person.id, purpose="disable", state="open", method=person.method,
                                  created_at=now, expires_at=now + LOGIN_ATTEMPT_LIFETIME)
            repo.add_challenge(challenge)
            destination = None
            if person.method.sends_codes:
                destination = self._current_destination(person)
                self._send_code(repo, person, challenge, person.method, destination, "confirmation", client)
            return DisableStarted(disable_token, person.method, destination)

    def confirm_disable(self, session_token: str, disable_token: str, code: str, client: Client = UNKNOWN) -> None:
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            self._touch(repo, session_token)
            challenge = self._own(self._live_challenge(repo, disable_token, "disable", ("open",)), person)
            if repo.settings().is_enforced_for(person):
                raise NotAllowed("Your administrator requires two-factor authentication, so it cannot be turned off.")
            refusal = self._check_code(repo, person, challenge, person.method, code, client=client)
            if refusal is None:
                old = person.method
                person.method, person.totp_secret_encrypted, person.totp_last_step = None, None, None
                repo.save_person(person)
                repo.set_challenge_state(challenge.id, "done")
                # A set-up left open elsewhere must not turn two-factor back on with someone else's factor.
                repo.void_open_challenges(person.id, purpose="enrol")
                repo.audit(self.now(), person.id, "two_factor_disabled", old.value, client)
                self._notify(person, "two-factor authentication is off",
                             "Two-factor authentication was turned off for your account.")
                return
        raise refusal

    # helpers
    def _principal(self, repo: Repository, token: str) -> Principal:
        try:
            return Principal(self._signed_in(repo, token), session_id=token_digest(token))
        except SetupRequired:
            # A session opened before set-up was required: it may do the set-up, nothing else.
            _, person = self._session(repo, token)
            return Principal(person, session_id=token_digest(token), held=True)
        except NotSignedIn:
            pass
        attempt = repo.challenge(token_digest(token)) if token else None
        if attempt and attempt.purpose == "login" and attempt.state == "setup" and self.now() < attempt.expires_at:
            return Principal(repo.person(attempt.person_id), attempt=attempt)
        raise NotSignedIn()

    @staticmethod
    def _own(challenge: Challenge, person: Person) -> Challenge:
        # A token of someone else's set-up grants nothing (ASVS 5 7.5.1).
        if challenge.person_id != person.id:
            raise NotSignedIn("This set-up belongs to another session. Start again.")
        return challenge

    @staticmethod
    def _current_destination(person: Person) -> str:
        return person.mobile_number if person.method is Method.SMS else person.email

    @staticmethod
    def _phone_number(number: str | None) -> str:
        text = str(number or "").strip()
        if not _PHONE.fullmatch(text):
            raise InvalidInput("Enter a mobile number in international form, for example +44 7700 900123.")
        return re.sub(r"[ ()\-]", "", text)
