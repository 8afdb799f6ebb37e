"""The pages: each renders, the seed's click path works, and the guards hold."""

from __future__ import annotations

import html
import re
import urllib.parse


from .helpers import KEY, enable_authenticator, log_in, post_form, session_cookie


def text(response) -> str:
    return response.get_data(as_text=True)


def test_login_page_renders_with_named_controls(client):
    page = text(client.get("/login"))
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert ">Log in</button>" in page


def test_wrong_password_is_refused_in_an_alert_without_saying_which_factor(client, people):
    response = log_in(client, "al@example.test", "wrong")
    assert response.status_code == 401
    assert 'role="alert">The email address or password is incorrect.' in text(response)


def test_every_page_renders_for_the_people_who_may_see_it(client, people, app):
    log_in(client, "ada@example.test")
    for path in ["/", "/account/security", "/account/two-factor", "/account/two-factor/enable",
                 "/account/two-factor/turn-off", "/configuration", "/configuration/advanced-settings",
                 "/configuration/people", "/demo/outbox"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<h1>" in text(response), path
    post_form(client, "/account/two-factor/enable", {"method": "authenticator", "password": "admin-pw"})
    confirm = text(client.get("/account/two-factor/confirm"))
    assert 'alt="QR code for your authenticator app"' in confirm and "data:image/png;base64," in confirm
    assert KEY.search(confirm)
    assert ">Confirm</button>" in confirm and "Send a new code" not in confirm


def test_portal_home_for_an_end_user(client, people):
    response = log_in(client, "una@example.test", "user-pw")
    assert response.status_code == 302 and response.location.endswith("/")
    page = text(client.get("/"))
    assert "<h1>Portal</h1>" in page and 'aria-label="Open your profile settings"' in page
    assert "Configuration" not in page
    two_factor = text(client.get("/account/two-factor"))
    assert "not allowed for your account" in two_factor and ">Enable</button>" not in two_factor


def test_the_seed_click_path_enables_the_authenticator_and_the_next_login_asks_for_the_code(client, people):
    log_in(client, "al@example.test")
    home = text(client.get("/"))
    assert re.search(r'<summary role="button" aria-label="Open your profile settings"', home)
    assert ">Password &amp; Security</a>" in home
    assert ">Two-Factor Authentication</a>" in text(client.get("/account/security"))
    status = text(client.get("/account/two-factor"))
    assert "is <strong>off</strong>" in status and ">Enable</button>" in status
    enable = text(client.get("/account/two-factor/enable"))
    for label in ("Authenticator app", "Email", "SMS", "Password", "Mobile number"):
        assert f">{label}</label>" in enable, label
    totp = enable_authenticator(client, "al@example.test")
    status = text(client.get("/account/two-factor"))
    assert "is <strong>on</strong>, with Authenticator app" in status and ">Turn off</button>" in status

    post_form(client, "/logout", {}, token_from="/")
    response = log_in(client, "al@example.test")
    assert response.location.endswith("/login/code")
    code_page = text(client.get("/login/code"))
    assert "<h1>Enter the code</h1>" in code_page and "authenticator app" in code_page
    assert "Send a new code" not in code_page
    # the previous code was used for the set-up; the next step's code passes
    with_next = totp.at(__import__("time").time() + 30)
    done = post_form(client, "/login/code", {"code": with_next})
    assert done.status_code == 302 and done.location.endswith("/")


def test_email_code_login_shows_where_the_code_went_and_can_send_a_new_one(client, people, app, mailbox):
    log_in(client, "al@example.test")
    post_form(client, "/account/two-factor/enable", {"method": "email", "password": "agent-pw"})
    confirm = text(client.get("/account/two-factor/confirm"))
    assert "al@example.test" in confirm and "Send a new code" in confirm
    post_form(client, "/account/two-factor/confirm", {"code": mailbox.last_code("al@example.test")})
    post_form(client, "/logout", {}, token_from="/")

    log_in(client, "al@example.test")
    page = text(client.get("/login/code"))
    assert "a•••@example.test" in page and ">Send a new code</button>" in page
    wrong = post_form(client, "/login/code", {"code": "000000"})
    assert wrong.status_code == 401 and 'role="alert"' in text(wrong)
    assert post_form(client, "/login/code", {"code": mailbox.last_code("al@example.test")}).location.endswith("/")


def test_the_session_cookie_changes_when_the_login_completes(client, people, app):
    log_in(client, "al@example.test")
    totp = enable_authenticator(client, "al@example.test")
    post_form(client, "/logout", {}, token_from="/")
    log_in(client, "al@example.test")
    during = session_cookie(client)
    assert during
    post_form(client, "/login/code", {"code": totp.at(__import__("time").time() + 30)})
    after = session_cookie(client)
    assert after and after != during


def test_cookie_is_httponly_and_samesite_lax(client, people):
    response = log_in(client, "al@example.test")
    header = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("twofa_session=")][0]
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_a_password_only_session_reaches_nothing_protected(client, people):
    log_in(client, "al@example.test")
    enable_authenticator(client, "al@example.test")
    post_form(client, "/logout", {}, token_from="/")
    log_in(client, "al@example.test")
    for path in ["/", "/account/security", "/account/two-factor", "/account/two-factor/enable",
                 "/configuration", "/configuration/advanced-settings", "/configuration/people"]:
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/login/code"), path


