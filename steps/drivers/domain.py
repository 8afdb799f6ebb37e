"""The domain driver: calls the reference app's use cases in-process, as its entrypoints do.

Fastest of the three; proves the rules. It holds the tokens a browser's cookie would hold,
and says where it is (an address and a user agent), as the web entrypoints do.
"""

from __future__ import annotations

import itertools

from sut.domain.clients import Client
from sut.domain.errors import AlreadySignedIn, SetupRequired, TwoFactorError
from sut.service_layer.common import NotSignedIn
from sut.service_layer.password_reset import LINK_PATH

from .base import (CODE_REQUIRED, DONE, ENROLMENT_STARTED, REFUSED, SETUP_REQUIRED, SIGNED_IN, AuditLine, OverviewLine,
                   Outcome, SetupScreen, TwoFactorStatus, device_address, device_user_agent)

LOCK_STATES = {(False, False): "No", (True, False): "Locked", (True, True): "Locked until unlocked"}


def _refused(error: TwoFactorError) -> Outcome:
    if isinstance(error, SetupRequired):
        return Outcome(SETUP_REQUIRED, message=error.message, methods_offered=tuple(m.value for m in error.methods_offered))
    return Outcome(REFUSED, message=error.message, retry_after=getattr(error, "retry_after", None))


def _progress(progress) -> Outcome:
    method = progress.method.value if progress.method else None
    state = {"signed_in": SIGNED_IN, "code_required": CODE_REQUIRED, "setup_required": SETUP_REQUIRED}[progress.status]
    return Outcome(state, message=progress.reason or progress.reminder, method=method,
                   methods_offered=tuple(m.value for m in progress.methods_offered),
                   recovery_codes=progress.recovery_codes, remember_offered=progress.remember_offered)


def _started(started) -> SetupScreen:
    if started.current_code_required:
        return SetupScreen(Outcome(CODE_REQUIRED, method=started.current_method.value))
    return SetupScreen(Outcome(ENROLMENT_STARTED, method=started.method.value), key=started.key,
                       provisioning_uri=started.provisioning_uri)


