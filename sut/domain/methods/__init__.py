"""The second-factor methods the product offers, one module each, and their registry.

To add a method: a module beside these (a subclass of ``base.Method``), and its line in
``ALL``. A method of a new kind or channel also needs its dispatch in
``sut.service_layer.factors`` (and, for a new channel, a sender port and adapter).
"""

from __future__ import annotations

from ..errors import InvalidInput
from .authenticator import AUTHENTICATOR
from .base import Channel, Kind, Method
from .email import EMAIL
from .recovery import RECOVERY_CODE
from .sms import SMS

# In the order of HaloPSA's settings; ``offer_order`` sorts them as they are offered.
ALL: tuple[Method, ...] = (EMAIL, SMS, AUTHENTICATOR)

# Not offered as one's method: a backup that comes with any of them, at the same steps.
BACKUPS: tuple[Method, ...] = (RECOVERY_CODE,)

_BY_ID = {m.value: m for m in (*ALL, *BACKUPS)}


def by_id(value: str) -> Method:
    """The method of a stored id (the database, the cookie): an unknown id is a bug, not bad input."""
    return _BY_ID[value]


def parse(text) -> Method:
    """The method a person or a client named, or a clear refusal listing the choices."""
    if isinstance(text, Method):
        return text
    found = next((m for m in ALL if m.value == str(text).strip().lower()), None)
    if found is None:
        names = ", ".join(m.value for m in ALL)
        raise InvalidInput(f"Unknown two-factor method {text!r}; choose one of: {names}.")
    return found


def offer_order(methods) -> list[Method]:
    return sorted(methods, key=lambda m: m.preference)


def in_words(methods) -> str:
    """'email, SMS or authenticator app'."""
    names = [m.in_a_sentence for m in methods]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


__all__ = ["ALL", "AUTHENTICATOR", "BACKUPS", "EMAIL", "RECOVERY_CODE", "SMS", "Channel", "Kind", "Method", "by_id", "in_words", "offer_order", "parse"]