def test_a_form_without_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"email": "al@example.test", "password": "agent-pw"})
    assert response.status_code == 400
    assert 'role="alert"' in text(response) and "expired" in text(response)
    assert session_cookie(client) is None or "token" not in session_cookie(client)


def test_forced_set_up_comes_right_after_the_password_and_completes_the_login(client, people, app, mailbox):
    admin = app.login.begin("ada@example.test", "admin-pw").session_token
    app.admin.change_settings(admin, enforce_for_agents=True)
    response = log_in(client, "al@example.test")
    assert response.location.endswith("/login/setup")
    page = text(client.get("/login/setup"))
    assert "requires two-factor authentication" in page and 'id="password"' not in page
    assert client.get("/").location.endswith("/login/setup")
    post_form(client, "/login/setup", {"method": "email"})
    confirm = text(client.get("/login/setup/confirm"))
    assert "Send a new code" in confirm
    done = post_form(client, "/login/setup/confirm", {"code": mailbox.last_code("al@example.test")})
    # Signed in now; the recovery codes come first, shown in this answer only, then home.
    page = text(done)
    shown = re.findall(r"<li><code>([0-9a-f]{4}(?:-[0-9a-f]{4}){3})</code></li>", page)
    assert "<h1>Save your recovery codes</h1>" in page and len(set(shown)) == 10
    assert done.headers["Cache-Control"] == "no-store"
    # The download is plain text holding the same codes, from the page itself (nothing kept on the server).
    href = re.search(r'<a download="halopsa-recovery-codes.txt" href="data:text/plain;charset=utf-8,([^"]+)">', page)
    assert href and urllib.parse.unquote(html.unescape(href.group(1))).splitlines()[2:] == shown
    assert "<h1>Home</h1>" in text(client.get("/"))


def test_an_admin_reset_ends_the_persons_session_at_once(web, people, app):
    agent, admin = web.test_client(), web.test_client()
    log_in(agent, "al@example.test")
    enable_authenticator(agent, "al@example.test")
    log_in(admin, "ada@example.test")
    people_page = text(admin.get("/configuration/people"))
    assert 'aria-label="Reset two-factor for Al Agent"' in people_page
    done = post_form(admin, f"/configuration/people/{people['agent'].id}/reset-two-factor", {},
                     token_from="/configuration/people", follow_redirects=True)
    assert "reset for Al Agent" in text(done)
    response = agent.get("/account/two-factor")
    assert response.status_code == 302 and response.location.endswith("/login")


def test_the_overview_page_says_an_unknown_filter_is_refused_and_shows_everybody(client, people):
    log_in(client, "ada@example.test", "admin-pw")
    narrowed = text(client.get("/configuration/people?role=user"))
    assert "una@example.test" in narrowed and "al@example.test" not in narrowed
    response = client.get("/configuration/people?role=robots")
    page = html.unescape(text(response))
    assert response.status_code == 422
    assert "Show agents or users: role is one of agent, user, not 'robots'. Everybody is shown." in page
    assert "una@example.test" in page and "al@example.test" in page


