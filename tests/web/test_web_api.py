"""The JSON API: the use cases over bearer tokens, strict input, 4xx JSON refusals, never a 500."""

from __future__ import annotations

import json
import re
import time

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import PASSWORDS


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def api_login(client, email, password):
    response = client.post("/api/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_login_then_authenticator_set_up_then_code_step(client, people):
    signed_in = api_login(client, "al@example.test", "agent-pw")
    assert signed_in["status"] == "signed_in" and signed_in["token_type"] == "session"
    session = signed_in["token"]
    status = client.get("/api/two-factor", headers=bearer(session)).get_json()
    assert status["enabled"] is False and "authenticator" in status["methods_offered"]
    started = client.post("/api/two-factor/enrolment", headers=bearer(session),
                          json={"method": "authenticator", "password": "agent-pw"}).get_json()
    assert started["provisioning_uri"].startswith("otpauth://totp/") and started["key"]
    totp = pyotp.TOTP(started["key"])
    confirmed = client.post("/api/two-factor/enrolment/confirm", headers=bearer(session),
                            json={"enrolment_token": started["enrolment_token"], "code": totp.now()})
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "enabled"

    attempt = api_login(client, "al@example.test", "agent-pw")
    assert attempt["status"] == "code_required" and attempt["token_type"] == "attempt" and attempt["method"] == "authenticator"
    wrong = client.post("/api/login/code", headers=bearer(attempt["token"]), json={"code": "000000"})
    assert wrong.status_code == 401 and wrong.get_json()["error"] == "invalid_code"
    done = client.post("/api/login/code", headers=bearer(attempt["token"]), json={"code": totp.at(time.time() + 30)})
    assert done.status_code == 200 and done.get_json()["status"] == "signed_in"
    assert client.post("/api/logout", headers=bearer(done.get_json()["token"])).status_code == 200
    assert client.get("/api/two-factor", headers=bearer(done.get_json()["token"])).status_code == 401


def test_an_attempt_token_opens_no_protected_endpoint(client, people, mailbox):
    session = api_login(client, "al@example.test", "agent-pw")["token"]
    started = client.post("/api/two-factor/enrolment", headers=bearer(session),
                          json={"method": "email", "password": "agent-pw"}).get_json()
    client.post("/api/two-factor/enrolment/confirm", headers=bearer(session),
                json={"enrolment_token": started["enrolment_token"], "code": mailbox.last_code("al@example.test")})
    attempt = api_login(client, "al@example.test", "agent-pw")["token"]
    calls = [("GET", "/api/two-factor", None), ("GET", "/api/admin/settings", None), ("GET", "/api/admin/people", None),
             ("PATCH", "/api/admin/settings", {"allow_for_users": True}),
             ("POST", "/api/two-factor/enrolment", {"method": "authenticator", "password": "agent-pw"}),
             ("POST", "/api/two-factor/disable", {"password": "agent-pw"}),
             ("POST", "/api/admin/people/1/reset-two-factor", None)]
    for method, path, body in calls:
        response = client.open(path, method=method, headers=bearer(attempt), json=body)
        assert response.status_code == 401, (path, response.get_json())
        assert response.get_json()["error"] == "not_signed_in"


def test_admin_endpoints(client, people):
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    agent = api_login(client, "al@example.test", "agent-pw")["token"]
    assert client.get("/api/admin/settings", headers=bearer(agent)).status_code == 403
    changed = client.patch("/api/admin/settings", headers=bearer(admin), json={"allow_for_users": True})
    assert changed.status_code == 200 and changed.get_json()["allow_for_users"] is True
    refused = client.patch("/api/admin/settings", headers=bearer(admin), json={"enforce_for_users": True, "allow_for_users": False})
    assert refused.status_code == 422 and refused.get_json()["error"] == "invalid_settings"
    listed = client.get("/api/admin/people", headers=bearer(admin)).get_json()["people"]
    assert {p["email"] for p in listed} == {"ada@example.test", "al@example.test", "una@example.test"}
    reset = client.post(f"/api/admin/people/{people['agent'].id}/reset-two-factor", headers=bearer(admin))
    assert reset.status_code == 200 and reset.get_json()["two_factor_method"] is None
    assert client.get("/api/two-factor", headers=bearer(agent)).status_code == 401  # sessions ended at once


def test_the_overview_is_narrowed_by_role_and_state_and_refuses_an_unknown_filter(client, people):
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    users = client.get("/api/admin/people?role=user", headers=bearer(admin)).get_json()["people"]
    assert [(p["email"], p["two_factor_method"], p["last_second_factor_at"], p["enforcement"]) for p in users] == [
        ("una@example.test", None, None, "not_enforced")]
    assert client.get("/api/admin/people?role=agent&state=locked", headers=bearer(admin)).get_json()["people"] == []
    refused = client.get("/api/admin/people?state=asleep", headers=bearer(admin))
    assert refused.status_code == 422 and refused.get_json()["error"] == "invalid_input"
    assert "state" in refused.get_json()["message"]


@pytest.mark.parametrize("person_id", ["999", "99999999999999999999999999"])
def test_unknown_person_is_404(client, people, person_id):
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    response = client.post(f"/api/admin/people/{person_id}/reset-two-factor", headers=bearer(admin))
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("body, content_type, status, error", [
    (b'{"email": "a@b", ', "application/json", 400, "malformed_json"),
    (b"[" * 50000, "application/json", 400, "malformed_json"),
    (b"\xff\xfe", "application/json", 400, "malformed_json"),
    (b"email=a&password=b", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    (b'{"email": 5, "password": "x"}', "application/json", 422, "invalid_input"),
    (b'{"email": "a@b"}', "application/json", 422, "invalid_input"),
    (b'{"email": "a@b", "password": "x", "admin": true}', "application/json", 422, "invalid_input"),
    (b'["a@b", "x"]', "application/json", 422, "invalid_input"),
    (b'"just a string"', "application/json", 422, "invalid_input"),
    (b'{"email": "\\ud800@x", "password": "x"}', "application/json", 422, "invalid_input"),
    (b'{"email": "a@b", "password": "' + b"x" * 70000 + b'"}', "application/json", 413, "too_large"),
])
def test_bad_bodies_are_refused_with_4xx_json(client, people, body, content_type, status, error):
    response = client.post("/api/login", data=body, content_type=content_type)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"] == error and response.get_json()["message"]


def test_settings_take_only_true_booleans(client, people):
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    for value in ["true", 1, 0, None, [], {}]:
        response = client.patch("/api/admin/settings", headers=bearer(admin), json={"allow_for_users": value})
        if value is None:  # null means "leave as it is"
            assert response.status_code == 200
        else:
            assert response.status_code == 422, value


def test_unknown_routes_and_methods_are_json(client):
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"
    wrong_method = client.get("/api/login")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"] == "method_not_allowed"


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = client.get("/api/two-factor")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/two-factor", headers={"Authorization": "Basic abc"}).status_code == 401


def _api_routes(web):
    routes = []
    for rule in web.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json":
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((method, rule.rule))
    return routes


def test_the_openapi_document_describes_every_api_route(client, web):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    described = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    routes = {(m, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r)) for m, r in _api_routes(web)}
    assert routes == described
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary") or operation.get("description"), (method, path)
            assert "200" in operation["responses"] and "422" in operation["responses"]


HOSTILE = [
    None, b"", b"null", b"{}", b"[]", b"0", b"-1e999", b"1" * 5000, b'"x"', b"{" * 10000, b"\x00\x01",
    b'{"code": null, "email": [], "password": {}}', b'{"method": "AUTHENTICATOR", "password": 1}',
    b'{"enrolment_token": "' + b"a" * 1000 + b'", "code": "\xef\xbc\x91"}',
    b'{"code": "\\u0000", "password": "\\ud83d", "disable_token": "\\udfff"}',
    b'{"allow_for_agents": "yes", "nope": true}', b'{"__proto__": {"is_admin": true}}',
    b'{"email": "' + b"\xf0\x9f\x98\x80" * 100 + b'", "password": "p"}',
]


def test_hostile_bodies_on_every_api_route_never_cause_a_5xx(client, web, people):
    session = api_login(client, "ada@example.test", "admin-pw")["token"]
    attempt_person = api_login(client, "al@example.test", "agent-pw")["token"]
    tokens = [None, session, attempt_person, "x" * 300, "\u00e9\u00e8", "Bearer"]
    for method, rule in _api_routes(web):
        path = re.sub(r"<(?:\w+:)?\w+>", "1", rule)
        for body in HOSTILE:
            for token in tokens:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                response = client.open(path, method=method, data=body, headers=headers, content_type="application/json")
                assert response.status_code < 500, (method, path, body[:40] if body else body, response.get_data(as_text=True)[:200])
                if response.status_code >= 400:
                    payload = response.get_json()
                    assert payload["error"] and payload["message"], (method, path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(["email", "password", "code", "method", "mobile_number", "enrolment_token",
                               "disable_token", "allow_for_agents", "enforce_for_users", "x"])


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=st.integers(min_value=0, max_value=1000),
       body=st.dictionaries(field_names, json_values, max_size=5) | json_values,
       who=st.sampled_from(["nobody", "junk", "admin", "agent"]))
def test_generated_json_bodies_never_cause_a_5xx(client, web, app, people, route, body, who):
    routes = _api_routes(web)
    method, rule = routes[route % len(routes)]
    path = re.sub(r"<(?:\w+:)?\w+>", "1", rule)
    headers = {}
    if who == "junk":
        headers = bearer("not-a-token")
    elif who in ("admin", "agent"):
        email = "ada@example.test" if who == "admin" else "al@example.test"
        headers = bearer(app.login.begin(email, PASSWORDS[email]).session_token)
    response = client.open(path, method=method, data=json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code < 500, (method, path, body, response.get_data(as_text=True)[:200])


def test_the_audit_trail_over_the_api_tells_replays_and_refusals_while_locked(client, people):
    session = api_login(client, "al@example.test", "agent-pw")["token"]
    started = client.post("/api/two-factor/enrolment", headers=bearer(session),
                          json={"method": "authenticator", "password": "agent-pw"}).get_json()
    totp = pyotp.TOTP(started["key"])
    client.post("/api/two-factor/enrolment/confirm", headers=bearer(session),
                json={"enrolment_token": started["enrolment_token"], "code": totp.now()})
    attempt = api_login(client, "al@example.test", "agent-pw")["token"]
    used = totp.at(time.time() + 30)
    assert client.post("/api/login/code", headers=bearer(attempt), json={"code": used}).status_code == 200
    again = api_login(client, "al@example.test", "agent-pw")["token"]
    agent = {"User-Agent": "partner-tool/1.0", **bearer(again)}
    assert client.post("/api/login/code", headers=agent, json={"code": used}).status_code == 401  # a replay
    for code in ["000000", "111111", "222222", "333333", "444444"]:
        if code not in (totp.now(), used, totp.at(time.time() - 30), totp.at(time.time() + 30)):
            client.post("/api/login/code", headers=agent, json={"code": code})
    locked = client.post("/api/login/code", headers=agent, json={"code": totp.at(time.time() + 30)})
    # Retry-After tells the lock's real end (15 minutes), not a guess (red-team finding after issue 7).
    # (This test runs on the real clock: the lock began a moment ago.)
    assert locked.status_code == 429 and locked.get_json()["error"] == "locked"
    assert 890 <= int(locked.headers["Retry-After"]) <= 900
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    events = client.get(f"/api/admin/audit?person_id={people['agent'].id}", headers=bearer(admin)).get_json()["events"]
    names = [e["event"] for e in events]
    assert names[0] == "refused_while_locked" and "locked" in names and "code_replayed" in names
    replay = next(e for e in events if e["event"] == "code_replayed")
    assert replay["user_agent"] == "partner-tool/1.0" and replay["address"] == "127.0.0.1"
    assert replay["label"] == "Code used before (replay)"
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)


@pytest.mark.parametrize("query", ["?person_id=0", "?person_id=abc", "?person_id=99999999999999999999999", "?limit=0",
                                   "?limit=100000", "?limit=-1", "?nope=1", "?person_id=999"])
def test_hostile_audit_queries_are_refused_with_4xx(client, people, query):
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    response = client.get("/api/admin/audit" + query, headers=bearer(admin))
    assert 400 <= response.status_code < 500, (query, response.get_data(as_text=True)[:200])
    assert response.get_json()["error"]


def test_changing_the_method_over_the_api_needs_a_code_of_the_current_one(client, people, mailbox):
    session = api_login(client, "al@example.test", "agent-pw")["token"]
    started = client.post("/api/two-factor/enrolment", headers=bearer(session),
                          json={"method": "authenticator", "password": "agent-pw"}).get_json()
    totp = pyotp.TOTP(started["key"])
    client.post("/api/two-factor/enrolment/confirm", headers=bearer(session),
                json={"enrolment_token": started["enrolment_token"], "code": totp.now()})
    change = client.post("/api/two-factor/enrolment", headers=bearer(session), json={"method": "email", "password": "agent-pw"})
    body = change.get_json()
    assert change.status_code == 200 and body["status"] == "current_code_required" and body["current_method"] == "authenticator"
    assert body["key"] is None and body["provisioning_uri"] is None
    skipped = client.post("/api/two-factor/enrolment/confirm", headers=bearer(session),
                          json={"enrolment_token": body["enrolment_token"], "code": "123456"})
    assert skipped.status_code == 404  # no confirming before the current method is proved
    proved = client.post("/api/two-factor/enrolment/verify-current", headers=bearer(session),
                         json={"enrolment_token": body["enrolment_token"], "code": totp.at(time.time() + 30)})
    assert proved.status_code == 200 and proved.get_json()["status"] == "started"
    # The code that proved the current method is used up: it does not also sign anyone in.
    attempt = api_login(client, "al@example.test", "agent-pw")["token"]
    assert client.post("/api/login/code", headers=bearer(attempt), json={"code": totp.at(time.time() + 30)}).status_code == 401


def test_a_session_opened_before_enforcement_sets_up_with_the_password_and_gets_a_new_session(client, people):
    old = api_login(client, "al@example.test", "agent-pw")["token"]
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    assert client.patch("/api/admin/settings", headers=bearer(admin), json={"enforce_for_agents": True}).status_code == 200
    held = client.get("/api/two-factor", headers=bearer(old))
    assert held.status_code == 403 and held.get_json()["error"] == "setup_required"
    assert "authenticator" in held.get_json()["methods_offered"]
    no_password = client.post("/api/two-factor/enrolment", headers=bearer(old), json={"method": "authenticator"})
    assert no_password.status_code == 422 and no_password.get_json()["error"] == "password_required"
    started = client.post("/api/two-factor/enrolment", headers=bearer(old),
                          json={"method": "authenticator", "password": "agent-pw"}).get_json()
    done = client.post("/api/two-factor/enrolment/confirm", headers=bearer(old),
                       json={"enrolment_token": started["enrolment_token"], "code": pyotp.TOTP(started["key"]).now()})
    assert done.status_code == 200 and done.get_json()["status"] == "signed_in"
    assert done.get_json()["token"] != old
    assert client.get("/api/two-factor", headers=bearer(old)).status_code == 401
    assert client.get("/api/two-factor", headers=bearer(done.get_json()["token"])).status_code == 200


def test_a_session_whose_method_is_no_longer_allowed_must_log_in_again(client, people, mailbox):
    session = api_login(client, "al@example.test", "agent-pw")["token"]
    started = client.post("/api/two-factor/enrolment", headers=bearer(session),
                          json={"method": "email", "password": "agent-pw"}).get_json()
    client.post("/api/two-factor/enrolment/confirm", headers=bearer(session),
                json={"enrolment_token": started["enrolment_token"], "code": mailbox.last_code("al@example.test")})
    admin = api_login(client, "ada@example.test", "admin-pw")["token"]
    client.patch("/api/admin/settings", headers=bearer(admin), json={"email_allowed": False})
    refused = client.get("/api/two-factor", headers=bearer(session))
    assert refused.status_code == 401
    assert refused.get_json()["message"] == "Your two-factor method is no longer allowed. Log in again to set up another one."


def test_a_throttled_login_says_when_to_try_again(client, people):
    for _ in range(5):
        assert client.post("/api/login", json={"email": "al@example.test", "password": "wrong"}).status_code == 401
    throttled = client.post("/api/login", json={"email": "al@example.test", "password": "agent-pw"})
    assert throttled.status_code == 429 and throttled.get_json()["error"] == "rate_limited"
    assert throttled.get_json()["message"] == "Too many failed sign-ins for this account. Try again in 1 second."
    assert throttled.headers["Retry-After"] == "1"
