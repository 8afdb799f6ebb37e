"""Agents (staff), end users (customers' people, who use the portal) and administrators."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from .methods import Method


class Role(str, enum.Enum):
    AGENT = "agent"
    USER = "user"


@dataclasses.dataclass
class Person:
    id: int | None
    email: str
    name: str
    role: Role
    password_hash: str
    is_admin: bool = False
    mobile_number: str | None = None
    # Only a number that received and returned a code is ever sent codes (ASVS 4 2.7.1).
    mobile_verified: bool = False
    method: Method | None = None
    # The authenticator secret, encrypted; the app never holds it in clear longer than a call.
    totp_secret_encrypted: bytes | None = None
    # The last accepted time step: no step at or before it passes again (RFC 6238 5.2).
    totp_last_step: int | None = None
    failed_codes: int = 0  # since the last lock
    locked_until: dt.datetime | None = None
    wrong_codes_in_a_row: int = 0  # across locks, until a right code or an administrator's unlock
    held: bool = False  # the second step is locked until an administrator unlocks it

    @property
    def has_two_factor(self) -> bool:
        return self.method is not None

    def is_locked(self, now: dt.datetime) -> bool:
        return self.held or (self.locked_until is not None and now < self.locked_until)

    def masked_destination(self) -> str:
        """Where a code goes, shown so that the person knows where to look, half hidden."""
        if self.method is Method.SMS and self.mobile_number:
            return "•" * max(0, len(self.mobile_number) - 3) + self.mobile_number[-3:]
        if self.method is Method.EMAIL:
            local, _, domain = self.email.partition("@")
            return f"{local[:1]}•••@{domain}"
        return "your authenticator app"
