"""Single sign-on: a person signs in through the identity provider this site trusts.

The provider's signed assertion (``sut.adapters.identity_provider``) takes the place of the
password step. It is checked whole before anything else happens: the provider's signature,
this site as its audience, its times by the app's clock, that the sign-in was started here by
the same browser or API client, and its single use; then the account it names.

Started here (login CSRF, OpenID Connect Core 3.1.2.1 and 3.1.3.7; OWASP's "login CSRF"): a
sign-in begins with ``start``, which gives the browser (kept in its session) or the API client a
secret, the sign-in token, and the provider the nonce derived from it (a keyed hash: nobody
without this site's key can make a pair). The provider copies the nonce into the assertion it
signs; ``sign_in`` takes the assertion with the sign-in token the browser or client holds and
refuses it unless they match. So a fresh assertion of someone's own, delivered to another
person's browser by a page someone controls, signs that browser in to nothing. The token says
when it was made and is good for ``START_LIFETIME``. What follows is ``Login.after_identity_provider``: the second factor, a forced
set-up, or (with HaloPSA's ``sso_bypass_2fa``) signed in at once.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets

from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import InvalidAssertion
from sut.domain.sso import CLOCK_SKEW, START_LIFETIME

from .common import UseCases
from .login import Login, LoginProgress

NOT_SET_UP = "Single sign-on is not set up for this site. Sign in with your email address and password."
USED = "This sign-in from your identity provider was already used. Sign in there again."
NO_ACCOUNT = "Your identity provider signed you in, but no account here has that email address. Ask your administrator."
NOT_STARTED = "This sign-in from your identity provider was not started here. Start it again from this site."
START_EXPIRED = "This sign-in from your identity provider was started too long ago. Start it again from this site."


@dataclasses.dataclass(frozen=True)
class SignInStart:
    token: str  # the secret the browser's session or the API client keeps until the assertion comes back
    nonce: str  # sent to the provider, which copies it into the assertion
    expires_at: dt.datetime


class SingleSignOn(UseCases):
    def __init__(self, deps, login: Login):
        super().__init__(deps)
        self.login = login

    def start(self) -> SignInStart:
        """A sign-in through the provider, started here: the token to keep, the nonce to send."""
        if self.deps.identity_provider is None:
            raise InvalidAssertion(NOT_SET_UP)
        now = self.now()
        token = f"{int(now.timestamp())}.{secrets.token_urlsafe(32)}"
        return SignInStart(token, self._nonce(token), now + START_LIFETIME)

    def sign_in(self, token: str, started: str | None = None, client: Client = UNKNOWN) -> LoginProgress:
        """``token``: the provider's assertion; ``started``: the sign-in token this browser or client
        was given by ``start`` (None: it started none)."""
        provider = self.deps.identity_provider
        if provider is None:
            raise InvalidAssertion(NOT_SET_UP)
        try:
            assertion = provider.verify(token)  # the signature, the issuer, this site as audience
            assertion.check_times(self.now())
        except InvalidAssertion as refusal:
            with self.deps.store.transaction() as repo:
                repo.audit(self.now(), None, "sso_refused", refusal.message, client)
            raise
        with self.deps.store.transaction() as repo:
            if not repo.use_assertion(f"{assertion.issuer} {assertion.id}", assertion.forget_after, self.now()):
                refusal = InvalidAssertion(USED)
                person = repo.person_by_email(assertion.email)
                repo.audit(self.now(), person.id if person else None, "sso_replayed", "", client)
            elif (refusal := self._not_started_here(assertion.nonce, started)) is not None:
                # Used up all the same: it was meant for a sign-in elsewhere, and is of no use here.
                repo.audit(self.now(), None, "sso_refused", "not started here", client)
            elif (person := repo.person_by_email(assertion.email)) is None:
                refusal = InvalidAssertion(NO_ACCOUNT)
                repo.audit(self.now(), None, "sso_refused", "no account", client)
            else:
                repo.audit(self.now(), person.id, "sso_accepted", assertion.issuer, client)
                return self.login.after_identity_provider(repo, person, client)
        raise refusal

    # started here
    def _nonce(self, token: str) -> str:
        digest = hmac.new(self.deps.keys.code_hmac_key, b"sso nonce\0" + token.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def _not_started_here(self, nonce: str | None, started: str | None) -> InvalidAssertion | None:
        """None when the assertion carries the nonce of the sign-in token held here, made not too
        long ago; else the refusal."""
        if not nonce or not started or not hmac.compare_digest(self._nonce(str(started)), str(nonce)):
            return InvalidAssertion(NOT_STARTED)
        made = dt.datetime.fromtimestamp(int(str(started).split(".", 1)[0]), dt.timezone.utc)
        if not made - CLOCK_SKEW <= self.now() < made + START_LIFETIME:
            return InvalidAssertion(START_EXPIRED)
        return None
