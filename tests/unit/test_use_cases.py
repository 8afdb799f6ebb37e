"""The use cases on the in-memory store, with fakes for time, mail, texts and hashing: fast,
no database, no network (cosmicpython's FakeUnitOfWork idea). tests/integration keeps the
SQLite tests; the stores share one contract (tests/integration/test_store_contract.py)."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from sut.adapters.keys import Keys
from sut.adapters.memory_store import MemoryStore
from sut.domain import methods
from sut.domain.errors import InvalidCode, InvalidCredentials, InvalidSettings, Locked, NotAllowed
from sut.service_layer.administration import Administration
from sut.service_layer.enrolment import Enrolment
from sut.service_layer.login import Login
from sut.service_layer.ports import Dependencies

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self):
        self.moment = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.timezone.utc)

    def now(self):
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += dt.timedelta(seconds=seconds)


class PlainHasher:
    """Not a hash: these tests are about the use cases, not Argon2."""

    def hash(self, password):
        return "plain:" + password

    def verify(self, stored_hash, password):
        return stored_hash == "plain:" + password


class Outbox:
    def __init__(self):
        self.sent = []

    def send(self, to, *text):
        self.sent.append((to, "\n".join(text)))

    def code_for(self, to):
        return re.search(r"\b(\d{6})\b", [text for dest, text in self.sent if dest == to][-1]).group(1)


class World:
    def __init__(self):
        self.clock, self.email, self.sms = Clock(), Outbox(), Outbox()
        deps = Dependencies(store=MemoryStore(), clock=self.clock, passwords=PlainHasher(), keys=Keys(b"k" * 32),
                            email=self.email, sms=self.sms)
        self.login = Login(deps)
        self.enrolment = Enrolment(deps, self.login)
        self.admin = Administration(deps)
        self.admin.register_person("root@example.test", "Root", "agent", PASSWORD, is_admin=True)

    def person(self, email="amy@example.test", role="agent"):
        self.admin.register_person(email, email.split("@")[0].title(), role, PASSWORD)
        return email

    def signed_in(self, email):
        return self.login.begin(email, PASSWORD).session_token

    def set_up(self, email, method, mobile_number=None):
        session = self.signed_in(email)
        started = self.enrolment.start(session, method, password=PASSWORD, mobile_number=mobile_number)
        if started.key:
            app = pyotp.TOTP(started.key)
            self.enrolment.confirm(session, started.token, app.at(self.clock.now()))
            return app
        self.enrolment.confirm(session, started.token, (self.sms if mobile_number else self.email).code_for(started.destination))

    def settings(self, **changes):
        token = self.signed_in("root@example.test")
        return self.admin.change_settings(token, **changes)


@pytest.fixture
def world():
    return World()


def test_without_two_factor_the_password_alone_signs_in_and_a_wrong_one_is_refused(world):
    amy = world.person()
    assert world.login.begin(amy, PASSWORD).status == "signed_in"
    with pytest.raises(InvalidCredentials):
        world.login.begin(amy, "wrong")
    trail = world.admin.audit_trail(world.signed_in("root@example.test"))
    assert [e.event for e in trail if e.person_email == amy] == ["login_failed", "signed_in"]


def test_an_email_code_is_sent_at_the_password_step_and_lets_the_person_in_once(world):
    amy = world.person()
    world.set_up(amy, "email")
    progress = world.login.begin(amy, PASSWORD)
    assert (progress.status, progress.method, progress.destination) == ("code_required", methods.EMAIL, "a•••@example.test")
    code = world.email.code_for(amy)
    assert world.login.submit_code(progress.attempt_token, code).status == "signed_in"
    again = world.login.begin(amy, PASSWORD)
    world.email.sent.clear()
    with pytest.raises(InvalidCode):
        world.login.submit_code(again.attempt_token, code)  # the used code, replayed on a new attempt


def test_an_sms_set_up_proves_the_typed_number_and_codes_then_go_there(world):
    amy = world.person()
    world.set_up(amy, "sms", mobile_number="+44 7700 900123")
    progress = world.login.begin(amy, PASSWORD)
    assert progress.destination == "•" * 10 + "123"  # +447700900123, all but the last three hidden
    assert world.login.submit_code(progress.attempt_token, world.sms.code_for("+447700900123")).status == "signed_in"


def test_five_wrong_codes_lock_the_second_step_and_the_person_is_told(world):
    amy = world.person()
    world.set_up(amy, "email")
    attempt = world.login.begin(amy, PASSWORD).attempt_token
    right = world.email.code_for(amy)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(InvalidCode):
            world.login.submit_code(attempt, wrong)
    with pytest.raises(Locked):
        world.login.submit_code(attempt, wrong)
    with pytest.raises(Locked):
        world.login.submit_code(attempt, right)
    assert "two-factor sign-in is locked" in world.email.sent[-1][1]


def test_the_authenticator_code_that_confirmed_the_set_up_never_signs_in(world):
    amy = world.person()
    app = world.set_up(amy, "authenticator")
    attempt = world.login.begin(amy, PASSWORD).attempt_token
    with pytest.raises(InvalidCode):
        world.login.submit_code(attempt, app.at(world.clock.now()))
    world.clock.advance(30)
    assert world.login.submit_code(attempt, app.at(world.clock.now())).status == "signed_in"


def test_enforcement_holds_the_login_at_the_set_up_with_the_app_offered_first(world):
    amy = world.person()
    world.settings(enforce_for_agents=True)
    progress = world.login.begin(amy, PASSWORD)
    assert (progress.status, progress.methods_offered) == ("setup_required", (methods.AUTHENTICATOR, methods.EMAIL, methods.SMS))


def test_email_as_a_last_resort_is_offered_only_when_nothing_else_is_allowed(world):
    amy = world.person()
    world.settings(email_only_if_no_other=True)
    assert world.enrolment.status(world.signed_in(amy)).methods_offered == (methods.AUTHENTICATOR, methods.SMS)
    world.settings(authenticator_allowed=False, sms_allowed=False)
    assert world.enrolment.status(world.signed_in(amy)).methods_offered == (methods.EMAIL,)


def test_settings_are_changed_by_their_haloPSA_names_and_contradictions_are_refused_whole(world):
    form = world.settings(allow_for_users=True)
    assert form.as_dict() == {"allow_for_agents": True, "allow_for_users": True, "enforce_for_agents": False,
                              "enforce_for_users": False, "email_allowed": True, "sms_allowed": True,
                              "authenticator_allowed": True, "email_only_if_no_other": False,
                              "sso_bypass_2fa": False, "enforcement_grace_days": 0}
    with pytest.raises(InvalidSettings) as refused:
        world.settings(allow_for_users=False, enforce_for_users=True, sms_allowed=False)
    assert refused.value.message == "Two-factor cannot be enforced for users while it is not allowed for users."
    assert world.admin.settings(world.signed_in("root@example.test")).sms_allowed is True
    with pytest.raises(InvalidSettings, match="Unknown security setting"):
        world.settings(voice_allowed=True)
    for days in (91, -1, True, 2.5, "7"):  # a number of days is a whole number from 0 to 90, and not a yes
        with pytest.raises(InvalidSettings) as refused:
            world.settings(enforcement_grace_days=days)
        assert refused.value.message == "The days to set up two-factor authentication are a whole number from 0 to 90."
    assert world.settings(enforcement_grace_days=90).enforcement_grace_days == 90


def test_a_disallowed_method_cannot_be_set_up(world):
    amy = world.person()
    world.settings(sms_allowed=False)
    with pytest.raises(NotAllowed) as refused:
        world.enrolment.start(world.signed_in(amy), "sms", password=PASSWORD, mobile_number="+447700900123")
    assert refused.value.message == ("SMS is not allowed for two-factor authentication. "
                                     "Choose one of: Authenticator app, Email.")


def test_turning_off_takes_a_code_of_the_method_and_forgets_it(world):
    amy = world.person()
    world.set_up(amy, "email")
    session = world.login.submit_code(world.login.begin(amy, PASSWORD).attempt_token, world.email.code_for(amy)).session_token
    started = world.enrolment.begin_disable(session, PASSWORD)
    world.enrolment.confirm_disable(session, started.token, world.email.code_for(amy))
    status = world.enrolment.status(session)
    assert (status.enabled, status.method) == (False, None)
    assert world.login.begin(amy, PASSWORD).status == "signed_in"
