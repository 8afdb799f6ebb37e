"""The bits of grammar steps share: who acts, which method, how a code is read."""

from __future__ import annotations

import re

from pytest_bdd import parsers

WHO = r"(?P<who>the (?:other agent|agent|user|administrator))"

# The product's names for the methods, as a person says them, mapped to the app's.
METHOD_WORDS = {
    "email": "email", "email codes": "email", "the code sent by email": "email",
    "sms": "sms", "sms codes": "sms", "the code sent by sms": "sms",
    "authenticator app": "authenticator", "an authenticator app": "authenticator",
    "authenticator apps": "authenticator", "the code from their authenticator app": "authenticator",
    "a code from their authenticator app": "authenticator",
}
CODE_SOURCE = r"(?P<source>the code sent by email|the code sent by SMS|the code from their authenticator app)"


def step(pattern: str):
    """A step pattern: ``{WHO}`` and ``{CODE_SOURCE}`` expand to the shared groups."""
    return parsers.re(pattern.replace("{WHO}", WHO).replace("{CODE_SOURCE}", CODE_SOURCE) + "$")


def method(words: str) -> str:
    key = words.strip().lower()
    if key not in METHOD_WORDS:
        raise ValueError(f"Unknown method wording {words!r}")
    return METHOD_WORDS[key]


def handle(who: str) -> str:
    return re.sub(r"^the ", "", who)
