"""The application driver interface: what a person can do with the product, in its words.

A ``Device`` is one person's way in (a browser, an HTTP client, an in-process session):
it holds what a person's device holds (a cookie, a token) and nothing else. Each driver
turns these calls into service calls, HTTP requests or clicks, and turns what the app
answers back into an ``Outcome``: the same few facts whatever the driver.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Protocol

# What a person sees after an action.
SIGNED_IN = "signed in"
CODE_REQUIRED = "asked for a code"
SETUP_REQUIRED = "asked to set up two-factor authentication"
ENROLMENT_STARTED = "set-up started"
DONE = "done"
REFUSED = "refused"


@dataclasses.dataclass(frozen=True)
class Outcome:
    state: str
    message: str = ""
    method: str | None = None  # the method whose code is asked for
    methods_offered: tuple[str, ...] = ()
    recovery_codes: tuple[str, ...] = ()  # shown once, at a first set-up or when new ones are made
    remember_offered: bool = False  # asked for a code: "Remember this device" may be ticked
    # Refused for a while: the exact seconds to wait, where the answer carries them (an API's
    # Retry-After); None where it does not (a page tells the minutes only).
    retry_after: int | None = None


@dataclasses.dataclass(frozen=True)
class SetupScreen:
    """What the set-up of an authenticator app shows: a QR code and the key as text."""

    outcome: Outcome
    key: str | None = None
    provisioning_uri: str | None = None  # what a QR code decodes to, where the driver sees no image
    qr_png: bytes | None = None  # the QR code as an image, where the driver sees one


@dataclasses.dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    method: str | None
    methods_offered: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class AuditLine:
    """One line of the audit trail as an administrator reads it."""

    what: str
    address: str
    user_agent: str


@dataclasses.dataclass(frozen=True)
class OverviewLine:
    """One person in the administrator's overview of two-factor authentication."""

    email: str
    role: str  # "agent" or "user"
    method: str | None  # the method's key; None: two-factor is off
    last_second_factor: dt.datetime | None  # the last sign-in whose second step passed, to the minute
    locked: str  # "No", "Locked" or "Locked until unlocked"
    enforcement: str  # "not_enforced", "met", "grace" (may still skip) or "pending"
    set_up_by: dt.datetime | None = None  # grace: when their days to set up end, to the minute (None: not started)


# The overview's filters, as the API names them: role "agent" or "user"; state "on", "off",
# "locked" or "pending" (None: everybody).
OVERVIEW_STATES = ("on", "off", "locked", "pending")


# Where each device is on the network: TEST-NET-1 (RFC 5737) addresses, one per device.
def device_address(n: int) -> str:
    return f"192.0.2.{n % 250 + 1}"


def device_user_agent(driver: str, n: int) -> str:
    return f"twofa-harness/{driver} device {n}"


class Device(Protocol):
    address: str  # where its requests come from
    user_agent: str

    # logging in
    def log_in(self, email: str, password: str) -> Outcome: ...
    def start_sign_in_through_identity_provider(self) -> str: ...  # on this site; the nonce the provider is sent
    def sign_in_through_identity_provider(self, assertion: str) -> Outcome: ...  # its signed assertion arrives
    def enter_code(self, code: str, remember_device: bool = False) -> Outcome: ...  # ticking "Remember this device"
    def enter_code_twice(self, code: str) -> Outcome: ...  # a double click: both sent with what the device held
    def ask_for_new_code(self) -> Outcome: ...
    def cancel_sign_in(self) -> Outcome: ...
    def sign_out(self) -> None: ...
    def can_reach_home(self) -> bool: ...
    def open_home(self) -> Outcome: ...
    def skip_setup(self) -> Outcome: ...  # reminded to set up during a grace period: go on without it
    def clone(self) -> "Device": ...  # another device holding a copy of what this one holds
    # a forgotten password
    def ask_for_password_reset(self, email: str) -> Outcome: ...  # DONE with the answer shown, or refused
    def reset_password(self, link: str, new_password: str) -> Outcome: ...  # the link from the email; then as a login
    # A link to the reset page forged of a token this device holds, "sign-in" or "set-up", as its own
    def reset_link_made_of(self, held: str) -> str: ...


    # one's own two-factor authentication
    def two_factor_status(self) -> TwoFactorStatus: ...
    def enable(self, method: str, password: str | None, mobile_number: str | None = None) -> SetupScreen: ...
    def prove_current_factor(self, code: str) -> SetupScreen: ...
    def ask_for_new_setup_code(self) -> Outcome: ...  # ENROLMENT_STARTED: still at the set-up, or refused
    def confirm_setup(self, code: str) -> Outcome: ...
    def turn_off(self, password: str) -> Outcome: ...
    def confirm_turn_off(self, code: str) -> Outcome: ...
    def new_recovery_codes(self, password: str) -> Outcome: ...  # CODE_REQUIRED: a code of the current method
    def confirm_new_recovery_codes(self, code: str) -> Outcome: ...  # DONE with the new set, or refused

    # administration
    def security_settings(self) -> dict[str, bool]: ...
    def change_security_settings(self, **changes: bool) -> Outcome: ...
    def reset_two_factor(self, email: str) -> Outcome: ...
    def confirm_password(self, password: str) -> Outcome: ...
    def unlock_second_step(self, email: str) -> Outcome: ...
    def lock_state(self, email: str) -> str: ...  # "No", "Locked" or "Locked until unlocked"
    def overview(self, role: str | None = None, state: str | None = None) -> list[OverviewLine]: ...
    def audit_trail(self, email: str) -> list[AuditLine]: ...  # newest first


class Driver(Protocol):
    name: str
    shows_pages: bool  # a browser: it follows click paths, its screens are photographed, a page may explain
    # It calls the product in the test process, reaching none of its channels (HTTP, SMTP): its
    # world hands mail straight to the harness's mailbox. Not said: False.
    in_process: bool

    @classmethod
    def for_scenario(cls, request, system) -> "Driver": ...  # built from the scenario's pytest fixtures

    def new_device(self) -> Device: ...

    def close(self, failed: bool = False, name: str = "scenario") -> list[tuple[Device, Path]]: ...  # evidence kept