def test_contradictory_settings_are_refused_with_the_form_as_submitted(client, people, app):
    log_in(client, "ada@example.test")
    response = post_form(client, "/configuration/advanced-settings",
                         {"allow_for_agents": "on", "enforce_for_users": "on", "email_allowed": "on"})
    assert response.status_code == 422
    page = text(response)
    assert 'role="alert">Two-factor cannot be enforced for users while it is not allowed for users.' in page
    assert re.search(r'id="enforce_for_users" name="enforce_for_users" value="on" checked', page)
    admin = app.login.begin("ada@example.test", "admin-pw").session_token
    assert app.admin.settings(admin).enforce_for_users is False
    saved = post_form(client, "/configuration/advanced-settings",
                      {"allow_for_agents": "on", "allow_for_users": "on", "email_allowed": "on"})
    assert 'role="status">Security settings saved.' in text(saved)
    days = post_form(client, "/configuration/advanced-settings",
                     {"allow_for_agents": "on", "email_allowed": "on", "enforcement_grace_days": "seven"})
    assert days.status_code == 422
    assert ('role="alert">The days to set up two-factor authentication are a whole number from 0 to 90. Nothing was saved.'
            in text(days))
    assert 'name="enforcement_grace_days" value="seven"' in text(days)  # as typed, to correct


def test_settings_page_names_every_setting(client, people):
    log_in(client, "ada@example.test")
    page = text(client.get("/configuration/advanced-settings"))
    assert "<h2 id=\"security\">Security</h2>" in page
    for label in ["Allow two-factor authentication for agents", "Allow two-factor authentication for users",
                  "Enforce two-factor authentication for all agents", "Enforce two-factor authentication for all users",
                  "Allow email codes", "Allow SMS codes", "Allow authenticator apps",
                  "Allow email only when no other method is available"]:
        assert f">{label}</label>" in page, label
    assert ">Save</button>" in page


def test_an_agent_who_is_not_an_administrator_cannot_reach_configuration(client, people):
    log_in(client, "al@example.test")
    for path in ["/configuration", "/configuration/advanced-settings", "/configuration/people"]:
        assert client.get(path).status_code == 403, path


def test_turning_off_needs_the_password_then_the_code(client, people, mailbox):
    log_in(client, "al@example.test")
    post_form(client, "/account/two-factor/enable", {"method": "email", "password": "agent-pw"})
    post_form(client, "/account/two-factor/confirm", {"code": mailbox.last_code("al@example.test")})
    wrong = post_form(client, "/account/two-factor/turn-off", {"password": "nope"})
    assert wrong.status_code == 422 and 'role="alert"' in text(wrong)
    assert post_form(client, "/account/two-factor/turn-off", {"password": "agent-pw"}).location.endswith("/turn-off/confirm")
    assert ">Turn off</button>" in text(client.get("/account/two-factor/turn-off/confirm"))
    done = post_form(client, "/account/two-factor/turn-off/confirm", {"code": mailbox.last_code("al@example.test")},
                     follow_redirects=True)
    assert "Two-factor authentication is off." in text(done)


def test_sms_set_up_sends_a_text_to_the_number_given(client, people, app):
    log_in(client, "al@example.test")
    post_form(client, "/account/two-factor/enable",
              {"method": "sms", "password": "agent-pw", "mobile_number": "+44 7700 900123"})
    assert "+447700900123" in text(client.get("/account/two-factor/confirm"))
    code = re.search(r"\d{6}", app.sms.messages("+447700900123")[-1].text).group(0)
    done = post_form(client, "/account/two-factor/confirm", {"code": code}, follow_redirects=True)
    assert "<h1>Save your recovery codes</h1>" in text(done)
    assert "with SMS" in text(client.get("/account/two-factor"))


def test_demo_outbox_is_marked_and_lists_newest_first(client, people, mailbox):
    mailbox.send("a@example.test", "Older subject", "one")
    mailbox.send("a@example.test", "Newer subject", "two")
    page = text(client.get("/demo/outbox"))
    assert "Demo outbox — not part of the product" in page
    assert page.index("Newer subject") < page.index("Older subject")


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and 'role="alert"' in text(response)


