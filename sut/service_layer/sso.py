"""Single sign-on: a person signs in through the identity provider this site trusts.

The provider's signed assertion (``sut.adapters.identity_provider``) takes the place of the
password step. It is checked whole before anything else happens: the provider's signature,
this site as its audience, its times by the app's clock, and its single use; then the account
it names. What follows is ``Login.after_identity_provider``: the second factor, a forced
set-up, or (with HaloPSA's ``sso_bypass_2fa``) signed in at once.
"""

from __future__ import annotations

from sut.domain.clients import UNKNOWN, Client
from sut.domain.errors import InvalidAssertion

from .common import UseCases
from .login import Login, LoginProgress

NOT_SET_UP = "Single sign-on is not set up for this site. Sign in with your email address and password."
USED = "This sign-in from your identity provider was already used. Sign in there again."
NO_ACCOUNT = "Your identity provider signed you in, but no account here has that email address. Ask your administrator."


class SingleSignOn(UseCases):
    def __init__(self, deps, login: Login):
        super().__init__(deps)
        self.login = login

    def sign_in(self, token: str, client: Client = UNKNOWN) -> LoginProgress:
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
            elif (person := repo.person_by_email(assertion.email)) is None:
                refusal = InvalidAssertion(NO_ACCOUNT)
                repo.audit(self.now(), None, "sso_refused", "no account", client)
            else:
                repo.audit(self.now(), person.id, "sso_accepted", assertion.issuer, client)
                return self.login.after_identity_provider(repo, person, client)
        raise refusal
