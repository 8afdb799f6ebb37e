"""One contract, two stores: the in-memory store answers every query as SQLite does, so a use
case tested on it (tests/unit/test_use_cases.py) behaves the same on the real one."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from sut.adapters.memory_store import MemoryStore
from sut.adapters.sqlite_store import SqliteStore
from sut.domain import methods
from sut.domain.challenges import Challenge, Purpose, State
from sut.domain.clients import Client
from sut.domain.people import Person, Role
from sut.domain.settings import SecuritySettings

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


def at(seconds: int) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    made = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "contract.sqlite3")
    yield made
    made.close()


def add(store, email="amy@example.test", name="Amy", role=Role.AGENT, **fields) -> Person:
    with store.transaction() as repo:
        return repo.add_person(Person(None, email, name, role, "hash", **fields))


def challenge(store, person: Person, cid="c1", purpose=Purpose.LOGIN, state=State.CODE, **fields) -> Challenge:
    made = Challenge(cid, person.id, purpose, state, methods.EMAIL, at(0), at(900), **fields)
    with store.transaction() as repo:
        repo.add_challenge(made)
    return made


def test_a_person_is_found_by_id_and_by_email_in_any_ascii_case(store):
    amy = add(store, mobile_number="+447700900123")
    with store.reading() as repo:
        assert repo.person(amy.id) == amy
        assert repo.person_by_email("  AMY@Example.TEST ") == amy
        assert repo.person_by_email("bob@example.test") is None
        assert repo.person(amy.id + 1000) is None


def test_a_saved_person_keeps_every_field_and_a_returned_copy_changes_nothing_unsaved(store):
    amy = add(store)
    with store.transaction() as repo:
        person = repo.person(amy.id)
        person.method, person.totp_secret_encrypted, person.totp_last_step = methods.AUTHENTICATOR, b"secret", 7
        person.failed_codes, person.wrong_codes_in_a_row, person.locked_until, person.held = 2, 9, at(60), True
        repo.save_person(person)
        unsaved = repo.person(amy.id)
        unsaved.name = "Changed but not saved"
    with store.reading() as repo:
        assert repo.person(amy.id) == person


def test_people_come_by_role_then_name(store):
    add(store, "zed@example.test", "Zed", Role.USER)
    add(store, "bea@example.test", "Bea", Role.AGENT)
    add(store, "abe@example.test", "Abe", Role.USER)
    with store.reading() as repo:
        assert [p.name for p in repo.people()] == ["Bea", "Abe", "Zed"]


def test_a_time_step_advances_only_forwards(store):
    amy = add(store)
    with store.transaction() as repo:
        assert repo.advance_totp_step(amy.id, 10) is True
        assert repo.advance_totp_step(amy.id, 10) is False
        assert repo.advance_totp_step(amy.id, 9) is False
        assert repo.advance_totp_step(amy.id, 11) is True
        assert repo.person(amy.id).totp_last_step == 11


def test_settings_default_then_round_trip(store):
    with store.reading() as repo:
        assert repo.settings() == SecuritySettings()
    changed = SecuritySettings(allowed_for=frozenset(Role), enforced_for=frozenset({Role.USER}),
                               allowed_methods=frozenset({methods.EMAIL, methods.SMS}), last_resort=frozenset({methods.EMAIL}))
    with store.transaction() as repo:
        repo.save_settings(changed)
    with store.reading() as repo:
        assert repo.settings() == changed


def test_a_challenge_round_trips_and_forgets_its_secret_when_finished(store):
    amy = add(store)
    made = challenge(store, amy, purpose=Purpose.ENROL, state=State.OPEN, mobile_number="+447700900123")
    with store.transaction() as repo:
        assert repo.challenge("c1") == made
        repo.set_challenge_secret("c1", b"encrypted")
        repo.record_accepted_code("c1", "digest")
        assert repo.challenge("c1").secret == b"encrypted"
        repo.set_challenge_state("c1", State.DONE)
    with store.reading() as repo:
        done = repo.challenge("c1")
        assert (done.state, done.secret, done.accepted_code) == (State.DONE, None, "digest")
        assert repo.challenge("nope") is None


def test_expired_secrets_are_forgotten_and_live_ones_kept(store):
    amy = add(store)
    challenge(store, amy, "old", Purpose.ENROL, State.OPEN, secret=b"old")
    made = Challenge("new", amy.id, Purpose.ENROL, State.OPEN, methods.AUTHENTICATOR, at(0), at(2000), secret=b"new")
    with store.transaction() as repo:
        repo.add_challenge(made)
        repo.forget_expired_secrets(at(900))
    with store.reading() as repo:
        assert repo.challenge("old").secret is None
        assert repo.challenge("new").secret == b"new"


def test_voiding_open_challenges_spares_finished_ones_other_purposes_and_the_kept_one(store):
    amy, bob = add(store), add(store, "bob@example.test", "Bob")
    challenge(store, amy, "login", Purpose.LOGIN, State.CODE)
    challenge(store, amy, "enrol", Purpose.ENROL, State.OPEN)
    challenge(store, amy, "kept", Purpose.ENROL, State.VERIFY)
    challenge(store, amy, "done", Purpose.ENROL, State.DONE)
    challenge(store, bob, "bobs", Purpose.ENROL, State.OPEN)
    with store.transaction() as repo:
        repo.add_code("enrol", amy.id, "d1", at(1), at(601))
        repo.void_open_challenges(amy.id, purpose=Purpose.ENROL, keep="kept")
    with store.reading() as repo:
        states = {cid: repo.challenge(cid).state for cid in ("login", "enrol", "kept", "done", "bobs")}
        assert states == {"login": State.CODE, "enrol": State.VOID, "kept": State.VERIFY, "done": State.DONE,
                          "bobs": State.OPEN}
        assert repo.live_code("enrol") is None
    with store.transaction() as repo:
        repo.void_open_challenges(amy.id)
        assert repo.challenge("login").state is State.VOID


def test_a_new_code_voids_the_older_one_and_a_code_is_used_once(store):
    amy = add(store)
    challenge(store, amy)
    with store.transaction() as repo:
        repo.add_code("c1", amy.id, "first", at(0), at(600))
        repo.add_code("c1", amy.id, "second", at(30), at(630))
        live = repo.live_code("c1")
        assert (live.digest, live.sent_at, live.expires_at) == ("second", at(30), at(630))
        assert repo.last_code_sent_at("c1") == at(30)
        assert repo.codes_sent_since(amy.id, at(0)) == [at(30)]
        assert repo.codes_sent_since(amy.id, at(-1)) == [at(0), at(30)]
        assert repo.use_code(live.id) is True
        assert repo.use_code(live.id) is False
        assert repo.live_code("c1") is None
        assert repo.was_used(amy.id, "second", since=at(0)) is True
        assert repo.was_used(amy.id, "second", since=at(30)) is False
        assert repo.was_used(amy.id, "first", since=at(-1)) is False  # voided, never used
        assert repo.last_code_sent_at("nothing sent") is None


def test_voided_codes_cannot_be_used(store):
    amy = add(store)
    challenge(store, amy)
    with store.transaction() as repo:
        repo.add_code("c1", amy.id, "d", at(0), at(600))
        code_id = repo.live_code("c1").id
        repo.void_codes_of("c1")
        assert repo.use_code(code_id) is False


def test_sessions_record_activity_forwards_and_end_alone_or_all_but_one(store):
    amy, bob = add(store), add(store, "bob@example.test", "Bob")
    with store.transaction() as repo:
        for sid, person in (("s1", amy), ("s2", amy), ("s3", amy), ("b1", bob)):
            repo.add_session(sid, person.id, at(0))
        repo.record_activity("s1", at(60))
        repo.record_activity("s1", at(30))  # never backwards
        repo.record_password_entry("s2", at(90))
    with store.transaction() as repo:
        s1, s2 = repo.session("s1"), repo.session("s2")
        assert (s1.person_id, s1.created_at, s1.last_seen, s1.password_at) == (amy.id, at(0), at(60), at(0))
        assert (s2.last_seen, s2.password_at) == (at(90), at(90))
        assert repo.end_session("s3") is True and repo.end_session("s3") is False
        repo.end_sessions_of(amy.id, keep="s2")
    with store.reading() as repo:
        assert [repo.session(s) is not None for s in ("s1", "s2", "s3", "b1")] == [False, True, False, True]


def test_password_failures_by_account_and_by_address(store):
    with store.transaction() as repo:
        first = repo.add_password_failure(at(0), "amy@example.test", "192.0.2.1")
        repo.add_password_failure(at(10), "amy@example.test", "192.0.2.2")
        repo.add_password_failure(at(20), "bob@example.test", "192.0.2.1")
        repo.add_password_failure(at(30), "bob@example.test", "192.0.2.9")
        assert repo.password_failures(account="amy@example.test", since=at(-1)) == [at(0), at(10)]
        assert repo.password_failures(address="192.0.2.1", since=at(0)) == [at(20)]
        assert repo.password_failures(account="amy@example.test", address="192.0.2.1", since=at(-1)) == [at(0)]
        with pytest.raises(ValueError):
            repo.password_failures(since=at(-1))
        repo.clear_password_failures("bob@example.test", address="192.0.2.9")
        assert repo.password_failures(account="bob@example.test", since=at(-1)) == [at(20)]
        repo.forget_password_failure(first)
        assert repo.password_failures(account="amy@example.test", since=at(-1)) == [at(10)]
        repo.forget_password_failures_before(at(15))
        assert repo.password_failures(address="192.0.2.2", since=at(-1)) == []
        repo.clear_password_failures("bob@example.test")
        assert repo.password_failures(account="bob@example.test", since=at(-1)) == []


def test_reset_requests_by_account_and_by_address_and_forgotten_when_old(store):
    with store.transaction() as repo:
        repo.add_reset_request(at(0), "amy@example.test", "192.0.2.1")
        repo.add_reset_request(at(10), "amy@example.test", "192.0.2.2")
        repo.add_reset_request(at(20), "nobody@example.test", "192.0.2.1")
        assert repo.reset_requests(account="amy@example.test", since=at(-1)) == [at(0), at(10)]
        assert repo.reset_requests(address="192.0.2.1", since=at(0)) == [at(20)]
        assert repo.reset_requests(account="amy@example.test", address="192.0.2.2", since=at(-1)) == [at(10)]
        with pytest.raises(ValueError):
            repo.reset_requests(since=at(-1))
        repo.forget_reset_requests_before(at(15))
        assert repo.reset_requests(address="192.0.2.1", since=at(-1)) == [at(20)]
        assert repo.reset_requests(account="amy@example.test", since=at(-1)) == []
        # Not the wrong passwords' count: asking for a link slows no sign-in.
        assert repo.password_failures(address="192.0.2.1", since=at(-1)) == []


def test_the_audit_trail_is_newest_first_with_the_email_and_the_client(store):
    amy, bob = add(store), add(store, "bob@example.test", "Bob")
    client = Client.of("192.0.2.7", "Firefox")
    with store.transaction() as repo:
        repo.audit(at(0), amy.id, "signed_in", "", client)
        repo.audit(at(1), bob.id, "wrong_code", "login")
        repo.audit(at(2), None, "login_failed", "unknown account", client)
        repo.audit(at(3), amy.id, "signed_out")
    with store.reading() as repo:
        everything = repo.audit_events()
        assert [(e.event, e.person_email) for e in everything] == [
            ("signed_out", "amy@example.test"), ("login_failed", None), ("wrong_code", "bob@example.test"),
            ("signed_in", "amy@example.test")]
        assert (everything[-1].at, everything[-1].address, everything[-1].user_agent) == (at(0), "192.0.2.7", "Firefox")
        assert [e.event for e in repo.audit_events(amy.id)] == ["signed_out", "signed_in"]
        assert [e.event for e in repo.audit_events(limit=2)] == ["signed_out", "login_failed"]


def test_a_transaction_that_fails_leaves_nothing_behind(store):
    amy = add(store)
    challenge(store, amy)
    with pytest.raises(RuntimeError):
        with store.transaction() as repo:
            person = repo.person(amy.id)
            person.failed_codes = 3
            repo.save_person(person)
            repo.add_person(Person(None, "bob@example.test", "Bob", Role.USER, "hash"))
            repo.add_code("c1", amy.id, "d", at(0), at(600))
            repo.set_challenge_state("c1", State.DONE)
            repo.add_session("s1", amy.id, at(0))
            repo.audit(at(0), amy.id, "signed_in")
            repo.save_settings(SecuritySettings(enforced_for=frozenset({Role.AGENT})))
            raise RuntimeError("the unit of work fails")
    with store.reading() as repo:
        assert repo.person(amy.id).failed_codes == 0
        assert repo.person_by_email("bob@example.test") is None
        assert repo.live_code("c1") is None and repo.challenge("c1").state is State.CODE
        assert repo.session("s1") is None and repo.audit_events() == []
        assert repo.settings() == SecuritySettings()


def test_a_step_is_advanced_once_among_threads_racing_for_it(store):
    amy = add(store)
    results, barrier = [], threading.Barrier(8)

    def race():
        barrier.wait()
        with store.transaction() as repo:
            results.append(repo.advance_totp_step(amy.id, 42))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_settings_saved_by_an_earlier_version_read_as_the_sets_they_meant(tmp_path):
    """A database written before the settings became sets loses none of them."""
    import json
    import sqlite3

    path = tmp_path / "older.sqlite3"
    SqliteStore(path).close()
    flags = {"allow_for_agents": True, "allow_for_users": True, "enforce_for_agents": False, "enforce_for_users": True,
             "email_allowed": True, "sms_allowed": False, "authenticator_allowed": True, "email_only_if_no_other": True}
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO settings (id, json) VALUES (1, ?)", (json.dumps(flags),))
    store = SqliteStore(path)
    with store.reading() as repo:
        assert repo.settings() == SecuritySettings(
            allowed_for=frozenset({Role.AGENT, Role.USER}), enforced_for=frozenset({Role.USER}),
            allowed_methods=frozenset({methods.EMAIL, methods.AUTHENTICATOR}), last_resort=frozenset({methods.EMAIL}))
    store.close()
