"""The lock's refusal tells how long it lasts, so an API client's Retry-After is true."""

import datetime as dt

from sut.domain import lockout
from sut.domain.people import Person, Role

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def person() -> Person:
    return Person(id=1, email="al@example.test", name="Al", role=list(Role)[0], password_hash="x")


def test_five_wrong_codes_lock_for_fifteen_minutes_and_the_refusal_says_so():
    al = person()
    outcomes = [lockout.record_wrong_code(al, NOW) for _ in range(5)]
    assert outcomes == [None, None, None, None, lockout.LOCKED]
    refusal = lockout.refusal(al, NOW + dt.timedelta(minutes=5, seconds=30))
    assert refusal.retry_after == 570
    assert refusal.message == ("Too many wrong codes. Two-factor sign-in is locked for this account; "
                               "try again in 10 minutes, or ask an administrator.")


def test_a_held_second_step_has_no_time_to_wait_for():
    al = person()
    for _ in range(lockout.MAX_WRONG_CODES_IN_A_ROW):
        lockout.record_wrong_code(al, NOW)
    refusal = lockout.refusal(al, NOW)
    assert al.held and refusal.retry_after is None and refusal.message == lockout.HELD_MESSAGE
