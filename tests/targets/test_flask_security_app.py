"""What Flask-Security 5 really does where our features make a claim, through its JSON API.

Each probe drives the target app (targets.flask_security) as a client would, under a frozen
clock, and asserts the product's actual answer, whether or not it is what our requirements
ask: these tests pin down the product's behaviour so that docs/targets.md's capability table
rests on evidence, and a new release that changes it shows up here. A test named
``..._finding`` shows a place where the product differs from the requirement it names.
"""

from __future__ import annotations

import time

import pytest
from freezegun import freeze_time
from passlib.totp import TOTP

from targets.flask_security import (
    authenticator_code,
    create_app,
    create_person,
    give_two_factor,
    last_code_mailed,
    last_code_texted,
    outbox,
    set_two_factor_required,
    two_factor_of,
)

# Flask-Security 5.9's forms pass WTForms choices as tuples, which WTForms 3.3 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:Passing SelectField choices as tuples:DeprecationWarning")

START = "2026-03-02 09:00:00"  # on a 30-second boundary, so period arithmetic is exact
EMAIL = "ann.agent@example.com"
PASSWORD = "correct horse battery staple"
PHONE = "+447911123456"  # phonenumbers refuses Ofcom's drama range +44 7700 900xxx
JSON = {"Accept": "application/json"}
# A fixed secret, so that every code of a run is the same on the next (the product's own
# secrets are random; the set-up probes use those, and assert nothing that depends on them).
KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def clock():
    with freeze_time(START, tick=False) as frozen:
        yield frozen


@pytest.fixture
def app(tmp_path, clock):
    app = create_app(tmp_path / "flask-security.db", cheap_password_hashing=True)
    create_person(app, EMAIL, PASSWORD)
    return app


class Client:
    """One browser's worth of cookies, speaking the product's JSON API with its CSRF token."""

    def __init__(self, app):
        self._http = app.test_client()
        self._headers = dict(JSON, **{"X-CSRF-Token": self.get("/login")["csrf_token"]})

    def get(self, path):
        return self._http.get(path, headers=JSON).json["response"]

    def post(self, path, body=None):
        answer = self._http.post(path, json=body or {}, headers=self._headers)
        return answer.status_code, answer.json["response"]

    def reaches_protected_page(self) -> bool:
        return self._http.get("/", headers=JSON).status_code == 200

    def session_cookie(self) -> str:
        return self._http.get_cookie("session").value

    def put_back_session_cookie(self, value: str) -> None:
        self._http.set_cookie("session", value)

    def log_in(self, email=EMAIL, password=PASSWORD):
        return self.post("/login", {"email": email, "password": password})

    def enter_code(self, code):
        return self.post("/tf-validate", {"code": code})


def now_code(key, offset_seconds=0):
    return authenticator_code(key, time.time() + offset_seconds)


def wrong_code(key):
    """A code that no period within ten minutes of now has for ``key``."""
    near = {now_code(key, seconds) for seconds in range(-600, 601, 30)}
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in near)


def signed_in(app, key=None):
    """A client through both steps (password, then the authenticator's code)."""
    client = Client(app)
    client.log_in()
    if key:
        assert client.enter_code(now_code(key))[0] == 200
    assert client.reaches_protected_page()
    return client


# --- The time hook ------------------------------------------------------------------------
def test_passlib_totp_reads_the_wall_clock_under_freezegun_so_the_app_injects_its_own(clock):
    # Why targets.flask_security.app.totp_class_reading exists: passlib binds time.time as a
    # class attribute, which freezegun does not patch. If this starts failing, the hook can go.
    assert TOTP.now() != pytest.approx(time.time(), abs=3600)


# --- Logging in ---------------------------------------------------------------------------
def test_without_two_factor_the_password_alone_signs_in(app):
    client = Client(app)
    status, answer = client.log_in()
    assert (status, answer["tf_required"]) == (200, False)
    assert client.reaches_protected_page()


