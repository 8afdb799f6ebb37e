"""The application driver interface: what a person can do with the product, in its words.

A ``Device`` is one person's way in (a browser, an HTTP client, an in-process session):
it holds what a person's device holds (a cookie, a token) and nothing else. Each driver
turns these calls into service calls, HTTP requests or clicks, and turns what the app
answers back into an ``Outcome``: the same few facts whatever the driver.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

# What a person sees after an action.
SIGNED_IN = "signed in"
CODE_REQUIRED = "asked for a code"
SETUP_REQUIRED = "asked to set up two-factor authentication"
ENROLMENT_STARTED = "set-up started"
DONE = "done"
REFUSED = "refused"

METHODS = ("email", "sms", "authenticator")


@dataclasses.dataclass(frozen=True)
class Outcome:
    state: str
    message: str = ""
    method: str | None = None  # the method whose code is asked for
    methods_offered: tuple[str, ...] = ()


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


class Device(Protocol):
    # logging in
    def log_in(self, email: str, password: str) -> Outcome: ...
    def enter_code(self, code: str) -> Outcome: ...
    def ask_for_new_code(self) -> Outcome: ...
    def sign_out(self) -> None: ...
    def can_reach_home(self) -> bool: ...

    # one's own two-factor authentication
    def two_factor_status(self) -> TwoFactorStatus: ...
    def enable(self, method: str, password: str | None, mobile_number: str | None = None) -> SetupScreen: ...
    def confirm_setup(self, code: str) -> Outcome: ...
    def turn_off(self, password: str) -> Outcome: ...
    def confirm_turn_off(self, code: str) -> Outcome: ...

    # administration
    def security_settings(self) -> dict[str, bool]: ...
    def change_security_settings(self, **changes: bool) -> Outcome: ...
    def reset_two_factor(self, email: str) -> Outcome: ...


class Driver(Protocol):
    name: str

    def new_device(self) -> Device: ...

    def close(self) -> None: ...
