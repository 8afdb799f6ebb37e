"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, one inbox per address.

The acceptance harness and ``twofa serve`` run it so that email really goes over SMTP and
a person (or a test) reads it from an inbox. A harness that calls the app in-process may
hand it the same message without the socket (``deliver``), read by the same code.
"""

from __future__ import annotations

import dataclasses
import email
import email.header
import socket
import threading

from aiosmtpd.controller import Controller


@dataclasses.dataclass(frozen=True)
class ReceivedEmail:
    to: tuple[str, ...]
    subject: str
    body: str


class _Handler:
    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[ReceivedEmail] = []

    async def handle_DATA(self, server, session, envelope):
        self.keep(envelope.rcpt_tos, envelope.content)
        return "250 Message accepted for delivery"

    def keep(self, recipients: list[str], content: bytes) -> ReceivedEmail:
        """Read a message as it arrived (its bytes) into the inboxes of its recipients."""
        # The compat32 parser: several times faster than the modern policy, and the server
        # thread holds the interpreter while it parses.
        message = email.message_from_bytes(content)
        part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), None)
        payload = part.get_payload(decode=True) if part is not None else b""
        received = ReceivedEmail(
            to=tuple(a.lower() for a in recipients),
            subject=str(email.header.make_header(email.header.decode_header(message["Subject"] or ""))),
            body=payload.decode(part.get_content_charset() or "utf-8", "replace") if payload else "",
        )
        with self.lock:
            self.received.append(received)
        return received


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (aiosmtpd's controller cannot bind port 0 itself)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class LocalSmtpServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._handler = _Handler()
        self.host, self.port = host, port or free_port(host)
        self._controller = Controller(self._handler, hostname=host, port=self.port)

    def start(self) -> "LocalSmtpServer":
        try:
            self._controller.start()
        except (OSError, RuntimeError) as error:
            raise OSError(f"Cannot start the local SMTP server on {self.host}:{self.port}: {error}") from error
        return self

    def stop(self) -> None:
        self._controller.stop()

    def deliver(self, recipients: list[str], content: bytes) -> ReceivedEmail:
        """A message handed over in this process instead of over SMTP (``MailboxEmailSender``):
        read into the inboxes by the same code as a message that arrived over the socket."""
        return self._handler.keep(recipients, content)

    def inbox(self, address: str | None = None) -> list[ReceivedEmail]:
        with self._handler.lock:
            return [m for m in self._handler.received if address is None or address.lower() in m.to]

    def clear(self) -> None:
        with self._handler.lock:
            self._handler.received.clear()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