def test_wrong_password_and_unknown_address_get_different_messages_finding(app):
    # LOGIN-2 asks for one message for both; by default (RETURN_GENERIC_RESPONSES off) the
    # product says which part was wrong.
    assert Client(app).log_in(password="wrong")[1]["errors"] == ["Invalid password"]
    assert Client(app).log_in(email="nobody@example.com")[1]["errors"] == ["Specified user does not exist"]


def test_generic_responses_setting_gives_one_message(tmp_path, clock):
    app = create_app(tmp_path / "generic.db", generic_responses=True, cheap_password_hashing=True)
    create_person(app, EMAIL, PASSWORD)
    generic = ["Authentication failed - identity or password/passcode invalid"]
    assert Client(app).log_in(password="wrong")[1]["errors"] == generic
    assert Client(app).log_in(email="nobody@example.com")[1]["errors"] == generic


def test_wrong_passwords_are_not_slowed_down_finding(app):
    # LOGIN-3 and LOGIN-4: the product has no throttle (UserMixin.is_locked, the hook for one,
    # returns False); the right password after 30 wrong ones goes straight through.
    client = Client(app)
    assert {client.log_in(password="wrong")[0] for _ in range(30)} == {400}
    assert client.log_in()[0] == 200


def test_email_code_is_mailed_at_the_password_step_and_signs_in(app):
    give_two_factor(app, EMAIL, "email", key=KEY)
    client = Client(app)
    status, answer = client.log_in()
    assert (status, answer["tf_required"], answer["tf_state"], answer["tf_method"]) == (200, True, "ready", "email")
    [mail] = outbox(app).mail_to(EMAIL)
    code = last_code_mailed(app, EMAIL)
    assert mail.subject == "Two-Factor Login"
    assert mail.body == (
        f"Welcome {EMAIL}!\n\nYou can log into your account using the following code: {code}\n\n"
        "This code will expire in 5 minutes."
    )
    assert not client.reaches_protected_page()
    assert client.enter_code(code)[0] == 200
    assert client.reaches_protected_page()


def test_sms_code_is_texted_to_the_phone_and_signs_in(app):
    give_two_factor(app, EMAIL, "sms", phone=PHONE, key=KEY)
    client = Client(app)
    assert client.log_in()[1]["tf_method"] == "sms"
    [text] = outbox(app).texts_to(PHONE)
    code = last_code_texted(app, PHONE)
    assert text.body == f"Use this code to sign in: {code}"
    assert outbox(app).mail_to(EMAIL) == []
    assert client.enter_code(code)[0] == 200
    assert client.reaches_protected_page()


def test_authenticator_code_signs_in_and_nothing_is_sent(app):
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    assert key == KEY  # the product stored and reads back the secret we chose
    client = Client(app)
    assert client.log_in()[1]["tf_method"] == "authenticator"
    assert client.enter_code(now_code(key))[0] == 200
    assert client.reaches_protected_page()
    assert (outbox(app).emails, outbox(app).texts) == ([], [])


def test_a_wrong_code_is_refused(app):
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = Client(app)
    client.log_in()
    wrong = wrong_code(key)
    status, answer = client.enter_code(wrong)
    assert (status, answer["errors"]) == (400, ["Invalid code"])
    assert not client.reaches_protected_page()


def test_wrong_codes_never_lock_finding(app):
    # LOCK-1: five wrong codes should lock the second step for 15 minutes. The product counts
    # nothing (UserMixin.track_failed_authn only sends a signal; is_locked returns False and
    # is asked at the password step only), so the 50th try with the right code gets in.
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = Client(app)
    client.log_in()
    wrong = wrong_code(key)
    assert {client.enter_code(wrong)[0] for _ in range(49)} == {400}
    assert client.enter_code(now_code(key))[0] == 200


def test_an_authenticator_user_can_have_the_apps_code_mailed_instead_finding(app):
    # TWO_FACTOR_RESCUE_EMAIL (on by default): at the code step, "rescue" by email mails the
    # authenticator's own current code to the account's address, so the second factor is
    # never stronger than the mailbox (ALLOW-3 keeps email a choice of the administrator).
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = Client(app)
    client.log_in()
    assert client.get("/tf-rescue")["recovery_options"] == {"email": "/tf-rescue", "help": "/tf-rescue"}
    assert client.post("/tf-rescue", {"help_setup": "email"})[0] == 200
    assert last_code_mailed(app, EMAIL) == now_code(key)
    assert client.enter_code(last_code_mailed(app, EMAIL))[0] == 200


