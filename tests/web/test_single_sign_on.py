"""Single sign-on over HTTP: what the JSON API and the page route do with assertions that must be
refused (a client's garbage, a forgery, none expected at all), beside the scenarios' own cases."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from sut import bootstrap
from sut.adapters.identity_provider import TestIdentityProvider
from sut.adapters.passwords import FAST
from sut.config import Config
from sut.entrypoints.web import create_web_app

UNVERIFIED = "The sign-in from your identity provider could not be verified. Sign in there again."


@pytest.fixture
def provider():
    return TestIdentityProvider()


@pytest.fixture
def sso_client(tmp_path, mailbox, provider):
    app = bootstrap.build(Config(database=tmp_path / "sso.sqlite3", password_cost=FAST), email=mailbox,
                          identity_provider=provider.verifier())
    app.admin.register_person("al@example.test", "Al Agent", "agent", "agent-pw")
    web = create_web_app(app, secret_key=b"k" * 32)
    web.testing = True
    yield web.test_client()
    app.close()


@pytest.mark.parametrize("assertion", ["x", "a.b.c", "e30.e30.e30", "\u00e9" * 100, "." * 5000])
def test_garbage_is_refused_as_unverified_never_a_500(sso_client, assertion):
    response = sso_client.post("/api/login/sso", json={"assertion": assertion})
    assert response.status_code == 401
    assert response.get_json() == {"error": "invalid_assertion", "message": UNVERIFIED}


def test_an_unsigned_token_naming_a_person_is_refused(sso_client):
    import jwt

    now = int(dt.datetime.now(dt.timezone.utc).timestamp())
    claims = {"iss": "https://idp.test.invalid", "aud": "halopsa-reference", "sub": "al", "email": "al@example.test",
              "jti": "1", "iat": now, "exp": now + 60}
    for token in (jwt.encode(claims, "a secret guessed by someone, 32 bytes", algorithm="HS256"), jwt.encode(claims, None, algorithm="none")):
        response = sso_client.post("/api/login/sso", json={"assertion": token})
        assert response.status_code == 401 and response.get_json()["message"] == UNVERIFIED


def test_the_page_route_takes_the_providers_post_without_a_form_token(sso_client, provider):
    assertion = provider.sign_in("al@example.test", dt.datetime.now(dt.timezone.utc))
    response = sso_client.post("/login/sso", data={"assertion": assertion})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")  # signed in: no 2FA set up
    again = sso_client.post("/login/sso", data={"assertion": assertion})
    assert again.status_code == 401
    assert "This sign-in from your identity provider was already used." in html.unescape(again.get_data(as_text=True))


def test_without_a_trusted_provider_single_sign_on_says_so(client, people):
    response = client.post("/api/login/sso", json={"assertion": "anything"})
    assert response.status_code == 401
    assert response.get_json()["message"] == ("Single sign-on is not set up for this site. "
                                              "Sign in with your email address and password.")
    assert "/api/login/sso" in client.get("/api/openapi.json").get_json()["paths"]
