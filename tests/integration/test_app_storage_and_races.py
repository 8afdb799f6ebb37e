"""The app's properties that a scenario cannot show: secrets at rest, atomic checks under races."""

import concurrent.futures
import datetime as dt
import sqlite3
import threading

import pyotp
import pytest
from freezegun import freeze_time

from sut import bootstrap
from sut.adapters.passwords import FAST
from sut.config import Config


class NullEmail:
    def __init__(self):
        self.sent = []

    def send(self, to, subject, body):
        self.sent.append((to, subject, body))


@pytest.fixture
def app(tmp_path):
    email = NullEmail()
    application = bootstrap.build(Config(database=tmp_path / "app.sqlite3", key_file=tmp_path / "keys" / "app.key",
                                         password_cost=FAST), email=email)
    application.email = email
    yield application
    application.close()


def enrol_authenticator(app, email="ana@example.test", password="correct horse"):
    app.admin.register_person(email, "Ana", "agent", password)
    session = app.login.begin(email, password).session_token
    started = app.enrolment.start(session, "authenticator", password=password)
    app.enrolment.confirm(session, started.token, pyotp.TOTP(started.key).at(dt.datetime.now(dt.timezone.utc), counter_offset=-1))
    return started.key


def test_authenticator_secrets_are_encrypted_at_rest_and_the_key_lives_elsewhere(app, tmp_path):
    key = enrol_authenticator(app)
    raw = (tmp_path / "app.sqlite3").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("app.sqlite3*") if p.is_file())
    assert key.encode() not in raw
    stored = sqlite3.connect(tmp_path / "app.sqlite3").execute("SELECT totp_secret FROM people").fetchone()[0]
    assert stored and key.encode() not in stored
    assert (tmp_path / "keys" / "app.key").stat().st_mode & 0o077 == 0, "the key file is readable by others"


def test_codes_and_passwords_are_never_stored_in_clear(app, tmp_path):
    app.admin.register_person("bo@example.test", "Bo", "agent", "a long password")
    session = app.login.begin("bo@example.test", "a long password").session_token
    app.enrolment.start(session, "email", password="a long password")
    code = app.email.sent[-1][2].split("code is ")[1][:6]
    dump = "\n".join(sqlite3.connect(tmp_path / "app.sqlite3").iterdump())
    assert code not in dump and "a long password" not in dump


def test_many_parallel_submissions_of_one_valid_code_let_exactly_one_in(app):
    with freeze_time("2026-03-02 09:00:10", real_asyncio=True):
        key = enrol_authenticator(app)
        attempts = [app.login.begin("ana@example.test", "correct horse").attempt_token for _ in range(8)]
        code = pyotp.TOTP(key).now()
        start = threading.Barrier(len(attempts))

        def submit(token):
            start.wait()
            try:
                return app.login.submit_code(token, code).status
            except Exception as error:  # refused: what matters is how many got in
                return type(error).__name__

        with concurrent.futures.ThreadPoolExecutor(len(attempts)) as pool:
            results = list(pool.map(submit, attempts))
    assert results.count("signed_in") == 1, results
    # The replays count as wrong codes, so the later ones meet the lock: refused either way.
    assert set(results) - {"signed_in"} <= {"InvalidCode", "Locked"}, results
