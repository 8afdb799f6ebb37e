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

from sut.domain import methods
from sut.domain.challenges import Challenge, Purpose, State
from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import InvalidInput, NotAllowed, PasswordRequired, SetupRequired, TwoFactorError
from sut.domain.methods import Method
from sut.domain.people import Person
from sut.domain.settings import setup_reminder

from .common import NotSignedIn, UseCases, token_digest
from .login import Login, LoginProgress
from .ports import Repository

_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{6,20}")
WRONG_PASSWORD = "Your password is not correct. Enter it again to change two-factor authentication."
ALREADY_OFF = "Two-factor authentication is already off."
WRONG_PASSWORD_RECOVERY = "Your password is not correct. Enter it again to make new recovery codes."
NO_TWO_FACTOR = "Recovery codes come with two-factor authentication: set it up first."
ENFORCED = "Your administrator requires two-factor authentication, so it cannot be turned off."


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
    reminder: str = ""  # during an enforcement's grace period: by when to set it up


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
            settings, now = repo.settings(), self.now()
            ends = settings.grace_ends(person) if settings.in_grace(person, now) else None
            return TwoFactorStatus(
                enabled=person.has_two_factor, method=person.method, enforced=settings.is_enforced_for(person),
                allowed=settings.is_allowed_for(person), methods_offered=tuple(settings.methods_offered_to(person)),
                mobile_number=person.mobile_number, must_set_up=settings.must_set_up(person, now),
                reminder=setup_reminder(ends) if ends else "",
            )
        return self._read(session_token, read)

    def start(self, token: str, method: Method | str, password: str | None = None,
              mobile_number: str | None = None, client: Client = UNKNOWN) -> EnrolmentStarted:
        method = methods.parse(method)
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
            number = self._phone_number(mobile_number or person.mobile_number) if method.asks_for_mobile_number else None
            # Only the newest set-up can be confirmed.
            repo.void_open_challenges(person.id, purpose=Purpose.ENROL)
            repo.forget_expired_secrets(now)
            changing = person.has_two_factor and not principal.forced
            enrol_token, challenge = self._new_challenge(repo, person, Purpose.ENROL, State.VERIFY if changing else State.OPEN,
                                                         method=method, mobile_number=number)
            if principal.session_id:
                repo.record_activity(principal.session_id, now)
            if changing:
                destination = self.factors.send_if_sent(repo, person, challenge, "confirmation", client)
                return EnrolmentStarted(enrol_token, method, destination=destination, current_code_required=True,
                                        current_method=person.method)
            return self._begin_proof(repo, person, challenge, enrol_token, client)

    def verify_current(self, token: str, enrolment_token: str, code: str, client: Client = UNKNOWN) -> EnrolmentStarted:
        """Changing the method: the code from the current method, before the new one is shown."""
        with self.deps.store.transaction() as repo:
            principal = self._principal(repo, token)
            person = principal.person
            challenge = self._own(self._live_challenge(repo, enrolment_token, Purpose.ENROL, (State.VERIFY,)), person)
            refusal = self.factors.check(repo, person, challenge, person.method, code, client)
            if refusal is None:
                repo.set_challenge_state(challenge.id, State.OPEN)
                challenge.state = State.OPEN
                return self._begin_proof(repo, person, challenge, enrolment_token, client)
        raise refusal

    def _begin_proof(self, repo: Repository, person: Person, challenge: Challenge, enrol_token: str,
                     client: Client) -> EnrolmentStarted:
        """The new method shows its first code: the app is given its key, a code is sent to the mailbox or phone."""
        proof = self.factors.begin_proof(repo, person, challenge, client)
        return EnrolmentStarted(enrol_token, challenge.method, provisioning_uri=proof.provisioning_uri, key=proof.key,
                                destination=proof.destination)

    def resend(self, token: str, enrolment_token: str, client: Client = UNKNOWN) -> None:
        with self.deps.store.transaction() as repo:
            person = self._principal(repo, token).person
            challenge = self._own(self._live_challenge(repo, enrolment_token, Purpose.ENROL, (State.OPEN, State.VERIFY)), person)
            proving_current = challenge.state is State.VERIFY
            method = person.method if proving_current else challenge.method
            self.factors.ensure_sends_codes(method)
            self.factors.resend_wait(repo, challenge)
            if proving_current:
                self.factors.send_if_sent(repo, person, challenge, "confirmation", client)
                return
            self.factors.send(repo, person, challenge, method, challenge.destination(person.email), "set-up", client)

    def confirm(self, token: str, enrolment_token: str, code: str, client: Client = UNKNOWN) -> LoginProgress:
        """Activate the method and end the person's other sessions; a forced set-up then
        completes the login (its progress, with a new session, is returned; else "enabled").
        A first set-up brings ten recovery codes, in the progress, shown this once."""
        with self.deps.store.transaction() as repo:
            principal = self._principal(repo, token)
            person = principal.person
            challenge = self._own(self._live_challenge(repo, enrolment_token, Purpose.ENROL, (State.OPEN,)), person)
            refusal = self.factors.check(repo, person, challenge, challenge.method, code, client)
            if refusal is None:
                was = person.method
                self.factors.activate(person, challenge, code)
                repo.save_person(person)
                # A first set-up brings recovery codes; a change of method keeps the set the person saved.
                recovery_codes = self.factors.new_recovery_codes(repo, person) if was is None else ()
                repo.set_challenge_state(challenge.id, State.DONE)
                repo.audit(self.now(), person.id, "two_factor_enabled",
                           challenge.method.value + (f", was {was.value}" if was else ""), client)
                self._notify(person, "two-factor authentication is on",
                             f"Two-factor authentication by {challenge.method.label} is now on for your account. "
                             "You were signed out everywhere else.")
                if principal.forced:
                    repo.end_sessions_of(person.id)
                    progress = self.login.complete_after_setup(repo, person, client, attempt=principal.attempt)
                    return dataclasses.replace(progress, recovery_codes=recovery_codes)
                repo.end_sessions_of(person.id, keep=principal.session_id)
                repo.record_activity(principal.session_id, self.now())
                return LoginProgress("enabled", recovery_codes=recovery_codes)
        raise refusal

    def begin_disable(self, session_token: str, password: str, client: Client = UNKNOWN) -> DisableStarted:
        with self.deps.store.reading() as repo:
            person = self._signed_in(repo, session_token)
        if not person.has_two_factor:
            raise TwoFactorError(ALREADY_OFF)
        if not self._password_again(person, password, client, "to turn two-factor authentication off"):
            raise PasswordRequired(WRONG_PASSWORD)
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            self._touch(repo, session_token)
            if not person.has_two_factor:
                raise TwoFactorError(ALREADY_OFF)
            if repo.settings().is_enforced_for(person):
                raise NotAllowed(ENFORCED)
            disable_token, challenge = self._new_challenge(repo, person, Purpose.DISABLE, State.OPEN, method=person.method)
            destination = self.factors.send_if_sent(repo, person, challenge, "confirmation", client)
            return DisableStarted(disable_token, person.method, destination)

    def confirm_disable(self, session_token: str, disable_token: str, code: str, client: Client = UNKNOWN) -> None:
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            self._touch(repo, session_token)
            challenge = self._own(self._live_challenge(repo, disable_token, Purpose.DISABLE, (State.OPEN,)), person)
            if repo.settings().is_enforced_for(person):
                raise NotAllowed(ENFORCED)
            refusal = self.factors.check(repo, person, challenge, person.method, code, client)
            if refusal is None:
                old = person.method
                person.forget_factor()
                repo.save_person(person)
                repo.void_recovery_codes(person.id)
                repo.set_challenge_state(challenge.id, State.DONE)
                # A set-up left open elsewhere must not turn two-factor back on with someone else's factor.
                repo.void_open_challenges(person.id, purpose=Purpose.ENROL)
                repo.audit(self.now(), person.id, "two_factor_disabled", old.value, client)
                self._notify(person, "two-factor authentication is off",
                             "Two-factor authentication was turned off for your account.")
                return
        raise refusal

    # new recovery codes: the password, then a code of the current method (never a recovery code)
    def begin_recovery_codes(self, session_token: str, password: str, client: Client = UNKNOWN) -> DisableStarted:
        with self.deps.store.reading() as repo:
            person = self._signed_in(repo, session_token)
        if not person.has_two_factor:
            raise TwoFactorError(NO_TWO_FACTOR)
        if not self._password_again(person, password, client, "to make new recovery codes"):
            raise PasswordRequired(WRONG_PASSWORD_RECOVERY)
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            self._touch(repo, session_token)
            if not person.has_two_factor:
                raise TwoFactorError(NO_TWO_FACTOR)
            token, challenge = self._new_challenge(repo, person, Purpose.RECOVERY, State.OPEN, method=person.method)
            destination = self.factors.send_if_sent(repo, person, challenge, "confirmation", client)
            return DisableStarted(token, person.method, destination)

    def confirm_recovery_codes(self, session_token: str, recovery_token: str, code: str,
                               client: Client = UNKNOWN) -> tuple[str, ...]:
        """A new set of ten, shown once; every code of the old set stops working."""
        with self.deps.store.transaction() as repo:
            person = self._signed_in(repo, session_token)
            self._touch(repo, session_token)
            challenge = self._own(self._live_challenge(repo, recovery_token, Purpose.RECOVERY, (State.OPEN,)), person)
            refusal = self.factors.check(repo, person, challenge, person.method, code, client)
            if refusal is None:
                fresh = self.factors.new_recovery_codes(repo, person)
                repo.set_challenge_state(challenge.id, State.DONE)
                repo.audit(self.now(), person.id, "recovery_codes_regenerated", "", client)
                self._notify(person, "new recovery codes",
                             "New recovery codes were made for your account; the old ones no longer work.")
                return fresh
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
        if attempt and attempt.is_live(Purpose.LOGIN, (State.SETUP,), self.now()):
            return Principal(repo.person(attempt.person_id), attempt=attempt)
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
