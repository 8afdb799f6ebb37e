"""What the web layer keeps between requests besides the cookie."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from sut.service_layer.common import token_digest

from sut.service_layer.identity import WhoAmI


@dataclasses.dataclass(frozen=True)
class PendingKey:
    provisioning_uri: str
    key: str
    created_at: dt.datetime


class PendingKeys:
    """The authenticator key of a set-up in progress, kept in memory (never in the cookie,
    never on disk) so that the QR code can be shown again after a mistyped code. Dropped when
    the set-up is confirmed or after the set-up's lifetime."""

    LIFETIME = dt.timedelta(minutes=15)
    MAX = 1000

    def __init__(self, clock):
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, PendingKey] = {}

    def put(self, enrolment_token: str, provisioning_uri: str, key: str) -> None:
        with self._lock:
            self._expire()
            while len(self._keys) >= self.MAX:
                self._keys.pop(next(iter(self._keys)))
            self._keys[token_digest(enrolment_token)] = PendingKey(provisioning_uri, key, self._clock.now())

    def get(self, enrolment_token: str | None) -> PendingKey | None:
        if not enrolment_token:
            return None
        with self._lock:
            self._expire()
            return self._keys.get(token_digest(enrolment_token))

    def drop(self, enrolment_token: str | None) -> None:
        if enrolment_token:
            with self._lock:
                self._keys.pop(token_digest(enrolment_token), None)

    def _expire(self) -> None:
        now = self._clock.now()
        for digest in [d for d, k in self._keys.items() if now - k.created_at > self.LIFETIME or now < k.created_at]:
            del self._keys[digest]


@dataclasses.dataclass
class WebState:
    app: object  # sut.bootstrap.App
    who: WhoAmI
    pending: PendingKeys
    demo: object | None
