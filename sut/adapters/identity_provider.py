"""Single sign-on: the identity provider's signed assertion, and a test identity provider.

An identity provider (an OpenID Connect provider, say) signs an assertion that names the person
it has signed in: an ID token, a JWT signed with the provider's private key (EdDSA, Ed25519).
The app holds only the provider's public key (``AssertionVerifier``), so nobody can claim an
identity without the provider's signature; PyJWT checks the signature, the issuer and the
audience. The times (issued at, expires) are checked by the use case against the app's own
clock (``sut.service_layer.sso``), the one place time enters.

``TestIdentityProvider`` is a provider for demos and the test harness: it holds a key pair of
its own, made when it is, and signs what it is asked to. It is never reachable over HTTP: a
deployment trusts a real provider's public key instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import urllib.parse

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sut.domain.errors import InvalidAssertion
from sut.domain.sso import Assertion

ALGORITHM = "EdDSA"
AUDIENCE = "halopsa-reference"  # this site, as the provider names it (the ID token's "aud")


@dataclasses.dataclass(frozen=True)
class AssertionVerifier:
    """Trusts one identity provider: its issuer name and public key."""

    issuer: str
    public_key: Ed25519PublicKey
    audience: str = AUDIENCE
    authorization_endpoint: str = ""  # where a sign-in is sent, with its nonce; default: the issuer's /authorize

    def sign_in_url(self, nonce: str, redirect_uri: str) -> str:
        """Where this site sends the browser to sign in at the provider (an OpenID Connect
        authentication request: the ID token posted back to ``redirect_uri``, carrying ``nonce``)."""
        query = urllib.parse.urlencode({
            "response_type": "id_token", "response_mode": "form_post", "scope": "openid email",
            "client_id": self.audience, "redirect_uri": redirect_uri, "nonce": nonce})
        return f"{self.authorization_endpoint or self.issuer.rstrip('/') + '/authorize'}?{query}"

    def verify(self, token: str) -> Assertion:
        """The assertion's claims when the provider signed it for this site; refused otherwise."""
        try:
            claims = jwt.decode(
                str(token or ""), self.public_key, algorithms=[ALGORITHM], audience=self.audience, issuer=self.issuer,
                # The times are the use case's to check, with the app's clock.
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                         "require": ["iss", "aud", "sub", "email", "jti", "iat", "exp"]},
            )
            return Assertion(
                issuer=claims["iss"], subject=str(claims["sub"]), email=str(claims["email"]), id=str(claims["jti"]),
                issued_at=dt.datetime.fromtimestamp(int(claims["iat"]), dt.timezone.utc),
                expires_at=dt.datetime.fromtimestamp(int(claims["exp"]), dt.timezone.utc),
                nonce=str(claims["nonce"]) if claims.get("nonce") is not None else None,
            )
        except (jwt.PyJWTError, ValueError, TypeError, OverflowError):
            raise InvalidAssertion() from None


class TestIdentityProvider:
    """An identity provider for demos and tests: signs ID tokens with its own private key."""

    __test__ = False  # not a pytest test class

    def __init__(self, issuer: str = "https://idp.test.invalid", lifetime: dt.timedelta = dt.timedelta(minutes=5)):
        self.issuer, self.lifetime = issuer, lifetime
        self._key = Ed25519PrivateKey.generate()

    def verifier(self, audience: str = AUDIENCE) -> AssertionVerifier:
        """What a site that trusts this provider holds: its name and public key."""
        return AssertionVerifier(self.issuer, self._key.public_key(), audience)

    def sign_in(self, email: str, now: dt.datetime, *, audience: str = AUDIENCE, nonce: str | None = None) -> str:
        """The ID token of a person this provider has just signed in; ``nonce``: the one the site
        sent with the sign-in it started, copied in as OpenID Connect providers do."""
        claims = {
            "iss": self.issuer, "aud": audience, "sub": email.lower(), "email": email,
            "jti": secrets.token_urlsafe(16), "iat": int(now.timestamp()), "exp": int((now + self.lifetime).timestamp()),
        }
        if nonce is not None:
            claims["nonce"] = nonce
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)
