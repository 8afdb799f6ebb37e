"""Single sign-on over HTTP: what the JSON API and the page route do with assertions that must be
refused (a client's garbage, a forgery, none expected at all), beside the scenarios' own cases."""

from __future__ import annotations

import datetime as dt
import html
import urllib.parse

import pytest

from sut import bootstrap
from sut.adapters.identity_provider import TestIdentityProvider
from sut.adapters.passwords import FAST
from sut.config import Config
from sut.entrypoints.web import create_web_app

UNVERIFIED = "The sign-in from your identity provider could not be verified. Sign in there again."
NOT_STARTED = "This sign-in from your identity provider was not started here. Start it again from this site."
START_EXPIRED = "This sign-in from your identity provider was started too long ago. Start it again from this site."


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self):
        self.moment = dt.datetime.now(dt.timezone.utc)

    def now(self):
        return self.moment


@pytest.fixture
def provider():
    return TestIdentityProvider()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def sso_client(tmp_path, mailbox, provider, clock):
    app = bootstrap.build(Config(database=tmp_path / "sso.sqlite3", password_cost=FAST), email=mailbox,
                          identity_provider=provider.verifier(), clock=clock)
    app.admin.register_person("al@example.test", "Al Agent", "agent", "agent-pw")
    web = create_web_app(app, secret_key=b"k" * 32)
    web.testing = True
    yield web.test_client()
    app.close()


@pytest.mark.parametrize("assertion", ["x", "a.b.c", "e30.e30.e30", "\u00e9" * 100, "." * 5000])
def test_garbage_is_refused_as_unverified_never_a_500(sso_client, assertion):
    started = sso_client.post("/api/login/sso/start").get_json()
    response = sso_client.post("/api/login/sso", json={"assertion": assertion, "sign_in_token": started["sign_in_token"]})
    assert response.status_code == 401
    assert response.get_json() == {"error": "invalid_assertion", "message": UNVERIFIED}


def test_an_unsigned_token_naming_a_person_is_refused(sso_client):
    import jwt

    now = int(dt.datetime.now(dt.timezone.utc).timestamp())
    started = sso_client.post("/api/login/sso/start").get_json()
    claims = {"iss": "https://idp.test.invalid", "aud": "halopsa-reference", "sub": "al", "email": "al@example.test",
              "jti": "1", "iat": now, "exp": now + 60, "nonce": started["nonce"]}
    for token in (jwt.encode(claims, "a secret guessed by someone, 32 bytes", algorithm="HS256"), jwt.encode(claims, None, algorithm="none")):
        response = sso_client.post("/api/login/sso", json={"assertion": token, "sign_in_token": started["sign_in_token"]})
        assert response.status_code == 401 and response.get_json()["message"] == UNVERIFIED


