"""The domain driver: calls the reference app's use cases in-process, as its entrypoints do.

Fastest of the three; proves the rules. It holds the tokens a browser's cookie would hold.
"""

from __future__ import annotations

from sut.domain.errors import TwoFactorError
from sut.service_layer.common import NotSignedIn

from .base import (CODE_REQUIRED, DONE, ENROLMENT_STARTED, REFUSED, SETUP_REQUIRED, SIGNED_IN, Outcome,
                   SetupScreen, TwoFactorStatus)


def _refused(error: TwoFactorError) -> Outcome:
    return Outcome(REFUSED, message=error.message)


def _progress(progress) -> Outcome:
    method = progress.method.value if progress.method else None
    state = {"signed_in": SIGNED_IN, "code_required": CODE_REQUIRED, "setup_required": SETUP_REQUIRED}[progress.status]
    return Outcome(state, message=progress.reason, method=method,
                   methods_offered=tuple(m.value for m in progress.methods_offered))


class DomainDevice:
    def __init__(self, system):
        self._system = system  # read .app at each call: the app may have been restarted
        self._token = None  # the login attempt's, then the session's
        self._enrolment = None
        self._turn_off = None

    def __repr__(self):  # read in assertion messages and reports, instead of an address
        return f"<in-process session, {'holding a sign-in' if self._token else 'not signed in'}>"

    @property
    def _app(self):
        return self._system.app

    # logging in
    def log_in(self, email, password):
        try:
            progress = self._app.login.begin(email, password)
        except TwoFactorError as error:
            return _refused(error)
        self._token = progress.session_token or progress.attempt_token
        return _progress(progress)

    def enter_code(self, code):
        try:
            progress = self._app.login.submit_code(self._token, code)
        except TwoFactorError as error:
            return _refused(error)
        self._token = progress.session_token or progress.attempt_token
        return _progress(progress)

    def ask_for_new_code(self):
        try:
            return _progress(self._app.login.resend_code(self._token))
        except TwoFactorError as error:
            return _refused(error)

    def sign_out(self):
        self._app.login.sign_out(self._token)
        self._token = None

    def can_reach_home(self):
        try:
            self._app.enrolment.status(self._token)
            return True
        except NotSignedIn:
            return False

    # one's own two-factor authentication
    def two_factor_status(self):
        status = self._app.enrolment.status(self._token)
        return TwoFactorStatus(status.enabled, status.method.value if status.method else None,
                               tuple(m.value for m in status.methods_offered))

    def enable(self, method, password, mobile_number=None):
        try:
            started = self._app.enrolment.start(self._token, method, password=password, mobile_number=mobile_number)
        except TwoFactorError as error:
            return SetupScreen(_refused(error))
        self._enrolment = started.token
        return SetupScreen(Outcome(ENROLMENT_STARTED, method=started.method.value), key=started.key,
                           provisioning_uri=started.provisioning_uri)

    def confirm_setup(self, code):
        try:
            progress = self._app.enrolment.confirm(self._token, self._enrolment, code)
        except TwoFactorError as error:
            return _refused(error)
        if progress is None:
            return Outcome(DONE)
        self._token = progress.session_token
        return _progress(progress)

    def turn_off(self, password):
        try:
            started = self._app.enrolment.begin_disable(self._token, password)
        except TwoFactorError as error:
            return _refused(error)
        self._turn_off = started.token
        return Outcome(CODE_REQUIRED, method=started.method.value)

    def confirm_turn_off(self, code):
        try:
            self._app.enrolment.confirm_disable(self._token, self._turn_off, code)
        except TwoFactorError as error:
            return _refused(error)
        return Outcome(DONE)

    # administration
    def security_settings(self):
        return self._app.admin.settings(self._token).as_dict()

    def change_security_settings(self, **changes):
        try:
            self._app.admin.change_settings(self._token, **changes)
        except TwoFactorError as error:
            return _refused(error)
        return Outcome(DONE)

    def reset_two_factor(self, email):
        try:
            people = self._app.admin.people(self._token)
            person = next(p for p in people if p.email.lower() == email.lower())
            self._app.admin.reset_two_factor(self._token, person.id)
        except TwoFactorError as error:
            return _refused(error)
        return Outcome(DONE)


class DomainDriver:
    name = "domain"

    def __init__(self, system):
        self.system = system

    def new_device(self):
        return DomainDevice(self.system)

    def close(self):
        pass
