"""Property-based tests of the authenticator window and replay rules, and of email/SMS codes."""

import datetime as dt

import pyotp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sut.domain import codes, totp
from sut.domain.errors import MalformedCode

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Seconds since the epoch, from 2001 to 2100.
moments = st.integers(min_value=1_000_000_000, max_value=4_100_000_000)


def at(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def accepted_step(secret: str, code: str, now: dt.datetime, last_step: int | None) -> int | None:
    """The time step of a code the app accepts, or None when it refuses it (wrong or replayed)."""
    result, step = totp.verdict(secret, code, now, last_step)
    return step if result == totp.ACCEPTED else None


@given(now=moments, offset=st.integers(min_value=-1, max_value=1))
def test_a_code_of_the_same_or_a_neighbouring_step_is_accepted(now, offset):
    code = pyotp.TOTP(SECRET).at(now, counter_offset=offset)
    assert accepted_step(SECRET, code, at(now), last_step=None) is not None


@given(now=moments, offset=st.integers(min_value=2, max_value=10_000), sign=st.sampled_from([-1, 1]))
def test_a_code_two_or_more_steps_away_is_refused_unless_it_collides(now, offset, sign):
    step = now // 30
    code = pyotp.TOTP(SECRET).at(now, counter_offset=sign * offset)
    window = {pyotp.TOTP(SECRET).at(now, counter_offset=k) for k in (-1, 0, 1)}
    matched = accepted_step(SECRET, code, at(now), last_step=None)
    if code in window:  # six digits collide now and then; the rule is about steps, not strings
        assert matched in {step - 1, step, step + 1}
    else:
        assert matched is None


@given(now=moments, offset=st.integers(min_value=-1, max_value=1), later=st.integers(min_value=0, max_value=45))
def test_an_accepted_step_is_never_accepted_again(now, offset, later):
    code = pyotp.TOTP(SECRET).at(now, counter_offset=offset)
    step = accepted_step(SECRET, code, at(now), last_step=None)
    assert accepted_step(SECRET, code, at(now + later), last_step=step) is None


@given(now=moments, earlier=st.integers(min_value=1, max_value=2))
def test_after_a_later_step_an_earlier_one_is_refused(now, earlier):
    newer = pyotp.TOTP(SECRET).at(now, counter_offset=1)
    last = accepted_step(SECRET, newer, at(now), last_step=None)
    older = pyotp.TOTP(SECRET).at(now, counter_offset=1 - earlier)
    assert accepted_step(SECRET, older, at(now), last_step=last) is None


@given(now=moments, last_offset=st.integers(min_value=-5, max_value=1), offset=st.integers(min_value=-1, max_value=1))
def test_the_step_rule_is_exactly_greater_than_the_last(now, last_offset, offset):
    last = now // 30 + last_offset
    code = pyotp.TOTP(SECRET).at(now, counter_offset=offset)
    matched = accepted_step(SECRET, code, at(now), last_step=last)
    step = now // 30 + offset
    window = [pyotp.TOTP(SECRET).at(now, counter_offset=k) for k in (-1, 0, 1)]
    if window.count(code) == 1:  # no collision inside the window
        assert (matched is not None) == (step > last)


@settings(max_examples=50)
@given(st.integers(min_value=0, max_value=999_999))
def test_codes_normalise_spaces_and_dashes(n):
    text = f"{n:06d}"
    assert codes.normalise(f" {text[:3]} {text[3:]} ") == text
    assert codes.normalise(f"{text[:3]}-{text[3:]}") == text


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12ab56", "１２３４５６", "12 34 5"])
def test_anything_but_six_ascii_digits_is_malformed(typed):
    with pytest.raises(MalformedCode):
        codes.normalise(typed)


def test_sent_codes_are_six_digits_and_stored_only_as_a_keyed_hash():
    key = b"k" * 32
    code = codes.new_code()
    assert len(code) == 6 and code.isdigit()
    digest = codes.digest(key, code)
    assert code not in digest and codes.matches(key, code, digest)
    assert not codes.matches(b"x" * 32, code, digest)


def test_sent_codes_are_drawn_from_a_million_by_the_csprng(monkeypatch):
    """A code must be one of all 10^6, each as likely (ASVS 2.7.x); six digits alone would not
    tell a draw from 0..59 padded with zeros, a guess in 60. The draw is the secrets module's."""
    bounds = []

    def randbelow(n):
        bounds.append(n)
        return n - 1

    monkeypatch.setattr(codes.secrets, "randbelow", randbelow)
    assert (codes.new_code(), bounds) == ("999999", [10**6])
