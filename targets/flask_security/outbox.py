"""Where the Flask-Security target's email and text messages go: captured, per recipient.

Flask-Security sends email through its ``MailUtil`` (replaceable with ``mail_util_cls``) and
text messages through a sender registered in ``SmsSenderFactory.senders`` and named by
``SECURITY_SMS_SERVICE``; both are the product's documented seams, so the product's own code
decides what is sent and when. The sender class is registered once, process-wide, and finds
the outbox of the app it runs in through ``current_app``, so apps in one process stay apart.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

from flask import current_app
from flask_security import MailUtil
from flask_security.utils import SmsSenderBaseClass, SmsSenderFactory

EXTENSION = "twofa_target_outbox"
SMS_SERVICE = "Capture"

# The codes Flask-Security sends are passlib TOTP tokens: 6 digits, alone as a word.
_CODE = re.compile(r"\b(\d{6})\b")


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    sent_at: datetime


@dataclass(frozen=True)
class Text:
    to: str
    body: str
    sent_at: datetime


@dataclass
class Outbox:
    """Every email and text the app sent, in order, with the clock's time of sending."""

    emails: list[Email] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def mail_to(self, address: str) -> list[Email]:
        with self._lock:
            return [m for m in self.emails if m.to.lower() == address.lower()]

    def texts_to(self, number: str) -> list[Text]:
        with self._lock:
            return [t for t in self.texts if t.to == number]

    def record_email(self, email: Email) -> None:
        with self._lock:
            self.emails.append(email)

    def record_text(self, text: Text) -> None:
        with self._lock:
            self.texts.append(text)


def code_in(message: Email | Text) -> str:
    """The one 6-digit code a message carries; an error says so when it carries none or two."""
    codes = _CODE.findall(message.body)
    if len(set(codes)) != 1:
        raise ValueError(f"expected one 6-digit code in the message to {message.to}, found {codes}: {message.body!r}")
    return codes[0]


def _now() -> datetime:
    # datetime.now is what freezegun controls, like the product's own timestamps.
    return datetime.now(timezone.utc)


def _outbox() -> Outbox:
    return current_app.extensions[EXTENSION]


class CapturingMailUtil(MailUtil):
    """Keeps each email in the app's outbox; with MAIL_SERVER set, also sends it by SMTP."""

    def send_mail(self, template, subject, recipient, sender, body, html, **kwargs) -> None:
        to = recipient if isinstance(recipient, str) else recipient[1]
        _outbox().record_email(Email(to=to, subject=str(subject), body=body or "", sent_at=_now()))
        if current_app.config.get("MAIL_SERVER"):
            super().send_mail(template, subject, recipient, sender, body, html, **kwargs)


class CapturingSmsSender(SmsSenderBaseClass):
    """The test SMS gateway: the text lands in the app's outbox under the number sent to."""

    def send_sms(self, from_number: str, to_number: str, msg: str) -> None:
        _outbox().record_text(Text(to=to_number, body=str(msg), sent_at=_now()))


SmsSenderFactory.senders[SMS_SERVICE] = CapturingSmsSender
