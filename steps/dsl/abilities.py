"""What a person has: a mailbox, a phone (which gets texts and runs an authenticator app).

These read what the app sent the way a person does: the mailbox from the local SMTP
server's inbox, the phone from the simulated SMS gateway, the authenticator app from a QR
code or a typed key, computing codes with pyotp at the phone's own time.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse

import pyotp

_CODE = re.compile(r"\b(\d{6})\b")


class Mailbox:
    def __init__(self, smtp, address: str):
        self._smtp, self.address = smtp, address

    def messages(self, subject_contains: str = ""):
        return [m for m in self._smtp.inbox(self.address) if subject_contains.lower() in m.subject.lower()]

    def codes(self) -> list[str]:
        """Every code received, oldest first."""
        return [m.group(1) for mail in self.messages("code") for m in [_CODE.search(mail.body)] if m]

    def latest_code(self) -> str:
        codes = self.codes()
        assert codes, f"No code has arrived in the mailbox of {self.address}."
        return codes[-1]


class Phone:
    def __init__(self, number: str, sms_gateway):
        self.number = number
        self._sms = sms_gateway
        self.clock_offset = dt.timedelta(0)  # how far the phone's clock is off the server's
        self.authenticator = AuthenticatorApp(self)

    def texts(self) -> list[str]:
        return [m.text for m in self._sms.messages(self.number)]

    def codes(self) -> list[str]:
        return [m.group(1) for text in self.texts() for m in [_CODE.search(text)] if m]

    def latest_code(self) -> str:
        codes = self.codes()
        assert codes, f"No code has arrived by SMS on {self.number}."
        return codes[-1]

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc) + self.clock_offset


class AuthenticatorApp:
    """A virtual Google/Microsoft Authenticator: it knows only what it scanned or was typed."""

    def __init__(self, phone: Phone):
        self._phone = phone
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

    @property
    def is_set_up(self) -> bool:
        return self._totp is not None

    def code(self) -> str:
        assert self._totp is not None, "The authenticator app has no account set up."
        return self._totp.at(self._phone.now())

    def codes_around(self, steps: int = 2) -> list[str]:
        """The codes of the periods near now, by the phone's clock."""
        now = self._phone.now()
        return [self._totp.at(now, counter_offset=k) for k in range(-steps, steps + 1)]
