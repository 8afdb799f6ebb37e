"""Single sign-on: an identity provider vouches for a person, in place of their password.

HaloPSA's ``sso_bypass_2fa`` decides whether such a person is then asked for their second
factor too (the default here) or signed in at once (``SecuritySettings.sso_skips_second_factor``).
An assertion is good for a short time from when it was issued, once, and only in the browser (or
API client) that started the sign-in here: the provider copies the nonce this site sent it into
the assertion (OpenID Connect Core 3.1.2.1, 3.1.3.7), and the site accepts it only where the
secret behind that nonce is held (``sut.service_layer.sso``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .errors import InvalidAssertion

CLOCK_SKEW = dt.timedelta(minutes=1)  # the provider's clock may run a little ahead of ours
LONGEST_LIFETIME = dt.timedelta(minutes=10)  # however long the provider says, no longer than this
# A sign-in started here may take this long at the provider (Keycloak's login timeout, 30 minutes).
START_LIFETIME = dt.timedelta(minutes=30)


@dataclasses.dataclass(frozen=True)
class Assertion:
    issuer: str
    subject: str
    email: str
    id: str  # single use: a used id is refused
    issued_at: dt.datetime
    expires_at: dt.datetime
    nonce: str | None = None  # what this site sent the provider when the sign-in started here

    def check_times(self, now: dt.datetime) -> None:
        if self.issued_at > now + CLOCK_SKEW:
            raise InvalidAssertion()
        if now >= min(self.expires_at, self.issued_at + LONGEST_LIFETIME):
            raise InvalidAssertion(EXPIRED)

    @property
    def forget_after(self) -> dt.datetime:
        """Its id is kept until then: a replay is refused as long as it could be live."""
        return min(self.expires_at, self.issued_at + LONGEST_LIFETIME) + CLOCK_SKEW


EXPIRED = "The sign-in from your identity provider has expired. Sign in there again."
