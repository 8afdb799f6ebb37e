"""The app's properties that a scenario cannot show: secrets at rest, private files, atomic
checks under races."""

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


def _parallel(app, attempts, code):
    start = threading.Barrier(len(attempts))

    def submit(token):
        start.wait()
        try:
            return app.login.submit_code(token, code).status
        except Exception as error:  # refused: what matters is how many got in, and why not
            return type(error).__name__

    with concurrent.futures.ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(submit, attempts))


def _counts(app):
    with app.deps.store.reading() as repo:
        person = repo.person_by_email("ana@example.test")
        return person.failed_codes, person.wrong_codes_in_a_row, person.is_locked(app.deps.clock.now())


def test_many_parallel_submissions_of_one_valid_code_let_exactly_one_in(app):
    with freeze_time("2026-03-02 09:00:10", real_asyncio=True):
        key = enrol_authenticator(app)
        attempts = [app.login.begin("ana@example.test", "correct horse").attempt_token for _ in range(20)]
        results = _parallel(app, attempts, pyotp.TOTP(key).now())
        # The others are replays of a code just used: refused, and no guess, so nobody is locked.
        assert results.count("signed_in") == 1, results
        assert set(results) - {"signed_in"} == {"InvalidCode"}, results
        assert _counts(app) == (0, 0, False)


def test_twenty_parallel_copies_of_one_valid_code_on_one_sign_in_lock_nobody(app):
    with freeze_time("2026-03-02 09:00:10", real_asyncio=True):
        key = enrol_authenticator(app)
        attempt = app.login.begin("ana@example.test", "correct horse").attempt_token
        results = _parallel(app, [attempt] * 20, pyotp.TOTP(key).now())
        # A double click, twenty times over: one sign-in, nineteen "already complete".
        assert results.count("signed_in") == 1, results
        assert results.count("AlreadySignedIn") == 19, results
        assert _counts(app) == (0, 0, False)


def test_the_database_its_wal_and_the_key_are_private(app, tmp_path):
    enrol_authenticator(app)  # writes: the WAL and its index exist now
    files = [tmp_path / "keys" / "app.key", *tmp_path.glob("app.sqlite3*")]
    assert {p.name for p in files} >= {"app.key", "app.sqlite3", "app.sqlite3-wal", "app.sqlite3-shm"}
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"
    # A database left readable by an earlier version is tightened when the app opens it.
    older = tmp_path / "older.sqlite3"
    sqlite3.connect(older).execute("CREATE TABLE t (x)").connection.commit()
    older.chmod(0o644)
    # So is a key file copied in with a loose umask (red-team finding after issue 7).
    (tmp_path / "keys" / "app.key").chmod(0o644)
    bootstrap.build(Config(database=older, key_file=tmp_path / "keys" / "app.key", password_cost=FAST),
                    email=NullEmail()).close()
    assert older.stat().st_mode & 0o077 == 0
    assert (tmp_path / "keys" / "app.key").stat().st_mode & 0o077 == 0


def test_set_ups_leave_no_encrypted_secret_behind(app, tmp_path):
    def secrets_kept():
        return sqlite3.connect(tmp_path / "app.sqlite3").execute(
            "SELECT COUNT(*) FROM challenges WHERE secret IS NOT NULL").fetchone()[0]

    with freeze_time("2026-03-02 09:00:10", real_asyncio=True) as clock:
        app.admin.register_person("bo@example.test", "Bo", "agent", "pw")
        session = app.login.begin("bo@example.test", "pw").session_token
        first = app.enrolment.start(session, "authenticator", password="pw")
        assert secrets_kept() == 1
        second = app.enrolment.start(session, "authenticator", password="pw")  # the first is void
        assert secrets_kept() == 1
        app.enrolment.confirm(session, second.token, pyotp.TOTP(second.key).now())  # the person's copy is the one in use
        assert secrets_kept() == 0
        clock.tick(dt.timedelta(seconds=30))
        app.enrolment.start(session, "email", password="pw")
        app.enrolment.verify_current(session, app.enrolment.start(session, "authenticator", password="pw").token,
                                     pyotp.TOTP(second.key).now())
        assert secrets_kept() == 1  # a change under way
        clock.tick(dt.timedelta(minutes=16))  # abandoned; it expired
        app.login.begin("bo@example.test", "pw")
        assert secrets_kept() == 0
    assert first.key and first.key != second.key


def test_the_password_step_counts_an_ipv6_client_by_its_64(app):
    # 30 failures from 30 addresses of one /64 are one network's 30 (LOGIN-4 through DOS-2).
    from sut.domain.clients import Client
    from sut.domain.errors import InvalidCredentials, RateLimited

    for i in range(30):
        with pytest.raises(InvalidCredentials):
            app.login.begin(f"nobody.{i}@accounts.invalid", "wrong", Client(f"2001:db8:7:7::{i + 1:x}"))
    with pytest.raises(RateLimited) as refused:
        app.login.begin("someone@accounts.invalid", "wrong", Client("2001:db8:7:7:ffff::1"))
    assert str(refused.value) == "Too many failed sign-ins from your network. Try again in 15 minutes."
    with pytest.raises(InvalidCredentials):  # the next /64 is another network
        app.login.begin("someone@accounts.invalid", "wrong", Client("2001:db8:7:8::1"))
