"""Email leaves over real SMTP, to whatever server the configuration names.

One connection is kept open and reused (as a mail relay client does), and opened again if
the server dropped it: connecting and greeting cost more than the message itself.
"""

from __future__ import annotations

import smtplib
import threading
from email.mime.text import MIMEText


class SmtpEmailSender:
    def __init__(self, host: str, port: int, sender: str = "no-reply@halo.example", timeout: float = 10):
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self._lock = threading.Lock()
        self._smtp: smtplib.SMTP | None = None

    def send(self, to: str, subject: str, body: str) -> None:
        message = MIMEText(body, "plain", "utf-8")
        message["From"] = f"HaloPSA <{self.sender}>"
        message["To"] = to
        message["Subject"] = subject
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
