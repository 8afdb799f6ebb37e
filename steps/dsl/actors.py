"""Actors: the agent, the user, the administrator, each a person made by Faker.

An actor has a password, a mailbox, a phone (texts, an authenticator app), and one or more
devices (driver sessions). What an actor does returns what the person saw (an ``Outcome``),
which the actor also remembers so that a "Then" step can look at it. The stage
(``stage.py``) holds a scenario's actors; the tasks (``tasks/``) are what they do in the
product's words.
"""

from __future__ import annotations

import contextlib
import dataclasses

from steps.drivers.base import CODE_REQUIRED, ENROLMENT_STARTED, SETUP_REQUIRED, SIGNED_IN, Outcome
from steps.methods import METHODS, SecondFactor, by_key

from .abilities import CodeReader, Mailbox, Phone, RecoverySheet

ROLES = {"agent": "agent", "other agent": "agent", "user": "user", "administrator": "agent"}


@dataclasses.dataclass
class Identity:
    name: str
    email: str
    password: str
    mobile_number: str


class Actor:
    def __init__(self, handle: str, identity: Identity, driver, smtp, sms_gateway, topics=None):
        """``topics``: the product's words for what the features' messages are about (``Target.topics``)."""
        self.handle = handle
        self.role = ROLES[handle]
        self.identity = identity
        self.mailbox = Mailbox(smtp, identity.email, (topics or {}).get("mail"))
        self.phone = Phone(identity.mobile_number, sms_gateway, (topics or {}).get("texts"))
        self.recovery_sheet = RecoverySheet()
        # What the person reads codes with, by the name a method's entry gives it (read_from).
        self.readers: dict[str, CodeReader] = {"mailbox": self.mailbox, "texts": self.phone.texts,
                                               "authenticator": self.phone.authenticator,
                                               "recovery sheet": self.recovery_sheet}
        self._driver = driver
        self._device = None  # opened when first used: a browser context costs a fraction of a second
        self.other_device = None  # a second device of the same person, once they use one
        self.devices_used: list = []  # every device this person opened, for the reports' captions
        self.outcome: Outcome | None = None
        self.kept_code: str | None = None  # a code the person noted down, to type later
        self.last_code: str | None = None  # the last code the person typed
        self.assertion: str | None = None  # the identity provider's last signed assertion for them (single sign-on)
        self.signed_in = False  # as far as the person knows: the device got past the login
        self.used_link: str | None = None  # the last password reset link the person opened
        self.old_password: str | None = None  # before a reset

    def __repr__(self):
        return f"<the {self.handle}: {self.identity.name} <{self.identity.email}>>"

    @property
    def authenticator(self):
        return self.phone.authenticator

    @property
    def shows_pages(self) -> bool:
        """Whether this person reads pages (a browser) rather than answers."""
        return self._driver.shows_pages

    def reader(self, method: SecondFactor) -> CodeReader:
        """Where this person reads the codes of ``method``: their mailbox, texts or app."""
        return self.readers[method.read_from]

    def saw(self, outcome: Outcome) -> Outcome:
        self.outcome = outcome
        if outcome.recovery_codes:  # shown once: the person saves them
            self.recovery_sheet.save(outcome.recovery_codes)
        if outcome.state == SIGNED_IN:
            self.signed_in = True
        elif outcome.state == SETUP_REQUIRED:  # held at the set-up: signed in no more
            self.signed_in = False
        return outcome

    # devices
    @property
    def device(self):
        if self._device is None:
            self._device = self._new_device()
        return self._device

    def _new_device(self):
        device = self._driver.new_device()
        self.devices_used.append(device)
        return device

    @property
    def opened_device(self):
        """The device in hand, without opening one (for reports after a failure)."""
        return self._device

    def use_new_device(self):
        self._device = self._new_device()
        self.signed_in = False
        return self._device

    def use_device(self, device) -> None:
        if device not in self.devices_used:
            self.devices_used.append(device)
        self._device = device

    @contextlib.contextmanager
    def on_other_device(self):
        """Act on the person's other device for a while (its own screen, its own set-up)."""
        main, screen = self.device, getattr(self, "setup_screen", None)
        self._device, self.setup_screen = self.other_device, getattr(self, "other_setup_screen", None)
        try:
            yield self
        finally:
            self.other_setup_screen = getattr(self, "setup_screen", None)
            self._device, self.setup_screen = main, screen

    def sign_in_on_other_device(self, method: SecondFactor | None) -> None:
        self.other_device = self._new_device()
        with self.on_other_device():
            self.log_in_fully(method)
        self.signed_in = True

    # logging in
    def log_in(self, password: str | None = None) -> Outcome:
        self.signed_in = False
        return self.saw(self.device.log_in(self.identity.email, password or self.identity.password))

    def enter_code(self, code: str) -> Outcome:
        self.last_code = code
        return self.saw(self.device.enter_code(code))

    def code_by(self, method: SecondFactor) -> str:
        """The code the person would read now: in the mail, in a text, in the app."""
        return self.reader(method).latest_code()

    def log_in_fully(self, method: SecondFactor | None) -> Outcome:
        outcome = self.log_in()
        if outcome.state == CODE_REQUIRED:
            outcome = self.enter_code(self.code_by(method or by_key(outcome.method)))
        assert outcome.state == SIGNED_IN, f"{self!r} could not sign in: {outcome}"
        return outcome

    def ensure_signed_in(self) -> None:
        if not self.signed_in:
            self.log_in_fully(None)

    # setting up
    def enable(self, method: SecondFactor, password: str | None = "own") -> Outcome:
        password = self.identity.password if password == "own" else password
        mobile_number = self.phone.number if method.needs_mobile else None
        self.setup_screen = self.device.enable(method.key, password, mobile_number)
        return self.saw(self.setup_screen.outcome)

    def add_to_authenticator(self, how: str) -> None:
        screen = self.setup_screen
        assert screen.outcome.state == ENROLMENT_STARTED, f"No set-up on screen: {screen.outcome}"
        if how == "scan":
            if screen.qr_png is not None:
                self.authenticator.scan(screen.qr_png)
            else:
                self.authenticator.add_from_uri(screen.provisioning_uri)
        else:
            self.authenticator.type_key(screen.key)

    def prove_current_method(self, code: str) -> Outcome:
        """Changing the method: the code of the current one, after which the new one is shown."""
        self.last_code = code
        self.setup_screen = self.device.prove_current_factor(code)
        return self.saw(self.setup_screen.outcome)

    def confirm_setup(self, code: str) -> Outcome:
        self.last_code = code
        return self.saw(self.device.confirm_setup(code))

    def set_up_and_confirm(self, method: SecondFactor) -> Outcome:
        """Forced set-up or a fresh enable: choose the method, prove it with its first code."""
        # The password goes in wherever it is asked for (always when signed in, and at a set-up
        # that a session opened before enforcement was taken to); right after a login it is not.
        outcome = self.enable(method, password="own")
        assert outcome.state == ENROLMENT_STARTED, f"{self!r} could not start setting up {method}: {outcome}"
        if method.scanned:
            self.add_to_authenticator("scan")
        return self.confirm_setup(self.code_by(method))

    # turning off
    def turn_off(self, password: str, code_from: SecondFactor | str | None) -> Outcome:
        """``code_from``: the method whose code proves it, "wrong" for a wrong code, None to stop at the code."""
        outcome = self.saw(self.device.turn_off(password))
        if outcome.state != CODE_REQUIRED or code_from is None:
            return outcome
        code = self.wrong_codes(1)[0] if code_from == "wrong" else self.code_by(code_from)
        return self.saw(self.device.confirm_turn_off(code))

    def valid_codes(self) -> set[str]:
        """Every code that could pass now, by any method, so that a "wrong" code is surely wrong."""
        return {code for method in METHODS for code in self.reader(method).codes()}

    def wrong_codes(self, count: int) -> list[str]:
        valid = self.valid_codes()
        base = next(iter(sorted(valid)), "000000")
        candidates = (wrong_code(base, n) for n in range(1, 100))
        picked = [c for c in candidates if c not in valid][:count]
        if len(picked) < count:  # more than 9 wanted: shifted digits repeat, so count upward
            picked += [f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in valid and f"{n:06d}" not in picked][: count - len(picked)]
        return picked

    def sign_out(self) -> None:
        self.device.sign_out()
        self.outcome = None
        self.signed_in = False


def wrong_code(right: str, n: int = 1) -> str:
    """The right code with its digits shifted by n: wrong, and different for each n."""
    return "".join(str((int(d) + n) % 10) for d in right)
