"""What a person has to read codes with: a mailbox, the texts on their phone, an authenticator app.

One ability per second-factor method (``steps/methods.py`` names which one a method's codes
are read from), all of one shape, ``CodeReader``: ``latest_code()`` is the code the person
would type now, ``codes()`` every code that could pass now (so that a "wrong" code is
surely wrong). They read what the app sent the way a person does: the mailbox from the
local SMTP server's inbox, the texts from the simulated SMS gateway, the authenticator app
from a QR code or a typed key, computing codes with pyotp at the phone's own time.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse
from typing import Protocol

import pyotp

# Six digits standing alone: a code, not part of an address (a mail that greets
# "sam.jones.607437@example.com" holds no code in it).
_CODE = re.compile(r"(?<![\w.@+-])(\d{6})(?![\w@]|\.\w)")


_LINK = re.compile(r"https?://[^\s<>\"]+")


class CodeReader(Protocol):
    def latest_code(self) -> str: ...
    def codes(self) -> list[str]: ...


class Mailbox:
    def __init__(self, smtp, address: str, topics: dict[str, str] | None = None):
        self._smtp, self.address = smtp, address
        self._topics = topics or {}  # what the features call a topic -> the product's words for it
        self._marked = 0  # how many emails the inbox held when the person's last action began

    def mark(self) -> None:
        """The person begins an action: what arrives from now on is what it brought."""
        self._marked = len(self._smtp.inbox(self.address))

    def since_mark(self) -> list:
        """Every email that arrived since the person's last action began, oldest first."""
        return self._smtp.inbox(self.address)[self._marked:]

    def messages(self, about: str = "") -> list:
        """The emails whose subject speaks of ``about``, oldest first."""
        about = self._topics.get(about, about)
        return [m for m in self._smtp.inbox(self.address) if about.lower() in m.subject.lower()]

    def codes(self) -> list[str]:
        """Every code received, oldest first."""
        return [m.group(1) for mail in self.messages("code") for m in [_CODE.search(mail.body)] if m]

    def links(self, about: str) -> list[str]:
        """The web links in the emails about ``about``, oldest first, as a person would click them."""
        return [m.group(0) for mail in self.messages(about) for m in _LINK.finditer(mail.body)]

    def latest_code(self) -> str:
        codes = self.codes()
        assert codes, f"No code has arrived in the mailbox of {self.address}."
        return codes[-1]


class Texts:
    """The text messages (SMS) on a phone."""

    def __init__(self, number: str, sms_gateway, topics: dict[str, str] | None = None):
        self.number, self._sms = number, sms_gateway
        self._topics = topics or {}

    def messages(self, about: str = "") -> list[str]:
        about = self._topics.get(about, about)
        return [m.text for m in self._sms.messages(self.number) if about.lower() in m.text.lower()]

    def codes(self) -> list[str]:
        return [m.group(1) for text in self.messages() for m in [_CODE.search(text)] if m]

    def latest_code(self) -> str:
        codes = self.codes()
        assert codes, f"No code has arrived by SMS on {self.number}."
        return codes[-1]


class RecoverySheet:
    """The recovery codes the person printed or saved when they were shown, crossing each off as
    they use it; an older sheet is kept (a person may still try a code of a replaced set)."""

    def __init__(self):
        self.current: tuple[str, ...] = ()
        self.replaced: list[tuple[str, ...]] = []
        self.crossed_off: list[str] = []

    def save(self, codes) -> None:
        if self.current:
            self.replaced.append(self.current)
        self.current, self.crossed_off = tuple(codes), []

    def codes(self) -> list[str]:
        return [c for c in self.current if c not in self.crossed_off]

    def latest_code(self) -> str:
        """The next code not yet crossed off, which the person now crosses off."""
        left = self.codes()
        assert left, "The person has no unused recovery code saved."
        self.crossed_off.append(left[0])
        return left[0]

    def from_replaced_set(self) -> str:
        assert self.replaced, "The person never had a set of recovery codes replaced."
        return self.replaced[-1][0]


class Phone:
    """A phone: a number that gets texts, a clock of its own, an authenticator app."""

    def __init__(self, number: str, sms_gateway, text_topics: dict[str, str] | None = None):
        self.number = number
        self.texts = Texts(number, sms_gateway, text_topics)
        self.clock_offset = dt.timedelta(0)  # how far the phone's clock is off the server's
        self.authenticator = AuthenticatorApp(self.now)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc) + self.clock_offset


class AuthenticatorApp:
    """A virtual Google/Microsoft Authenticator: it knows only what it scanned or was typed."""

    def __init__(self, now):
        self._now = now  # the phone's clock
        self._totp: pyotp.TOTP | None = None
        self.account: dict[str, str] = {}

    def scan(self, qr_png: bytes) -> None:
        """Read a QR code from a picture of the screen, as a phone camera does."""
        import zxingcpp
        from PIL import Image

        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png)))
        assert found, "The authenticator app could not read the QR code on the screen."
        self.add_from_uri(found[0].text)

    def add_from_uri(self, uri: str) -> None:
        assert uri.startswith("otpauth://totp/"), f"Not an authenticator set-up: {uri!r}"
        self._totp = pyotp.parse_uri(uri)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(uri).query))
        label = urllib.parse.unquote(urllib.parse.urlsplit(uri).path.lstrip("/"))
        self.account = {"label": label, **query}

    def type_key(self, key: str) -> None:
        # Typed keys get the defaults every app uses: SHA1, 6 digits, 30 seconds.
        self._totp = pyotp.TOTP(key.replace(" ", "").upper())
        self.account = {"secret": key}

    def latest_code(self) -> str:
        """The code the app shows now, by the phone's clock."""
        assert self._totp is not None, "The authenticator app has no account set up."
        return self._totp.at(self._now())

    def codes(self, steps: int = 2) -> list[str]:
        """The codes of the periods near now, by the phone's clock (none before a set-up)."""
        if self._totp is None:
            return []
        now = self._now()
        return [self._totp.at(now, counter_offset=k) for k in range(-steps, steps + 1)]
