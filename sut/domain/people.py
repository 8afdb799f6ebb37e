"""Agents (staff), end users (customers' people, who use the portal) and administrators."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from .methods import Method


# Ids are 64-bit signed integers (SQLite's INTEGER PRIMARY KEY): a larger number names nobody.
MAX_ID = 2**63 - 1


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
    # Codes by SMS go here only while the method is SMS, which only a set-up confirmed with a
    # code sent to this very number makes so (ASVS 4 2.7.1); a number the directory gave is
    # sent nothing until then.
    mobile_number: str | None = None
    method: Method | None = None
    # The authenticator secret, encrypted; the app never holds it in clear longer than a call.
    totp_secret_encrypted: bytes | None = None
    # The last accepted time step: no step at or before it passes again (RFC 6238 5.2).
    totp_last_step: int | None = None
    failed_codes: int = 0  # since the last lock
    locked_until: dt.datetime | None = None
    wrong_codes_in_a_row: int = 0  # across locks, until a right code or an administrator's unlock
    held: bool = False  # the second step is locked until an administrator unlocks it
    # The last sign-in whose second step passed: what an administrator's overview shows, to
    # tell a method in use from one set up and forgotten. A reset keeps it (it is history).
    second_factor_used_at: dt.datetime | None = None
    # The first sign-in under enforcement with a grace period (SecuritySettings.grace_days):
    # the person's days to set up count from here. Cleared when enforcement is switched on anew.
    grace_started_at: dt.datetime | None = None

    @property
    def has_two_factor(self) -> bool:
        return self.method is not None

    def is_locked(self, now: dt.datetime) -> bool:
        return self.held or (self.locked_until is not None and now < self.locked_until)

    def destination(self) -> str | None:
        """Where the codes of the person's method go (None for a method that sends nothing)."""
        return self.method.destination(self.email, self.mobile_number) if self.method else None

    def masked_destination(self) -> str:
        """Where a code goes, shown so that the person knows where to look, half hidden."""
        return self.method.masked(self.destination()) if self.method else ""

    def forget_factor(self) -> None:
        """Two-factor off: the method and everything it kept go."""
        self.method, self.totp_secret_encrypted, self.totp_last_step = None, None, None
