"""Helpers that act as a person at the pages, with the CSRF token a browser would send."""

from __future__ import annotations

import re
import threading

import pyotp

from sut.adapters.local_smtp import ReceivedEmail

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY = re.compile(r'<code class="key" aria-label="Key">([A-Z2-7 ]+)</code>')
SIX_DIGITS = re.compile(r"\b(\d{6})\b")
PASSWORDS = {"ada@example.test": "admin-pw", "al@example.test": "agent-pw", "una@example.test": "user-pw"}


class Mailbox:
    """An email sender that keeps what it sends (these tests need no SMTP server)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[ReceivedEmail] = []

    def send(self, to: str, subject: str, body: str) -> None:
        with self.lock:
            self.sent.append(ReceivedEmail(to=(to.lower(),), subject=subject, body=body))

    def inbox(self, address: str | None = None) -> list[ReceivedEmail]:
        with self.lock:
            return [m for m in self.sent if address is None or address.lower() in m.to]

    def last_code(self, address: str) -> str:
        """The code of the newest email to ``address`` that carries one."""
        for message in reversed(self.inbox(address)):
            match = SIX_DIGITS.search(message.body)
            if match:
                return match.group(1)
        raise AssertionError(f"no code was sent to {address}")


def csrf(client, path: str) -> str:
    page = client.get(path)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def post_form(client, path: str, data: dict, *, token_from: str | None = None, **kwargs):
    return client.post(path, data={**data, "csrf_token": csrf(client, token_from or path)}, **kwargs)


def log_in(client, email: str, password: str | None = None):
    return post_form(client, "/login", {"email": email, "password": password or PASSWORDS[email]})


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("twofa_session")
    return cookie.value if cookie else None


def enable_authenticator(client, email: str) -> pyotp.TOTP:
    """As a signed-in person: Enable > Authenticator app > password > scan > code > Confirm."""
    post_form(client, "/account/two-factor/enable",
              {"method": "authenticator", "password": PASSWORDS[email]})
    page = client.get("/account/two-factor/confirm").get_data(as_text=True)
    totp = pyotp.TOTP(KEY.search(page).group(1).replace(" ", ""))
    done = post_form(client, "/account/two-factor/confirm", {"code": totp.now()}, follow_redirects=True)
    assert "Two-factor authentication is on" in done.get_data(as_text=True)
    return totp
