"""What the use cases share: their dependencies, tokens, sessions, sending codes and checking them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets

from sut.adapters.keys import Keys
from sut.adapters.passwords import HasherBusy, PasswordHasher
from sut.adapters.sqlite_store import Challenge, Repository, SqliteStore
from sut.domain import codes, lockout, sessions, throttling, totp
from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import Busy, InvalidCode, NotFound, RateLimited, SetupRequired, TwoFactorError
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
    sessions: sessions.SessionPolicy = dataclasses.field(default_factory=sessions.SessionPolicy)
    # None: today's rule (sut.domain.lockout's constants); a simulation injects another.
    lock_policy: lockout.LockPolicy | None = None
    totp_policy: totp.TotpPolicy | None = None


class NotSignedIn(TwoFactorError):
    code = "not_signed_in"

    def __init__(self, message: str = "Sign in to continue."):
        super().__init__(message)


SESSION_EXPIRED = "Your session has expired. Log in again."
METHOD_DISALLOWED = "Your two-factor method is no longer allowed. Log in again to set up another one."


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
        if settings.must_set_up(person):
            if person.method is not None:
                # The method is no longer allowed: it is proved once more at a fresh login
                # (ALLOW-4), never skipped by a session that proved it hours ago.
                raise NotSignedIn(METHOD_DISALLOWED)
            raise SetupRequired(self._setup_reason(person, settings), settings.methods_offered_to(person))
        return person

    @staticmethod
    def _setup_reason(person: Person, settings) -> str:
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

    # sending codes
    def _send_code(self, repo: Repository, person: Person, challenge: Challenge, method: Method,
                   destination: str, purpose_text: str, client: Client = UNKNOWN) -> None:
        now = self.now()
        recent = repo.codes_sent_since(person.id, now - codes.SEND_WINDOW)
        if len(recent) >= codes.SENDS_PER_WINDOW:
            wait = recent[0] + codes.SEND_WINDOW - now
            minutes = max(1, -(-int(wait.total_seconds()) // 60))
            raise RateLimited(f"Too many codes were sent to this account. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
                              retry_after=max(1, -(-int(wait.total_seconds()))))
        code = codes.new_code()
        repo.add_code(challenge.id, person.id, codes.digest(self.deps.keys.code_hmac_key, code), now, now + codes.LIFETIME)
        repo.audit(now, person.id, "code_sent", method.value, client)
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
            raise RateLimited(f"A code was sent moments ago. You can ask for another in {seconds} seconds.",
                              retry_after=seconds)

    # checking codes
    def _check_code(self, repo: Repository, person: Person, challenge: Challenge, method: Method,
                    typed: str, secret: str | None = None, client: Client = UNKNOWN) -> TwoFactorError | None:
        """Check a code and record the outcome; the refusal to raise after committing, if any.

        The lock, the wrong-code count and the single use are all recorded in the caller's
        transaction, which is committed even when the code is refused. A replay (a code that
        was already accepted) is refused too, but it is no guess: it is recorded as a replay
        and not counted, so that copies of one valid code cannot lock the person out.
        """
        now = self.now()
        if person.is_locked(now):
            repo.audit(now, person.id, "refused_while_locked", challenge.purpose, client)
            return lockout.refusal(person, now)
        digits = self.deps.totp_policy.digits if self.deps.totp_policy and method is Method.AUTHENTICATOR else None
        code = codes.normalise(typed, digits)
        verdict = self._verdict(repo, person, challenge, method, code, secret)
        if verdict == "accepted":
            lockout.record_success(person)
            repo.save_person(person)
            if challenge.purpose == "login":
                repo.record_accepted_code(challenge.id, codes.digest(self.deps.keys.code_hmac_key, code))
            return None
        if verdict == "replayed":
            repo.audit(now, person.id, "code_replayed", challenge.purpose, client)
            return InvalidCode()
        locked = lockout.record_wrong_code(person, now, self.deps.lock_policy)
        repo.save_person(person)
        repo.audit(now, person.id, "wrong_code", challenge.purpose, client)
        if locked:
            repo.audit(now, person.id, locked, "", client)
            self._notify_lock(person, now)
            return lockout.refusal(person, now)
        return InvalidCode()

    def _verdict(self, repo: Repository, person: Person, challenge: Challenge, method: Method, code: str,
                 secret: str | None) -> str:
        """"accepted", "replayed" (a code accepted before) or "wrong"."""
        now = self.now()
        # A new authenticator proves its scan; every other check is of the person's own method.
        new_authenticator = challenge.purpose == "enrol" and challenge.state == "open"
        if method is Method.AUTHENTICATOR:
            secret = secret or self.deps.keys.decrypt(person.totp_secret_encrypted)
            result, step = totp.verdict(secret, code, now, None if new_authenticator else person.totp_last_step,
                                        self.deps.totp_policy)
            if result != totp.ACCEPTED or new_authenticator:
                return result
            # The compare-and-set in SQL makes the replay check atomic across threads.
            if repo.advance_totp_step(person.id, step):
                person.totp_last_step = step
                return totp.ACCEPTED
            return totp.REPLAYED
        key = self.deps.keys.code_hmac_key
        sent = repo.live_code(challenge.id)
        if sent is not None and now < sent.expires_at and codes.matches(key, code, sent.digest):
            return "accepted" if repo.use_code(sent.id) else "replayed"
        if repo.was_used(challenge.person_id, codes.digest(key, code), since=now - codes.LIFETIME):
            return "replayed"
        return "wrong"

    def _notify_lock(self, person: Person, now: dt.datetime) -> None:
        """The person learns at once that someone is entering wrong codes on their account."""
        lock_for = (self.deps.lock_policy or lockout.LockPolicy()).lock_for
        how_long = ("until an administrator unlocks it" if person.held
                    else f"for {int(lock_for.total_seconds() // 60)} minutes")
        self._notify(person, "two-factor sign-in is locked",
                     f"Too many wrong codes were entered for your account, so two-factor sign-in is locked {how_long}. "
                     "Someone may know your password: change it.")

    def _notify(self, person: Person, subject: str, body: str) -> None:
        """Every change of factor, and every lock, is told to the person by email (ASVS 4 2.5.5)."""
        self.deps.email.send(person.email, f"{PRODUCT}: {subject}", body + "\n\nIf this was not you, contact your administrator at once.\n")
