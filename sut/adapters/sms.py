"""SMS leaves through a gateway. The default is a local simulated gateway: a phone network
in memory that delivers each text to the number it was sent to, for the harness (and the
demo outbox page) to read as a person reads their phone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading


@dataclasses.dataclass(frozen=True)
class TextMessage:
    to: str
    text: str
    sent_at: dt.datetime


class LocalSmsGateway:
    def __init__(self, clock):
        self._clock = clock
        self._lock = threading.Lock()
        self._messages: list[TextMessage] = []

    def send(self, to: str, text: str) -> None:
        with self._lock:
            self._messages.append(TextMessage(to, text, self._clock.now()))

    def messages(self, to: str | None = None) -> list[TextMessage]:
        with self._lock:
            return [m for m in self._messages if to is None or m.to == to]