class DomainDevice:
    def __init__(self, system, number: int):
        self._system = system  # read .app at each call: the app may have been restarted
        self.address, self.user_agent = device_address(number), device_user_agent("domain", number)
        self._client = Client(self.address, self.user_agent)
        self._token = None  # the login attempt's, then the session's
        self._enrolment = None
        self._setup_step: Outcome | None = None  # where a set-up stands: the current code asked, or the new one's
        self._turn_off = None
        self._remembered = None  # the token of a remembered device, kept as a cookie would be
        self._sso_started = None  # the sign-in token of a single sign-on started here, kept as the session would
        self._number = number

    def __repr__(self):  # read in assertion messages and reports, instead of an address
        return f"<in-process session, {'holding a sign-in' if self._token else 'not signed in'}>"

    @property
    def _app(self):
        return self._system.app

    # logging in
    def log_in(self, email, password):
        return self._step(lambda: self._app.login.begin(email, password, self._client, remembered_device=self._remembered))

    def start_sign_in_through_identity_provider(self):
        started = self._app.sso.start()
        self._sso_started = started.token
        return started.nonce

    def sign_in_through_identity_provider(self, assertion):
        started, self._sso_started = self._sso_started, None  # taken from the session: once
        return self._step(lambda: self._app.sso.sign_in(assertion, started, self._client))

    def _step(self, call) -> Outcome:
        """A step of the login: the device then holds the token it gave (attempt or session)."""
        try:
            progress = call()
        except TwoFactorError as error:
            return _refused(error)
        self._token = progress.session_token or progress.attempt_token
        return _progress(progress)

    def enter_code(self, code, remember_device=False):
        try:
            progress = self._app.login.submit_code(self._token, code, self._client, remember_device=remember_device)
        except TwoFactorError as error:
            return _refused(error)
        self._token = progress.session_token or progress.attempt_token
        self._remembered = progress.device_token or self._remembered
        return _progress(progress)

    def enter_code_twice(self, code):
        """Both submissions carry the attempt token; the device keeps what the first one gave."""
        attempt = self._token
        first = self.enter_code(code)
        try:
            self._app.login.submit_code(attempt, code, self._client)
        except AlreadySignedIn:
            return first  # the second changed nothing: what the person sees is the first's outcome
        except TwoFactorError as error:
            return _refused(error)
        return first

    def ask_for_new_code(self):
        try:
            return _progress(self._app.login.resend_code(self._token, self._client))
        except TwoFactorError as error:
            return _refused(error)

    def cancel_sign_in(self):
        self._app.login.sign_out(self._token, self._client)
        self._token = None
        return Outcome(DONE)

    def sign_out(self):
        self._app.login.sign_out(self._token, self._client)
        self._token = None

    def can_reach_home(self):
        return self.open_home().state == SIGNED_IN

    def open_home(self):
        try:
            self._app.enrolment.status(self._token)
            return Outcome(SIGNED_IN)
        except (NotSignedIn, SetupRequired) as error:
            return _refused(error)

    def skip_setup(self):
        return self.open_home()  # nothing to click: the session is the person's already

    def clone(self):
        copy = DomainDevice(self._system, self._number + 100)
        copy._token, copy._enrolment, copy._turn_off = self._token, self._enrolment, self._turn_off
        copy._remembered = self._remembered
        return copy

    # a forgotten password
    def ask_for_password_reset(self, email):
        try:
            return Outcome(DONE, message=self._app.password_reset.request(email, self._client))
        except TwoFactorError as error:
            return _refused(error)

    def reset_password(self, link, new_password):
        """The token is the link's last part, as the page the link opens reads it."""
        try:
            progress = self._app.password_reset.reset(link.rsplit("/", 1)[-1], new_password, self._client)
        except TwoFactorError as error:
            return _refused(error)
        self._token = progress.session_token or progress.attempt_token
        return _progress(progress)

    def reset_link_made_of(self, held):
        """The token of the sign-in or the set-up in progress, where a reset link of the app's has its own."""
        token = {"sign-in": self._token, "set-up": self._enrolment}[held]
        assert token, f"This device holds no {held}."
        return self._app.password_reset.deps.public_url.rstrip("/") + LINK_PATH + token

    # one's own two-factor authentication
    def two_factor_status(self):
        status = self._app.enrolment.status(self._token)
        return TwoFactorStatus(status.enabled, status.method.value if status.method else None,
                               tuple(m.value for m in status.methods_offered))

    def enable(self, method, password, mobile_number=None):
        try:
            started = self._app.enrolment.start(self._token, method, password=password, mobile_number=mobile_number,
                                                client=self._client)
        except TwoFactorError as error:
            return SetupScreen(_refused(error))
        self._enrolment = started.token
        return self._at_setup(_started(started))

    def prove_current_factor(self, code):
        try:
            return self._at_setup(_started(self._app.enrolment.verify_current(self._token, self._enrolment, code, self._client)))
        except TwoFactorError as error:
            return SetupScreen(_refused(error))

    def _at_setup(self, screen: SetupScreen) -> SetupScreen:
        """Where the set-up stands: the current method's code asked for, or the new one's."""
        self._setup_step = screen.outcome
        return screen

    def ask_for_new_setup_code(self):
        try:
            self._app.enrolment.resend(self._token, self._enrolment, self._client)
        except TwoFactorError as error:
            return _refused(error)
        return self._setup_step  # still at the same step, with a new code

    def confirm_setup(self, code):
        try:
            progress = self._app.enrolment.confirm(self._token, self._enrolment, code, self._client)
        except TwoFactorError as error:
            return _refused(error)
        if progress.status == "enabled":
            return Outcome(DONE, recovery_codes=progress.recovery_codes)
        self._token = progress.session_token
        return _progress(progress)

    def turn_off(self, password):
        try:
            started = self._app.enrolment.begin_disable(self._token, password, self._client)
        except TwoFactorError as error:
            return _refused(error)
        self._turn_off = started.token
        return Outcome(CODE_REQUIRED, method=started.method.value)

    def new_recovery_codes(self, password):
        try:
            started = self._app.enrolment.begin_recovery_codes(self._token, password, self._client)
        except TwoFactorError as error:
            return _refused(error)
        self._recovery = started.token
        return Outcome(CODE_REQUIRED, method=started.method.value)

    def confirm_new_recovery_codes(self, code):
        try:
            fresh = self._app.enrolment.confirm_recovery_codes(self._token, self._recovery, code, self._client)
        except TwoFactorError as error:
            return _refused(error)
        return Outcome(DONE, recovery_codes=fresh)

    def confirm_turn_off(self, code):
        try:
            self._app.enrolment.confirm_disable(self._token, self._turn_off, code, self._client)
        except TwoFactorError as error:
            return _refused(error)
        return Outcome(DONE)

    # administration
    def security_settings(self):
        return self._app.admin.settings(self._token).as_dict()

    def change_security_settings(self, **changes):
        return self._done(lambda: self._app.admin.change_settings(self._token, self._client, **changes))

    def reset_two_factor(self, email):
        return self._done(lambda: self._app.admin.reset_two_factor(self._token, self._person(email).id, self._client))

    def unlock_second_step(self, email):
        return self._done(lambda: self._app.admin.unlock(self._token, self._person(email).id, self._client))

    def confirm_password(self, password):
        return self._done(lambda: self._app.admin.confirm_password(self._token, password, self._client))

    def lock_state(self, email):
        person = self._person(email)
        return LOCK_STATES[(person.locked, person.held)]

    def overview(self, role=None, state=None):
        people = self._app.admin.people(self._token, role, state)
        return [OverviewLine(p.email, p.role.value, p.method.value if p.method else None,
                             p.last_second_factor_at.replace(second=0, microsecond=0) if p.last_second_factor_at else None,
                             LOCK_STATES[(p.locked, p.held)], p.enforcement.value,
                             p.set_up_by.replace(second=0, microsecond=0) if p.set_up_by else None) for p in people]

    def audit_trail(self, email):
        entries = self._app.admin.audit_trail(self._token, self._person(email).id)
        return [AuditLine(e.label, e.address, e.user_agent) for e in entries]

    def _person(self, email):
        return next(p for p in self._app.admin.people(self._token) if p.email.lower() == email.lower())

    @staticmethod
    def _done(action) -> Outcome:
        try:
            action()
        except TwoFactorError as error:
            return _refused(error)
        return Outcome(DONE)


class DomainDriver:
    name = "domain"
    shows_pages = False
    in_process = True  # the use cases, called as the entrypoints call them

    def __init__(self, system):
        self.system = system
        self._numbers = itertools.count(1)

    @classmethod
    def for_scenario(cls, request, system) -> "DomainDriver":
        return cls(system)

    def new_device(self):
        return DomainDevice(self.system, next(self._numbers))

    def close(self, failed: bool = False, name: str = "scenario") -> list:
        return []  # an in-process session keeps no evidence beyond what the steps recorded
