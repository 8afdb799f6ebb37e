"""Resetting a forgotten password by an emailed link, never around the second factor.

The link carries a token of 256 random bits; the database keeps only its SHA-256, as a
challenge of purpose PASSWORD_RESET (``sut.domain.challenges``), like every token here. It
works once, within 60 minutes (``sut.domain.password_reset``); a newer link voids an older one.
Opening the link uses nothing (mail scanners open links too): saving the new password does,
and then ends every session of the person and every sign-in or set-up they had in progress,
and leads where a right password leads (``Login.continue_after_reset``): to the second step for a
person with two-factor authentication, to the set-up where it is required, else signed in. A
reset never turns two-factor off nor lets anybody past it (ASVS 5.0.0 6.4.3).

Asking for a link answers the same words whether or not an account uses the address, and
sends mail only to an account's own address (ASVS 5.0.0 6.3.8; OWASP's Forgot Password
cheat sheet); its limits are keyed by the address as typed, so they tell nothing either.
"""

from __future__ import annotations

from sut.domain import password_reset as rules, throttling
from sut.domain.challenges import Challenge, Purpose, State
from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import Busy, InvalidInput, NotFound, RateLimited

from .common import UseCases, new_token, token_digest
from .login import Login, LoginProgress
from .ports import HasherBusy, Repository

LINK_PATH = "/password-reset/"
NOT_VALID = ("This link to reset your password is not valid. Open the whole link from the email, "
             "or ask for a new one.")
USED = "This link to reset your password has already been used. Ask for a new one if you need to."
REPLACED = ("This link to reset your password no longer works: a newer link was sent, or the password "
            "was changed since. Use the newest link, or ask for a new one.")
EXPIRED = (f"This link to reset your password has expired: links work for "
           f"{int(rules.LINK_LIFETIME.total_seconds() // 60)} minutes. Ask for a new one.")


class PasswordReset(UseCases):
    def __init__(self, deps, login: Login):
        super().__init__(deps)
        self.login = login

    def request(self, email: str, client: Client = UNKNOWN) -> str:
        """Send a link to the account that uses ``email``, if any; the answer is the same either way."""
        email = str(email or "").strip()
        if "@" not in email or len(email) > 320:
            raise InvalidInput("Enter the email address you sign in with.")
        now = self.now()
        with self.deps.store.transaction() as repo:
            refusal = self._throttle(repo, throttling.account_key(email), throttling.network_key(client.address))
            if refusal is None:
                repo.add_reset_request(now, throttling.account_key(email), throttling.network_key(client.address))
                person = repo.person_by_email(email)
                if person is not None:
                    # Only the newest link works.
                    repo.void_open_challenges(person.id, purpose=Purpose.PASSWORD_RESET)
                    token, digest = new_token()
                    repo.add_challenge(Challenge(id=digest, person_id=person.id, purpose=Purpose.PASSWORD_RESET,
                                                 state=State.OPEN, method=None, created_at=now,
                                                 expires_at=now + rules.LINK_LIFETIME))
                    repo.audit(now, person.id, "password_reset_asked", "", client)
                    self._send_link(person.email, token)
        if refusal is not None:
            raise refusal
        return rules.SENT

    def check(self, token: str) -> None:
        """Whether the link still works (to tell the person at once); it uses nothing."""
        with self.deps.store.reading() as repo:
            self._live_link(repo, token)

    def reset(self, token: str, new_password: str, client: Client = UNKNOWN) -> LoginProgress:
        """Save the new password with the link; the link is then used up, every session of the
        person ends, and the login goes on from the password step: the second step comes next."""
        new_password = str(new_password or "")
        problem = rules.password_problem(new_password)
        if problem:
            raise InvalidInput(problem)  # the link still works: nothing is lost
        with self.deps.store.reading() as repo:
            self._live_link(repo, token)
        try:
            password_hash = self.deps.passwords.hash(new_password)  # slow: outside any transaction
        except HasherBusy:
            raise Busy() from None
        with self.deps.store.transaction() as repo:
            link = self._live_link(repo, token)  # again, in the write: a second use finds it used
            repo.set_challenge_state(link.id, State.DONE)
            person = repo.person(link.person_id)
            person.password_hash = password_hash
            repo.save_person(person)
            repo.end_sessions_of(person.id)
            repo.void_open_challenges(person.id)  # sign-ins and set-ups in progress, other links
            repo.clear_password_failures(throttling.account_key(person.email))
            repo.audit(self.now(), person.id, "password_reset", "", client)
            self._notify(person, "your password was changed",
                         "The password of your account was changed with a link sent to this address. "
                         "You were signed out everywhere.")
            return self.login.continue_after_reset(repo, person, client)

    # helpers
    def _live_link(self, repo: Repository, token: str) -> Challenge:
        link = repo.challenge(token_digest(token)) if token else None
        if link is None or link.purpose is not Purpose.PASSWORD_RESET:
            raise NotFound(NOT_VALID)
        if link.state is State.DONE:
            raise NotFound(USED)
        if link.state is not State.OPEN:
            raise NotFound(REPLACED)
        if self.now() >= link.expires_at:
            raise NotFound(EXPIRED)
        return link

    def _throttle(self, repo: Repository, account: str, network: str) -> RateLimited | None:
        now = self.now()
        since = now - rules.WINDOW
        repo.forget_reset_requests_before(since)
        waits = [rules.wait(repo.reset_requests(account=account, address=network, since=since), rules.PER_ADDRESS_AND_NETWORK, now),
                 rules.wait(repo.reset_requests(account=account, since=since), rules.PER_ADDRESS, now),
                 rules.wait(repo.reset_requests(address=network, since=since), rules.PER_NETWORK, now)]
        longest = max((w for w in waits if w is not None), default=None)
        if longest is None:
            return None
        return RateLimited(rules.throttled_message(longest), retry_after=max(1, -(-int(longest.total_seconds()))))

    def _send_link(self, address: str, token: str) -> None:
        link = self.deps.public_url.rstrip("/") + LINK_PATH + token
        minutes = int(rules.LINK_LIFETIME.total_seconds() // 60)
        self.deps.email.send(
            address, "HaloPSA password reset link",
            f"Someone asked to reset the password of the HaloPSA account of this address.\n\n"
            f"Choose a new password here:\n{link}\n\n"
            f"The link works once, within {minutes} minutes. With two-factor authentication you will "
            "still enter a code afterwards.\nIf you did not ask for it, ignore this email: your password stays as it is.\n")
