"""What the use cases share: tokens, sessions, the live challenge of a token, the password check."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sut.domain import sessions, throttling
from sut.domain.challenges import Challenge, Purpose, State
from sut.domain.clients import Client
from sut.domain.errors import Busy, NotFound, RateLimited, SetupRequired, TwoFactorError
from sut.domain.people import Person
from sut.domain.settings import SecuritySettings

from .factors import Factors
from .ports import Dependencies, HasherBusy, Repository

LOGIN_ATTEMPT_LIFETIME = dt.timedelta(minutes=15)


class NotSignedIn(TwoFactorError):
    code = "not_signed_in"

    def __init__(self, message: str = "Sign in to continue."):
        super().__init__(message)


SESSION_EXPIRED = "Your session has expired. Log in again."
METHOD_DISALLOWED = "Your two-factor method is no longer allowed. Log in again to set up another one."
_EXPIRED = {
    Purpose.LOGIN: "This sign-in has expired or was replaced. Sign in again.",
    Purpose.ENROL: "This request has expired or was replaced. Start again.",
    Purpose.DISABLE: "This request has expired or was replaced. Start again.",
    Purpose.RECOVERY: "This request has expired or was replaced. Start again.",
}


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
        self.factors = Factors(deps)

    def now(self) -> dt.datetime:
        return self.deps.clock.now()

    def _new_challenge(self, repo: Repository, person: Person, purpose: Purpose, state: State, **fields) -> tuple[str, Challenge]:
        """A challenge for the person, stored; the token to hand them and the challenge."""
        token, digest = new_token()
        now = self.now()
        challenge = Challenge(id=digest, person_id=person.id, purpose=purpose, state=state,
                              created_at=now, expires_at=now + LOGIN_ATTEMPT_LIFETIME, **fields)
        repo.add_challenge(challenge)
        return token, challenge

    def _live_challenge(self, repo: Repository, token: str, purpose: Purpose, states: tuple[State, ...]) -> Challenge:
        challenge = repo.challenge(token_digest(token)) if token else None
        if challenge is None or not challenge.is_live(purpose, states, self.now()):
            raise NotFound(_EXPIRED[purpose])
        return challenge

    # sessions
    def _session(self, repo: Repository, session_token: str) -> tuple[sessions.Session, Person]:
        """A live session and its person, whatever the person may do with it."""
        session = repo.session(token_digest(session_token)) if session_token else None
        if session is None:
            raise NotSignedIn()
        if sessions.is_expired(session, self.now(), self.deps.sessions):
            raise NotSignedIn(SESSION_EXPIRED)
        person = repo.person(session.person_id)
        if person is None:
            raise NotSignedIn()
        return session, person

    def _signed_in(self, repo: Repository, session_token: str) -> Person:
        """The person of a live session that may reach the product. A person to whom
        enforcement came after they signed in reaches only the set-up (with their password),
        as after a fresh login; one whose method is no longer allowed logs in again."""
        _, person = self._session(repo, session_token)
        settings = repo.settings()
        if settings.must_set_up(person, self.now()):
            if person.method is not None:
                # The method is no longer allowed: it is proved once more at a fresh login
                # (ALLOW-4), never skipped by a session that proved it hours ago.
                raise NotSignedIn(METHOD_DISALLOWED)
            raise SetupRequired(self._setup_reason(person, settings), settings.methods_offered_to(person))
        return person

    @staticmethod
    def _setup_reason(person: Person, settings: SecuritySettings) -> str:
        if person.method is None:
            return "Your administrator requires two-factor authentication. Set it up to continue."
        return f"{person.method.label} is no longer allowed for two-factor authentication. Set up another method to continue."

    def _read(self, session_token: str, use):
        """A use case that only reads: checked in a read transaction (no write lock, so no
        wait behind logins), and the session's activity written down at most once a minute."""
        with self.deps.store.reading() as repo:
            session, _ = self._session(repo, session_token)
            result = use(repo)
        self._note_activity(session)
        return result

    def _note_activity(self, session: sessions.Session) -> None:
        now = self.now()
        if sessions.needs_activity_recorded(session, now):
            with self.deps.store.transaction() as repo:
                repo.record_activity(session.id, now)

    def _touch(self, repo: Repository, session_token: str) -> None:
        """In a write transaction: this request counts as activity."""
        repo.record_activity(token_digest(session_token), self.now())

    def _check_password(self, stored_hash: str, password: str) -> bool:
        """Argon2, never inside a transaction; refused at once when too many checks run."""
        try:
            return self.deps.passwords.verify(stored_hash, str(password or ""))
        except HasherBusy:
            raise Busy() from None

    # the password step's throttle (sut.domain.throttling), for signing in and for the password again
    def _throttle(self, repo: Repository, account: str, client: Client) -> RateLimited | None:
        """The refusal, recorded, when this try must wait; it is raised after the commit."""
        now = self.now()
        repo.forget_password_failures_before(now - throttling.FORGET_AFTER)
        network = throttling.network_key(client.address)
        wait = throttling.address_wait(repo.password_failures(address=network, since=now - throttling.ADDRESS_WINDOW), now)
        message = throttling.address_message(wait) if wait else None
        if message is None:
            wait = throttling.account_cap_wait(repo.password_failures(account=account, since=now - throttling.FORGET_AFTER), now)
            if wait is None:
                wait = throttling.account_wait(repo.password_failures(
                    account=account, address=network, since=now - throttling.FORGET_AFTER), now)
            message = throttling.account_message(wait) if wait else None
        if message:
            person = repo.person_by_email(account)
            repo.audit(now, person.id if person else None, "login_throttled", message, client)
            return RateLimited(message, retry_after=max(1, -(-int(wait.total_seconds() * 1000) // 1000)))
        return None

    def _password_again(self, person: Person, password: str | None, client: Client, purpose: str) -> bool:
        """A signed-in person's password, entered again: throttled, counted and audited as a
        sign-in is, so a stolen session is no oracle for guessing the password."""
        account, network = throttling.account_key(person.email), throttling.network_key(client.address)
        with self.deps.store.transaction() as repo:
            refusal = self._throttle(repo, account, client)
            if refusal is None:
                failure_id = repo.add_password_failure(self.now(), account, network)
        if refusal is not None:
            raise refusal
        try:
            right = self._check_password(person.password_hash, password)
        except TwoFactorError:  # not checked at all: not a failure
            with self.deps.store.transaction() as repo:
                repo.forget_password_failure(failure_id)
            raise
        with self.deps.store.transaction() as repo:
            if right:
                repo.clear_password_failures(account, address=network)
            else:
                repo.audit(self.now(), person.id, "password_refused", purpose, client)
        return right

    def _notify(self, person: Person, subject: str, body: str) -> None:
        self.factors.notify(person, subject, body)