def test_hostile_form_values_never_cause_a_500(client, people):
    for data in [{"email": "\x00", "password": "\x00"}, {"email": "a" * 60000, "password": "x"},
                 {"email": ["a", "b"], "password": "x"}, {}]:
        response = post_form(client, "/login", data)
        assert response.status_code < 500
    log_in(client, "ada@example.test")
    for path in ["/configuration/people/0/reset-two-factor", "/configuration/people/99999999999999999999999/reset-two-factor",
                 "/configuration/people/0/unlock", "/configuration/people/99999999999999999999999/unlock",
                 "/configuration/people/1/unlock", "/account/two-factor/verify", "/account/two-factor/verify/resend"]:
        assert post_form(client, path, {}, token_from="/configuration/people").status_code < 500, path
    for data in [{"password": "\x00"}, {"password": "x" * 5000, "next": "https://evil.example/"}, {"next": ["a", "b"]}, {}]:
        response = post_form(client, "/configuration/confirm-password", data)
        assert response.status_code < 500
        assert "evil.example" not in (response.location or "")
    for query in ["?person=0", "?person=-1", "?person=abc", "?person=99999999999999999999999", "?person=1&person=2", "?next=//x"]:
        assert client.get("/configuration/audit" + query).status_code < 500, query
        assert client.get("/configuration/confirm-password" + query).status_code < 500, query
    for code in ["", "\x00", "１２３４５６", "1" * 64]:
        assert post_form(client, "/account/two-factor/verify", {"code": code}, token_from="/configuration/people").status_code < 500


def test_an_administrator_reads_the_audit_trail_newest_first_with_where_it_came_from(client, people, app, mailbox):
    agent = client.application.test_client()
    headers = {"User-Agent": "Agent browser 1.0"}
    agent.get("/login", headers=headers)
    post_form(agent, "/login", {"email": "al@example.test", "password": "wrong"}, headers=headers)
    log_in(agent, "al@example.test")
    post_form(agent, "/logout", {}, token_from="/")
    log_in(client, "ada@example.test")
    page = text(client.get(f"/configuration/audit?person={people['agent'].id}"))
    rows = re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", page)
    assert [r[1] for r in rows][:3] == ["Signed out", "Signed in", "Wrong password"], rows
    assert rows[2] == ("al@example.test", "Wrong password", "127.0.0.1", "Agent browser 1.0"), rows


def test_a_session_held_at_the_set_up_reaches_only_the_set_up(client, people, app):
    log_in(client, "al@example.test")
    admin = app.login.begin("ada@example.test", "admin-pw").session_token
    app.admin.change_settings(admin, enforce_for_agents=True)
    for path in ["/", "/account/two-factor", "/account/security"]:
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/login/setup"), path
    assert "Your administrator requires two-factor authentication" in text(client.get("/login/setup"))


def _reset_link(mailbox, address: str) -> str:
    [mail] = [m for m in mailbox.inbox(address) if "password reset link" in m.subject]
    return re.search(r"https?://\S+", mail.body).group(0)


def test_the_reset_link_leads_to_the_configured_address_whatever_host_a_request_names(client, people, app, mailbox):
    app.deps.public_url = "https://halo.example.test"
    response = client.post("/api/password-reset", json={"email": "al@example.test"}, headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert _reset_link(mailbox, "al@example.test").startswith("https://halo.example.test/password-reset/")


def test_the_reset_pages_name_their_controls_and_move_the_token_out_of_the_address(client, people, mailbox):
    assert '<a href="/password-reset">Forgot your password?</a>' in text(client.get("/login"))
    ask = text(client.get("/password-reset"))
    assert "<h1>Reset your password</h1>" in ask and '<label for="email">Email</label>' in ask and ">Send the link</button>" in ask
    post_form(client, "/password-reset", {"email": "al@example.test"})
    token = _reset_link(mailbox, "al@example.test").rsplit("/", 1)[-1]
    opened = client.get(f"/password-reset/{token}")
    assert opened.status_code == 302 and opened.location.endswith("/password-reset/new-password") and token not in opened.location
    choose = text(client.get("/password-reset/new-password"))
    assert '<label for="password">New password</label>' in choose and ">Save the new password</button>" in choose
    assert token not in choose  # neither in the page nor in a hidden field: the cookie holds it
    saved = post_form(client, "/password-reset/new-password", {"password": "a new password of mine"})
    assert saved.status_code == 302 and saved.location == "/"  # no two-factor: the new password signs in
    post_form(client, "/logout", {}, token_from="/")
    assert log_in(client, "al@example.test", "agent-pw").status_code == 401
    used = client.get(f"/password-reset/{token}")
    assert used.status_code == 404 and "has already been used" in text(used)