# --- The authenticator's window and replays -----------------------------------------------
@pytest.mark.parametrize(
    "offset, accepted",
    [(-150, False), (-120, True), (-60, True), (-30, True), (30, True), (60, True), (120, True), (150, False)],
)
def test_authenticator_window_is_120_seconds_either_side(app, offset, accepted):
    # TWO_FACTOR_AUTHENTICATOR_VALIDITY = 120 s, passed to passlib as its search window: codes
    # of four periods either side are accepted. TOTP-1 accepts one period and refuses two
    # (the offsets of +-60 s are the finding).
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = Client(app)
    client.log_in()
    assert (client.enter_code(now_code(key, offset))[0] == 200) is accepted


def test_an_accepted_authenticator_code_is_accepted_again_finding(app):
    # TOTP-2: no replay protection; Totp.get_last_counter returns None unless an app
    # overrides it (the product's docs say so).
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    code = now_code(key)
    first, second = Client(app), Client(app)
    first.log_in()
    second.log_in()
    assert first.enter_code(code)[0] == 200
    assert second.enter_code(code)[0] == 200


# --- Email codes: lifetime, reuse, newer codes ---------------------------------------------
def test_email_code_lives_five_minutes_from_its_period(app, clock):
    # TWO_FACTOR_MAIL_VALIDITY = 300 s is a search window around the time of entry, so a code
    # sent at the start of a period works 329 s later and not 330 s. CODE-2 (at most 10
    # minutes) holds.
    give_two_factor(app, EMAIL, "email", key=KEY)
    client = Client(app)
    client.log_in()
    code = last_code_mailed(app, EMAIL)
    clock.tick(330)
    assert client.enter_code(code)[0] == 400
    clock.tick(-1)
    assert client.enter_code(code)[0] == 200


def test_a_used_email_code_signs_in_another_attempt_finding(app, clock):
    # CODE-3 (once), CODE-4 (a newer code voids it) and CODE-6 (bound to its sign-in): the
    # email code is the TOTP of the person's one secret, so any code of the last 5 minutes
    # completes any sign-in of that person, however often.
    give_two_factor(app, EMAIL, "email", key=KEY)
    first = Client(app)
    first.log_in()
    code = last_code_mailed(app, EMAIL)
    assert first.enter_code(code)[0] == 200
    clock.tick(90)
    later = Client(app)
    later.log_in()
    assert len(outbox(app).mail_to(EMAIL)) == 2 and last_code_mailed(app, EMAIL) != code  # a new code...
    assert later.enter_code(code)[0] == 200  # ...and the first one, already used, still works


def test_codes_are_sent_without_a_rate_limit_finding(app):
    # CODE-5: every password step mails a code; nothing limits how many.
    give_two_factor(app, EMAIL, "email", key=KEY)
    for _ in range(8):
        Client(app).log_in()
    assert len(outbox(app).mail_to(EMAIL)) == 8


# --- Setting up, changing, turning off ------------------------------------------------------
def test_authenticator_set_up_by_key_becomes_active_after_its_first_code(app):
    client = signed_in(app)
    status, setup = client.post("/tf-setup", {"setup": "authenticator"})
    assert status == 200
    key = setup["tf_authr_b32key"]
    assert len(key) == 32  # 160 bits, base32 unpadded
    assert setup["tf_authr_uri"] == (
        f"otpauth://totp/Flask-Security%20target:{EMAIL}?secret={key}&issuer=Flask-Security%20target"
    )
    assert two_factor_of(app, EMAIL)["method"] is None  # nothing changes before the first code
    assert client.post(f"/tf-setup/{setup['tf_state_token']}", {"code": now_code(key)})[0] == 200
    assert two_factor_of(app, EMAIL) == {"method": "authenticator", "phone": None}
    assert Client(app).log_in()[1]["tf_method"] == "authenticator"


