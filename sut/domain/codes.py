"""Email and SMS codes: 6 CSPRNG digits, stored only as a keyed hash, short-lived, single use."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from .errors import MalformedCode

DIGITS = 6
LIFETIME = dt.timedelta(minutes=10)  # ASVS 4 2.7.2: at most 10 minutes
RESEND_AFTER = dt.timedelta(seconds=30)  # a resend waits this long after the last code
SENDS_PER_WINDOW = 5  # at most this many codes to one person ...
SEND_WINDOW = dt.timedelta(minutes=15)  # ... in this long (WSTG-ATHN-11)

_SIX_DIGITS = re.compile(r"[0-9]{6}")


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def normalise(typed: str, digits: int | None = None) -> str:
    """What the person typed, without spaces or dashes; anything but 6 ASCII digits is refused.

    ASCII only: pyotp would accept full-width digits, which gives a replay a second spelling.
    ``digits``: another length, for a study's shorter authenticator codes (``twofa simulate``).
    """
    cleaned = re.sub(r"[\s\-]", "", str(typed or ""))
    pattern = _SIX_DIGITS if digits in (None, 6) else re.compile(f"[0-9]{{{int(digits)}}}")
    if not pattern.fullmatch(cleaned):
        raise MalformedCode()
    return cleaned


def digest(key: bytes, code: str) -> str:
    """A keyed hash: a stolen database does not reveal codes (ASVS 4 2.7.6)."""
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def matches(key: bytes, code: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key, code), stored_digest)