def _started_in_browser(sso_client) -> str:
    """The login page's link: the session keeps the sign-in, the provider is sent its nonce."""
    response = sso_client.get("/login/sso/start")
    assert response.status_code == 302
    where = urllib.parse.urlsplit(response.headers["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == "https://idp.test.invalid/authorize"
    query = urllib.parse.parse_qs(where.query)
    assert query["redirect_uri"] == ["http://localhost/login/sso"] and query["response_mode"] == ["form_post"]
    return query["nonce"][0]


def _posted_by_provider(sso_client, assertion):
    """The provider's page posts the assertion (another site: no cookie of this one comes with it);
    this site's page posts it on, with the session's cookie, and sets no cookie of its own."""
    relay = sso_client.post("/login/sso", data={"assertion": assertion})
    assert relay.status_code == 200 and "Set-Cookie" not in relay.headers
    assert f'value="{assertion}"' in relay.get_data(as_text=True)
    return sso_client.post("/login/sso/continue", data={"assertion": assertion})


def test_the_page_route_takes_the_providers_post_for_the_sign_in_this_browser_started(sso_client, provider, clock):
    assertion = provider.sign_in("al@example.test", clock.now(), nonce=_started_in_browser(sso_client))
    response = _posted_by_provider(sso_client, assertion)
    assert response.status_code == 302 and response.headers["Location"].endswith("/")  # signed in: no 2FA set up
    again = _posted_by_provider(sso_client, assertion)
    assert again.status_code == 401
    assert "This sign-in from your identity provider was already used." in html.unescape(again.get_data(as_text=True))


def test_a_browser_finishes_only_the_sign_in_it_started_and_only_once(sso_client, provider, clock):
    assertion = provider.sign_in("al@example.test", clock.now(), nonce=_started_in_browser(sso_client))
    elsewhere = provider.sign_in("al@example.test", clock.now(), nonce=_started_in_browser(sso_client))  # a newer start
    for refused in (_posted_by_provider(sso_client, assertion),  # started here, but replaced by the newer one
                    _posted_by_provider(sso_client, elsewhere)):  # the newer start was taken by the refusal
        assert refused.status_code == 401 and NOT_STARTED in html.unescape(refused.get_data(as_text=True))
    assert sso_client.get("/", follow_redirects=False).status_code == 302  # not signed in


def test_an_assertion_without_a_nonce_is_not_a_sign_in_started_here(sso_client, provider, clock):
    _started_in_browser(sso_client)
    response = _posted_by_provider(sso_client, provider.sign_in("al@example.test", clock.now()))
    assert response.status_code == 401 and NOT_STARTED in html.unescape(response.get_data(as_text=True))
    started = sso_client.post("/api/login/sso/start").get_json()
    response = sso_client.post("/api/login/sso", json={"assertion": provider.sign_in("al@example.test", clock.now()),
                                                      "sign_in_token": started["sign_in_token"]})
    assert response.status_code == 401 and response.get_json()["message"] == NOT_STARTED


def test_a_sign_in_token_of_the_clients_own_making_or_changed_matches_no_nonce(sso_client, provider, clock):
    started = sso_client.post("/api/login/sso/start").get_json()
    made, secret = started["sign_in_token"].split(".", 1)
    for token in ("1." + secret, f"{made}.{secret}x", "a client's own secret"):
        assertion = provider.sign_in("al@example.test", clock.now(), nonce=started["nonce"])
        response = sso_client.post("/api/login/sso", json={"assertion": assertion, "sign_in_token": token})
        assert response.status_code == 401 and response.get_json()["message"] == NOT_STARTED


def test_a_sign_in_started_more_than_30_minutes_ago_must_be_started_again(sso_client, provider, clock):
    started = sso_client.post("/api/login/sso/start").get_json()
    assert dt.datetime.fromisoformat(started["expires_at"]) == clock.now() + dt.timedelta(minutes=30)
    clock.moment += dt.timedelta(minutes=30)
    assertion = provider.sign_in("al@example.test", clock.now(), nonce=started["nonce"])
    response = sso_client.post("/api/login/sso", json={"assertion": assertion, "sign_in_token": started["sign_in_token"]})
    assert response.status_code == 401 and response.get_json()["message"] == START_EXPIRED
    clock.moment -= dt.timedelta(seconds=1)  # a moment before: still good
    assertion = provider.sign_in("al@example.test", clock.now(), nonce=started["nonce"])
    response = sso_client.post("/api/login/sso", json={"assertion": assertion, "sign_in_token": started["sign_in_token"]})
    assert response.status_code == 200 and response.get_json()["status"] == "signed_in"


def test_without_a_trusted_provider_single_sign_on_says_so(client, people):
    for response in (client.post("/api/login/sso/start"),
                     client.post("/api/login/sso", json={"assertion": "anything", "sign_in_token": "anything"})):
        assert response.status_code == 401
        assert response.get_json()["message"] == ("Single sign-on is not set up for this site. "
                                                  "Sign in with your email address and password.")
    assert "Sign in with your identity provider" not in client.get("/login").get_data(as_text=True)
    started = client.get("/login/sso/start", follow_redirects=True)
    assert "Single sign-on is not set up for this site." in html.unescape(started.get_data(as_text=True))
    assert {"/api/login/sso", "/api/login/sso/start"} <= set(client.get("/api/openapi.json").get_json()["paths"])