def test_sms_set_up_confirms_the_number_with_a_texted_code(app):
    client = signed_in(app)
    status, setup = client.post("/tf-setup", {"setup": "sms", "phone": PHONE})
    assert (status, setup["tf_method"]) == (200, "sms")
    code = last_code_texted(app, PHONE)
    assert client.post(f"/tf-setup/{setup['tf_state_token']}", {"code": code})[0] == 200
    assert two_factor_of(app, EMAIL) == {"method": "sms", "phone": PHONE}


def test_an_unconfirmed_new_number_gets_the_sign_in_codes_at_once_finding(app):
    # SMS-1 and ENABLE-5: a number is to be used only once confirmed, and nothing changes
    # before the first code. The set-up view stores the new number on the person as soon as
    # the set-up starts (views.two_factor_setup: "TODO dont save here"), so the next sign-in
    # texts its code to a number nobody confirmed.
    give_two_factor(app, EMAIL, "sms", phone=PHONE, key=KEY)
    client = Client(app)
    client.log_in()
    assert client.enter_code(last_code_texted(app, PHONE))[0] == 200
    unconfirmed = "+14155550123"
    assert client.post("/tf-setup", {"setup": "sms", "phone": unconfirmed})[0] == 200
    assert two_factor_of(app, EMAIL) == {"method": "sms", "phone": unconfirmed}
    texts_before = len(outbox(app).texts_to(unconfirmed))
    other = Client(app)
    other.log_in()
    assert len(outbox(app).texts_to(unconfirmed)) == texts_before + 1
    assert other.enter_code(last_code_texted(app, unconfirmed))[0] == 200


def test_an_older_set_up_can_still_be_confirmed_finding(app):
    # ENABLE-6: starting a set-up should void the earlier one. The state token carries its own
    # secret and is good for TWO_FACTOR_SETUP_WITHIN (30 minutes), whatever came after.
    client = signed_in(app)
    older = client.post("/tf-setup", {"setup": "authenticator"})[1]
    client.post("/tf-setup", {"setup": "authenticator"})
    code = now_code(older["tf_authr_b32key"])
    assert client.post(f"/tf-setup/{older['tf_state_token']}", {"code": code})[0] == 200
    assert two_factor_of(app, EMAIL)["method"] == "authenticator"


def test_changing_method_needs_no_code_of_the_current_one_nor_the_password_finding(app):
    # CHANGE-1 and ENABLE-4: within FRESHNESS (24 hours after signing in) a change asks
    # neither the password again nor a code of the method in use.
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = signed_in(app, key)
    status, setup = client.post("/tf-setup", {"setup": "email"})
    assert status == 200
    assert client.post(f"/tf-setup/{setup['tf_state_token']}", {"code": last_code_mailed(app, EMAIL)})[0] == 200
    assert two_factor_of(app, EMAIL)["method"] == "email"


def test_a_change_a_day_after_signing_in_asks_to_verify_again(app, clock):
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = signed_in(app, key)
    clock.tick(25 * 3600 + 1)  # FRESHNESS 24 h plus its 1 h grace period
    status, answer = client.post("/tf-setup", {"setup": "email"})
    assert (status, answer["reauth_required"]) == (401, True)
    assert client.post("/verify", {"password": PASSWORD})[0] == 200
    assert client.post("/tf-setup", {"setup": "email"})[0] == 200


def test_turning_two_factor_off_needs_no_code_and_tells_nobody_finding(app):
    # OFF-1 asks for the password and a current code, and an email; NOTIFY-1 an email too.
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = signed_in(app, key)
    assert client.get("/tf-setup")["tf_available_methods"] == ["disable", "email", "authenticator", "sms"]
    assert client.post("/tf-setup", {"setup": "disable"})[0] == 200
    assert two_factor_of(app, EMAIL) == {"method": None, "phone": None}
    assert outbox(app).mail_to(EMAIL) == []
    assert Client(app).log_in()[1]["tf_required"] is False


