"""What every second-factor method knows about itself; each method is one module beside this one.

A method is either of two kinds: codes sent at the moment they are needed, through a channel
(email, SMS), or codes the person's own device computes from the time (an authenticator app).
The use cases dispatch on the kind and the channel (``sut.service_layer.factors``); the pages
and the API take a method's words from here. Adding a method of an existing kind and channel
is one module and one line in the registry (``__init__``).
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    SENT_CODE = "sent code"  # a one-time code sent to a destination, stored only as a keyed hash
    TIME_BASED = "time-based"  # RFC 6238: the device and the app share a secret and a clock
    LOOKUP_SECRET = "look-up secret"  # NIST 63B 5.1.2: codes printed once, each used once, kept as keyed hashes


class Channel(enum.Enum):
    """How a sent code travels (the service layer has one sender per channel)."""

    EMAIL = "email"
    SMS = "sms"


class Method:
    """One way to prove the second factor. Instances are singletons, compared by identity.

    ``value`` is the id stored in the database, the cookie and the API; never change it.
    """

    value: str
    label: str  # its name on screen: "Authenticator app"
    in_a_sentence: str  # its name inside a sentence: "authenticator app"
    kind: Kind
    channel: Channel | None = None  # sent codes only
    preference: int  # methods are offered in this order (lowest first; SMS is never the default)
    asks_for_mobile_number: bool = False
    # words on screen
    hint: str  # under its choice at the set-up
    allow_label: str  # its checkbox in the security settings
    sent_by: str = ""  # sent codes: "by email", in "We sent a code by email to ..."
    shown_by: str = ""  # time-based: "your authenticator app", in "Enter the code your authenticator app shows."
    scan_instruction: str = ""  # time-based: above the QR code at the set-up
    confirm_instruction: str  # after a set-up's first code was sent, or the app's key shown

    __slots__ = ()

    @property
    def sends_codes(self) -> bool:
        return self.kind is Kind.SENT_CODE

    def destination(self, email: str, mobile_number: str | None) -> str | None:
        """Where this method's codes go for a person with this address and number."""
        return None

    def masked(self, destination: str | None) -> str:
        """The destination shown so that the person knows where to look, half hidden."""
        return destination or ""

    def refusal(self, verdict) -> "TwoFactorError":
        """What the person is told when a code of this method is refused (replayed or wrong)."""
        from ..errors import InvalidCode

        return InvalidCode()

    def __repr__(self) -> str:
        return f"<method {self.value}>"

    def __reduce__(self):  # a singleton stays one when copied or pickled
        from . import by_id

        return by_id, (self.value,)
