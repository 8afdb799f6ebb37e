"""Email leaves over real SMTP, to whatever server the configuration names.

One connection is kept open and reused (as a mail relay client does), and opened again if
the server dropped it: connecting and greeting cost more than the message itself.

The message itself is composed by ``compose`` whatever carries it: the acceptance harness's
in-process world hands the same message straight to its mailbox (``MailboxEmailSender``).
"""

from __future__ import annotations

import smtplib
import threading
from email.mime.text import MIMEText

SENDER = "no-reply@halo.example"


def compose(sender: str, to: str, subject: str, body: str) -> MIMEText:
    """The message the app sends: plain text in UTF-8, from HaloPSA, to one person."""
    message = MIMEText(body, "plain", "utf-8")
    message["From"] = f"HaloPSA <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    return message


class SmtpEmailSender:
    def __init__(self, host: str, port: int, sender: str = SENDER, timeout: float = 10):
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self._lock = threading.Lock()
        self._smtp: smtplib.SMTP | None = None

    def send(self, to: str, subject: str, body: str) -> None:
        message = compose(self.sender, to, subject, body)
        with self._lock:
            try:
                self._connection().sendmail(self.sender, [to], message.as_string())
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                self._smtp = None  # the server closed an idle connection: open a new one, once
                self._connection().sendmail(self.sender, [to], message.as_string())

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                self._smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            except OSError as error:
                raise ConnectionError(f"Cannot reach the SMTP server at {self.host}:{self.port}: {error}") from error
        return self._smtp

    def close(self) -> None:
        with self._lock:
            if self._smtp is not None:
                try:
                    self._smtp.quit()
                except (smtplib.SMTPException, OSError):
                    pass
                self._smtp = None


class MailboxEmailSender:
    """Hands each message, composed and written out as for SMTP, to a mailbox in this process
    (``mailbox.deliver``, as ``LocalSmtpServer`` has): for a harness that calls the app in-process
    and would otherwise spend most of a scenario on SMTP round trips to itself."""

    def __init__(self, mailbox, sender: str = SENDER):
        self.mailbox, self.sender = mailbox, sender

    def send(self, to: str, subject: str, body: str) -> None:
        # As smtplib writes a message given as text: ASCII only (a header or body the
        # encoding left raw fails here as it would over SMTP).
        content = compose(self.sender, to, subject, body).as_string().encode("ascii")
        self.mailbox.deliver([to], content)