# --- Two-factor required (enforcement for everyone) -----------------------------------------
def test_two_factor_required_forces_set_up_right_after_the_password(app):
    set_two_factor_required(app, True)
    client = Client(app)
    status, answer = client.log_in()
    assert (status, answer["tf_required"], answer["tf_state"]) == (200, True, "setup_from_login")
    assert not client.reaches_protected_page()
    assert client.post("/tf-setup", {"setup": "email"})[0] == 200
    assert not client.reaches_protected_page()
    assert client.enter_code(last_code_mailed(app, EMAIL))[0] == 200
    assert client.reaches_protected_page()
    assert two_factor_of(app, EMAIL)["method"] == "email"


def test_where_two_factor_is_required_it_cannot_be_turned_off(app):
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    set_two_factor_required(app, True)
    client = signed_in(app, key)
    assert "disable" not in client.get("/tf-setup")["tf_available_methods"]
    assert client.post("/tf-setup", {"setup": "disable"})[0] == 400
    assert two_factor_of(app, EMAIL)["method"] == "authenticator"


def test_required_reaches_no_session_opened_before_finding(app):
    # ENF-6: a session opened before enforcement should be taken to the set-up. The product
    # asks at the password step only.
    client = signed_in(app)
    set_two_factor_required(app, True)
    assert client.reaches_protected_page()


def test_turning_required_off_keeps_everyones_two_factor(app):
    give_two_factor(app, EMAIL, "authenticator", key=KEY)
    set_two_factor_required(app, True)
    set_two_factor_required(app, False)
    assert Client(app).log_in()[1]["tf_required"] is True
    assert two_factor_of(app, EMAIL)["method"] == "authenticator"


# --- Sessions -------------------------------------------------------------------------------
def test_a_copy_of_the_cookie_from_the_code_step_outlives_signing_out_finding(app):
    # SESSION-5: cancelling at the code step should end the attempt on the server. Flask keeps
    # the session in a signed cookie, so signing out clears only the browser's copy: a copy
    # taken at the code step still completes the sign-in.
    key = give_two_factor(app, EMAIL, "authenticator", key=KEY)
    client = Client(app)
    client.log_in()
    copy = client.session_cookie()
    assert client.post("/logout")[0] == 200
    assert not client.reaches_protected_page()
    client.put_back_session_cookie(copy)
    assert client.enter_code(now_code(key))[0] == 200
    assert client.reaches_protected_page()


def test_turning_two_factor_on_leaves_other_sessions_signed_in_finding(app):
    # SESSION-4: other sessions should end when two-factor is turned on.
    elsewhere = signed_in(app)
    here = signed_in(app)
    setup = here.post("/tf-setup", {"setup": "authenticator"})[1]
    assert here.post(f"/tf-setup/{setup['tf_state_token']}", {"code": now_code(setup["tf_authr_b32key"])})[0] == 200
    assert elsewhere.reaches_protected_page()


def test_a_session_never_ends_by_itself_finding(app, clock):
    # SESSION-2 (30 minutes idle) and SESSION-3 (12 hours): Flask-Login's session lasts as
    # long as the browser keeps its cookie; the product sets no idle or absolute limit.
    client = signed_in(app)
    clock.tick(13 * 3600)
    assert client.reaches_protected_page()


# --- Restart --------------------------------------------------------------------------------
def test_a_restart_with_the_same_keys_keeps_people_secrets_and_sessions(tmp_path, clock):
    # STORE-1, and what a target adapter needs to restart the product in a scenario.
    keys = dict(secret_key="k" * 32, totp_secrets={"1": "t" * 32}, cheap_password_hashing=True)
    before = create_app(tmp_path / "kept.db", **keys)
    create_person(before, EMAIL, PASSWORD)
    give_two_factor(before, EMAIL, "authenticator", key=KEY)
    session = signed_in(before, KEY).session_cookie()
    after = create_app(tmp_path / "kept.db", outbox=outbox(before), **keys)
    assert outbox(after) is outbox(before)
    still = Client(after)
    still.put_back_session_cookie(session)
    assert still.reaches_protected_page()
    assert signed_in(after, KEY).reaches_protected_page()
