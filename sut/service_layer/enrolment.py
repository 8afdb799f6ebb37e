"""Setting up and turning off two-factor on one's own account.

Set-up is reached two ways: signed in ("Password & Security > Two-Factor Authentication >
Enable", after re-entering the password), or straight after the password step when the
person must set up a method. Either way a method becomes active only after the first valid
code through it (NIST 63B-4 4.1.2): an authenticator proves the scan, a phone the number,
a mailbox the address.
"""

from __future__ import annotations

import dataclasses
import re

from sut.adapters.sqlite_store import Challenge, Repository
from sut.domain import totp
from sut.domain.errors import InvalidInput, NotAllowed, PasswordRequired, TwoFactorError
from sut.domain.methods import Method
from sut.domain.people import Person

from .common import LOGIN_ATTEMPT_LIFETIME, NotSignedIn, UseCases, new_token, token_digest
from .login import Login, LoginProgress

_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{6,20}")


@dataclasses.dataclass(frozen=True)
class EnrolmentStarted:
    token: str
    method: Method
    # Authenticator only, shown during set-up and never again:
    provisioning_uri: str | None = None
    key: str | None = None
    destination: str | None = None  # where a code was sent (email, SMS)


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


class Enrolment(UseCases):
    def __init__(self, deps, login: Login):
        super().__init__(deps)
        self.login = login

    def status(self, session_token: str) -> TwoFactorStatus:
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            settings = repo.settings()
            return TwoFactorStatus(
                enabled=person.has_two_factor, method=person.method, enforced=settings.is_enforced_for(person),
                allowed=settings.is_allowed_for(person), methods_offered=tuple(settings.methods_offered_to(person)),
                mobile_number=person.mobile_number, must_set_up=settings.must_set_up(person),
            )

    def start(self, token: str, method: Method | str, password: str | None = None,
              mobile_number: str | None = None) -> EnrolmentStarted:
        method = Method.parse(method) if not isinstance(method, Method) else method
        now = self.now()
        with self.deps.store.transaction() as repo:
            person, attempt = self._principal(repo, token)
            if attempt is None and not self.deps.passwords.verify(person.password_hash, str(password or "")):
                # Re-authentication before changing a factor (ASVS 5 7.5.1).
                raise PasswordRequired("Your password is not correct. Enter it again to change two-factor authentication.")
            settings = repo.settings()
            offered = settings.methods_offered_to(person)
            if not settings.is_allowed_for(person):
                raise NotAllowed("Two-factor authentication is not allowed for your account. Ask your administrator.")
            if method not in offered:
                names = ", ".join(m.label for m in offered)
                raise NotAllowed(f"{method.label} is not allowed for two-factor authentication. Choose one of: {names}.")
            enrol_token, digest = new_token()
            challenge = Challenge(id=digest, person_id=person.id, purpose="enrol", state="open", method=method,
                                  created_at=now, expires_at=now + LOGIN_ATTEMPT_LIFETIME,
                                  parent_id=attempt.id if attempt else None)
            if method is Method.AUTHENTICATOR:
                secret = totp.new_secret()
                challenge.secret = self.deps.keys.encrypt(secret)
                repo.add_challenge(challenge)
                return EnrolmentStarted(enrol_token, method, provisioning_uri=totp.provisioning_uri(secret, person.email), key=secret)
            if method is Method.SMS:
                number = self._phone_number(mobile_number or person.mobile_number)
                challenge.mobile_number = number
                destination = number
            else:
                destination = person.email
            repo.add_challenge(challenge)
            self._send_code(repo, person, challenge, method, destination, "set-up")
            return EnrolmentStarted(enrol_token, method, destination=destination)

    def resend(self, token: str, enrolment_token: str) -> None:
        with self.deps.store.transaction() as repo:
            person, _ = self._principal(repo, token)
            challenge = self._own(self._live_challenge(repo, enrolment_token, "enrol", ("open",)), person)
            if not challenge.method.sends_codes:
                raise TwoFactorError("Your authenticator app shows the code; nothing is sent.")
            self._resend_wait(repo, challenge)
            destination = challenge.mobile_number if challenge.method is Method.SMS else person.email
            self._send_code(repo, person, challenge, challenge.method, destination, "set-up")

    def confirm(self, token: str, enrolment_token: str, code: str) -> LoginProgress | None:
        """Activate the method; a forced set-up then completes the login (its progress is returned)."""
        with self.deps.store.transaction() as repo:
            person, attempt = self._principal(repo, token)
            challenge = self._own(self._live_challenge(repo, enrolment_token, "enrol", ("open",)), person)
            secret = self.deps.keys.decrypt(challenge.secret) if challenge.secret else None
            refusal = self._check_code(repo, person, challenge, challenge.method, code, secret=secret)
            if refusal is None:
                person.method = challenge.method
                if challenge.method is Method.AUTHENTICATOR:
                    person.totp_secret_encrypted = challenge.secret
                else:
                    person.totp_secret_encrypted = None
                    person.totp_last_step = None
                if challenge.method is Method.SMS:
                    person.mobile_number, person.mobile_verified = challenge.mobile_number, True
                repo.save_person(person)
                repo.set_challenge_state(challenge.id, "done")
                repo.audit(self.now(), person.id, "two_factor_enabled", challenge.method.value)
                self._notify(person, "two-factor authentication is on",
                             f"Two-factor authentication by {challenge.method.label} is now on for your account.")
                if attempt is not None:
                    return self.login.complete_after_setup(repo, attempt, person)
                return None
        raise refusal

    def begin_disable(self, session_token: str, password: str) -> DisableStarted:
        now = self.now()
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            if not person.has_two_factor:
                raise TwoFactorError("Two-factor authentication is already off.")
            if repo.settings().is_enforced_for(person):
                raise NotAllowed("Your administrator requires two-factor authentication, so it cannot be turned off.")
            if not self.deps.passwords.verify(person.password_hash, str(password or "")):
                raise PasswordRequired("Your password is not correct. Enter it again to change two-factor authentication.")
            disable_token, digest = new_token()
            challenge = Challenge(id=digest, person_id=person.id, purpose="disable", state="open", method=person.method,
                                  created_at=now, expires_at=now + LOGIN_ATTEMPT_LIFETIME)
            repo.add_challenge(challenge)
            destination = None
            if person.method.sends_codes:
                destination = person.mobile_number if person.method is Method.SMS else person.email
                self._send_code(repo, person, challenge, person.method, destination, "confirmation")
            return DisableStarted(disable_token, person.method, destination)

    def confirm_disable(self, session_token: str, disable_token: str, code: str) -> None:
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            challenge = self._own(self._live_challenge(repo, disable_token, "disable", ("open",)), person)
            if repo.settings().is_enforced_for(person):
                raise NotAllowed("Your administrator requires two-factor authentication, so it cannot be turned off.")
            refusal = self._check_code(repo, person, challenge, person.method, code)
            if refusal is None:
                old = person.method
                person.method, person.totp_secret_encrypted, person.totp_last_step = None, None, None
                repo.save_person(person)
                repo.set_challenge_state(challenge.id, "done")
                repo.audit(self.now(), person.id, "two_factor_disabled", old.value)
                self._notify(person, "two-factor authentication is off",
                             "Two-factor authentication was turned off for your account.")
                return
        raise refusal

    # helpers
    def _principal(self, repo: Repository, token: str) -> tuple[Person, Challenge | None]:
        """A signed-in person, or one held at forced set-up right after the password step."""
        try:
            return self._signed_in(repo, token), None
        except NotSignedIn:
            pass
        attempt = repo.challenge(token_digest(token)) if token else None
        if attempt and attempt.purpose == "login" and attempt.state == "setup" and self.now() < attempt.expires_at:
            return repo.person(attempt.person_id), attempt
        raise NotSignedIn()

    @staticmethod
    def _own(challenge: Challenge, person: Person) -> Challenge:
        # A token of someone else's set-up grants nothing (ASVS 5 7.5.1).
        if challenge.person_id != person.id:
            raise NotSignedIn("This set-up belongs to another session. Start again.")
        return challenge

    @staticmethod
    def _phone_number(number: str | None) -> str:
        text = str(number or "").strip()
        if not _PHONE.fullmatch(text):
            raise InvalidInput("Enter a mobile number in international form, for example +44 7700 900123.")
        return re.sub(r"[ ()\-]", "", text)
