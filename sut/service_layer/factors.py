"""Sending and checking codes, whatever the method: dispatched on the method's kind (a code
sent at the moment, or one the device computes from the time) and, for sent codes, on its
channel. Nothing here names a method; a new method of an existing kind and channel needs
nothing here (``sut.domain.methods``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sut.domain import codes, lockout, totp
from sut.domain.challenges import Challenge, Purpose, Verdict
from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import InvalidCode, RateLimited, TwoFactorError
from sut.domain.methods import RECOVERY_CODE, Channel, Kind, Method, recovery
from sut.domain.people import Person

from .ports import Dependencies, Repository

PRODUCT = "HaloPSA"


@dataclasses.dataclass(frozen=True)
class Proof:
    """How the new method of a set-up shows its first code."""

    destination: str | None = None  # sent codes: where the first one went
    provisioning_uri: str | None = None  # time-based: for the QR code, shown during set-up only
    key: str | None = None  # time-based: the same secret, to type in


class Factors:
    def __init__(self, deps: Dependencies):
        self.deps = deps
        self._verdicts = {Kind.SENT_CODE: self._sent_code_verdict, Kind.TIME_BASED: self._time_based_verdict,
                          Kind.LOOKUP_SECRET: self._recovery_code_verdict}
        self._proofs = {Kind.SENT_CODE: self._send_first_code, Kind.TIME_BASED: self._new_secret}
        self._activations = {Kind.SENT_CODE: self._activate_sent_code, Kind.TIME_BASED: self._activate_time_based}
        self._senders = {Channel.EMAIL: self._by_email, Channel.SMS: self._by_text}

    def now(self) -> dt.datetime:
        return self.deps.clock.now()

    # sending codes
    def send(self, repo: Repository, person: Person, challenge: Challenge, method: Method, destination: str,
             purpose_text: str, client: Client = UNKNOWN) -> None:
        """A new code for the challenge (the older one stops working), within the person's cap."""
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
        self._senders[method.channel](destination, code, purpose_text)

    def _by_email(self, destination: str, code: str, purpose_text: str) -> None:
        self.deps.email.send(
            destination,
            f"Your {PRODUCT} {purpose_text} code",
            f"Your {purpose_text} code is {code}\n\nIt expires in {_minutes(codes.LIFETIME)} minutes and works once.\n"
            "If you did not ask for it, change your password.\n",
        )

    def _by_text(self, destination: str, code: str, purpose_text: str) -> None:
        self.deps.sms.send(destination, f"{code} is your {PRODUCT} {purpose_text} code. It expires in {_minutes(codes.LIFETIME)} minutes.")

    def send_if_sent(self, repo: Repository, person: Person, challenge: Challenge, purpose_text: str,
                     client: Client = UNKNOWN) -> str | None:
        """A code of the person's own method, if it sends codes; where it went."""
        if not person.method.sends_codes:
            return None
        destination = person.destination()
        self.send(repo, person, challenge, person.method, destination, purpose_text, client)
        return destination

    @staticmethod
    def ensure_sends_codes(method: Method) -> None:
        if not method.sends_codes:  # "Your authenticator app shows the code; nothing is sent."
            raise TwoFactorError(f"{method.shown_by[:1].upper()}{method.shown_by[1:]} shows the code; nothing is sent.")

    def resend_wait(self, repo: Repository, challenge: Challenge) -> None:
        last = repo.last_code_sent_at(challenge.id)
        if last is not None and self.now() < last + codes.RESEND_AFTER:
            seconds = int((last + codes.RESEND_AFTER - self.now()).total_seconds()) or 1
            raise RateLimited(f"A code was sent moments ago. You can ask for another in {seconds} seconds.",
                              retry_after=seconds)

    # a set-up's new method
    def begin_proof(self, repo: Repository, person: Person, challenge: Challenge, client: Client) -> Proof:
        """The new method shows its first code: a code is sent, or the app is given its key."""
        return self._proofs[challenge.method.kind](repo, person, challenge, client)

    def _send_first_code(self, repo, person, challenge, client) -> Proof:
        destination = challenge.destination(person.email)
        self.send(repo, person, challenge, challenge.method, destination, "set-up", client)
        return Proof(destination=destination)

    def _new_secret(self, repo, person, challenge, client) -> Proof:
        secret = totp.new_secret()
        repo.set_challenge_secret(challenge.id, self.deps.keys.encrypt(secret))
        return Proof(provisioning_uri=totp.provisioning_uri(secret, person.email, self.deps.totp_policy), key=secret)

    def activate(self, person: Person, challenge: Challenge, code: str) -> None:
        """The set-up's method becomes the person's, with what it proved."""
        person.method = challenge.method
        self._activations[challenge.method.kind](person, challenge, code)

    def _activate_sent_code(self, person, challenge, code) -> None:
        person.totp_secret_encrypted, person.totp_last_step = None, None
        if challenge.mobile_number:
            person.mobile_number = challenge.mobile_number  # proved: it received the code

    def _activate_time_based(self, person, challenge, code) -> None:
        secret = self.deps.keys.decrypt(challenge.secret)
        person.totp_secret_encrypted = challenge.secret
        # The confirming code counts as used: it must not sign anyone in again.
        code = codes.normalise(code, self._digits(challenge.method))
        person.totp_last_step = totp.verdict(secret, code, self.now(), None, self.deps.totp_policy)[1]

    # checking codes
    def check(self, repo: Repository, person: Person, challenge: Challenge, method: Method, typed: str,
              client: Client = UNKNOWN) -> TwoFactorError | None:
        """Check a code and record the outcome; the refusal to raise after committing, if any.

        The lock, the wrong-code count and the single use are all recorded in the caller's
        transaction, which is committed even when the code is refused. A replay (a code that
        was already accepted) is refused too, but it is no guess: it is recorded as a replay
        and not counted, so that copies of one valid code cannot lock the person out.
        """
        now = self.now()
        if person.is_locked(now):
            repo.audit(now, person.id, "refused_while_locked", challenge.purpose.value, client)
            return lockout.refusal(person, now)
        if challenge.takes_recovery_code and RECOVERY_CODE.looks_like(typed):
            method = RECOVERY_CODE  # in place of a code of the person's method, at the same lock
        code = RECOVERY_CODE.normalise(typed) if method is RECOVERY_CODE else codes.normalise(typed, self._digits(method))
        verdict = self._verdicts[method.kind](repo, person, challenge, code)
        if verdict is Verdict.ACCEPTED:
            lockout.record_success(person)
            if challenge.purpose is Purpose.LOGIN:  # for the administrator's overview
                person.second_factor_used_at = now
            repo.save_person(person)
            if challenge.purpose is Purpose.LOGIN:
                repo.record_accepted_code(challenge.id, codes.digest(self.deps.keys.code_hmac_key, code))
            if method is RECOVERY_CODE:
                self._recovery_code_used(repo, person, challenge, client)
            return None
        if verdict is Verdict.REPLAYED:
            repo.audit(now, person.id, "code_replayed", challenge.purpose.value, client)
            return method.refusal(verdict)
        locked = lockout.record_wrong_code(person, now, self.deps.lock_policy)
        repo.save_person(person)
        repo.audit(now, person.id, "wrong_code", challenge.purpose.value, client)
        if locked:
            repo.audit(now, person.id, locked, "", client)
            self._notify_lock(person, now)
            return lockout.refusal(person, now)
        return method.refusal(verdict)

    def _digits(self, method: Method) -> int | None:
        """A study's shorter authenticator codes (``TotpPolicy``); None: the usual 6."""
        policy = self.deps.totp_policy
        return policy.digits if policy and method.kind is Kind.TIME_BASED else None

    def _time_based_verdict(self, repo: Repository, person: Person, challenge: Challenge, code: str) -> Verdict:
        # A new authenticator proves its scan; every other check is of the person's own app.
        if challenge.proves_new_method:
            return totp.verdict(self.deps.keys.decrypt(challenge.secret), code, self.now(), None, self.deps.totp_policy)[0]
        secret = self.deps.keys.decrypt(person.totp_secret_encrypted)
        result, step = totp.verdict(secret, code, self.now(), person.totp_last_step, self.deps.totp_policy)
        if result is not Verdict.ACCEPTED:
            return result
        # The compare-and-set in the store makes the replay check atomic across threads.
        if repo.advance_totp_step(person.id, step):
            person.totp_last_step = step
            return Verdict.ACCEPTED
        return Verdict.REPLAYED

    def _sent_code_verdict(self, repo: Repository, person: Person, challenge: Challenge, code: str) -> Verdict:
        key, now = self.deps.keys.code_hmac_key, self.now()
        sent = repo.live_code(challenge.id)
        if sent is not None and sent.is_live(now) and codes.matches(key, code, sent.digest):
            return Verdict.ACCEPTED if repo.use_code(sent.id) else Verdict.REPLAYED
        if repo.was_used(challenge.person_id, codes.digest(key, code), since=now - codes.LIFETIME):
            return Verdict.REPLAYED
        return Verdict.WRONG

    def _recovery_code_verdict(self, repo: Repository, person: Person, challenge: Challenge, code: str) -> Verdict:
        digest = codes.digest(self.deps.keys.code_hmac_key, code)
        state = repo.recovery_code_state(person.id, digest)
        if state == "live":  # the compare-and-set makes single use atomic across threads
            return Verdict.ACCEPTED if repo.use_recovery_code(person.id, digest) else Verdict.REPLAYED
        return {"used": Verdict.REPLAYED, "void": Verdict.VOIDED}.get(state, Verdict.WRONG)

    # recovery codes
    def new_recovery_codes(self, repo: Repository, person: Person) -> tuple[str, ...]:
        """A new set, shown once: only their keyed hashes are kept; the old set is void."""
        fresh = RECOVERY_CODE.new_codes()
        repo.replace_recovery_codes(person.id, [codes.digest(self.deps.keys.code_hmac_key, c) for c in fresh])
        return tuple(RECOVERY_CODE.shown(c) for c in fresh)

    def _recovery_code_used(self, repo: Repository, person: Person, challenge: Challenge, client: Client) -> None:
        left = repo.recovery_codes_left(person.id)
        repo.audit(self.now(), person.id, "recovery_code_used", f"{challenge.purpose.value}, {left} left", client)
        few = f" You have {left} recovery code{'s' if left != 1 else ''} left: make new ones in Password & Security." \
            if left <= recovery.FEW else ""
        self.notify(person, "a recovery code was used",
                    f"A recovery code was used for your account. It cannot be used again.{few}")

    # telling the person
    def _notify_lock(self, person: Person, now: dt.datetime) -> None:
        """The person learns at once that someone is entering wrong codes on their account."""
        lock_for = (self.deps.lock_policy or lockout.LockPolicy()).lock_for
        how_long = "until an administrator unlocks it" if person.held else f"for {_minutes(lock_for)} minutes"
        self.notify(person, "two-factor sign-in is locked",
                    f"Too many wrong codes were entered for your account, so two-factor sign-in is locked {how_long}. "
                    "Someone may know your password: change it.")

    def notify(self, person: Person, subject: str, body: str) -> None:
        """Every change of factor, and every lock, is told to the person by email (ASVS 4 2.5.5)."""
        self.deps.email.send(person.email, f"{PRODUCT}: {subject}", body + "\n\nIf this was not you, contact your administrator at once.\n")


def _minutes(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 60)
