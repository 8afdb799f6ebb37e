"""Property-based tests of the password throttle's delays (sut.domain.throttling)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sut.domain import throttling

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def test_the_delay_doubles_from_a_second_after_five_free_failures_to_a_minute():
    delays = [throttling.account_delay(n) for n in range(13)]
    assert delays[:5] == [None] * 5
    assert [d.total_seconds() for d in delays[5:]] == [1, 2, 4, 8, 16, 32, 60, 60]


@given(failures=st.integers(min_value=11, max_value=100_000))
def test_the_delay_stays_at_a_minute_and_never_overflows(failures):
    # 2 ** 60 seconds overflowed timedelta: 65 failures in an hour from one address crashed the login.
    assert throttling.account_delay(failures) == throttling.MAX_DELAY


@given(seconds_apart=st.integers(min_value=1, max_value=35))
def test_a_hundred_failures_in_an_hour_hold_every_try_until_the_oldest_is_an_hour_old(seconds_apart):
    failures = [NOW - dt.timedelta(seconds=seconds_apart * i) for i in reversed(range(100))]
    wait = throttling.account_cap_wait(failures, NOW)
    assert wait == failures[0] + dt.timedelta(hours=1) - NOW
    assert throttling.account_cap_wait(failures[1:], NOW) is None


def test_the_message_counts_seconds_up_to_a_minute_then_minutes():
    assert throttling.account_message(dt.timedelta(seconds=1)) == \
        "Too many failed sign-ins for this account. Try again in 1 second."
    assert throttling.account_message(dt.timedelta(seconds=60)) == \
        "Too many failed sign-ins for this account. Try again in 60 seconds."
    assert throttling.account_message(dt.timedelta(seconds=61)) == \
        "Too many failed sign-ins for this account. Try again in 2 minutes."


def test_an_ipv6_client_is_counted_by_its_64_and_others_by_their_address():
    assert throttling.network_key("2001:db8:1:2:aaaa::1") == throttling.network_key("2001:db8:1:2:ffff::9") \
        == "2001:db8:1:2::/64"
    assert throttling.network_key("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert throttling.network_key("192.0.2.7") == "192.0.2.7"
    assert throttling.network_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert throttling.network_key("") == "" and throttling.network_key("not an address") == "not an address"
