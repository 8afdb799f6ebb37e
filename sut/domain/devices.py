"""Remembered devices: a browser or an API client on which a person passed the second step and
ticked "Remember this device", which then is not asked for a code for a while.

The device holds a token of 256 random bits; the app keeps only its keyed hash (HMAC-SHA-256 with
the application's key, as for codes) with the person it vouches for and when it stops: no one
without the key can make one, a copy vouches for nobody else, and each is revoked on the server
(a reset, a new factor, a new password forget them all). How long one lasts is the deployment's
choice (``SessionPolicy.remember_device_for``), as django-two-factor-auth's cookie age is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True)
class RememberedDevice:
    id: str  # the keyed hash of the token the device holds
    person_id: int
    created_at: dt.datetime
    expires_at: dt.datetime

    def vouches_for(self, person_id: int, now: dt.datetime) -> bool:
        return self.person_id == person_id and now < self.expires_at
