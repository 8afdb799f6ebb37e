"""The system under test as the harness holds it: the reference app, its outside world, and
the back door through which Given steps arrange what a scenario takes for granted.

Arrangement goes through the app's own use cases (never its tables), an hour in the
scenario's past, so that it leaves no time step used, no code sent and no count that the
scenario's own actions could trip over. What a scenario is about goes through the driver.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import pathlib

from sut import bootstrap
from sut.adapters.clock import SystemClock
from sut.adapters.passwords import FAST
from sut.adapters.sms import LocalSmsGateway
from sut.config import Config
from sut.domain.methods import Method


class SystemUnderTest:
    def __init__(self, database: pathlib.Path, key_file: pathlib.Path, smtp, clock):
        self.config = Config(database=database, key_file=key_file, smtp_host=smtp.host, smtp_port=smtp.port,
                             password_cost=FAST)
        self.clock = clock
        self.sms = LocalSmsGateway(SystemClock())  # the phone network outlives app restarts
        self.app = bootstrap.build(self.config, sms=self.sms)
        self._admin_session: str | None = None
        self._restart_listeners = []

    def restart(self) -> None:
        """Stop the app and start it again on the same database and key file."""
        self.app.close()
        self.app = bootstrap.build(self.config, sms=self.sms)
        for listener in self._restart_listeners:
            listener(self.app)

    def on_restart(self, listener) -> None:
        self._restart_listeners.append(listener)

    def close(self) -> None:
        self.app.close()

    # arrangement
    @contextlib.contextmanager
    def in_the_past(self):
        now = dt.datetime.now(dt.timezone.utc)
        self.clock.move_to(now - dt.timedelta(hours=1))
        try:
            yield
        finally:
            self.clock.move_to(now)

    def register(self, actor) -> None:
        ident = actor.identity
        self.app.admin.register_person(ident.email, ident.name, actor.role, ident.password,
                                       is_admin=actor.handle == "administrator")

    def give_two_factor(self, actor, method: str) -> None:
        """The person set up ``method`` earlier: their phone or app holds what the set-up gave."""
        with self.in_the_past():
            progress = self.app.login.begin(actor.identity.email, actor.identity.password)
            # Under enforcement this is the forced set-up, held by the login attempt's token.
            session = progress.session_token or progress.attempt_token
            started = self.app.enrolment.start(session, method, password=actor.identity.password,
                                               mobile_number=actor.phone.number if method == "sms" else None)
            if started.method is Method.AUTHENTICATOR:
                actor.authenticator.add_from_uri(started.provisioning_uri)
                code = actor.authenticator.code()
            elif started.method is Method.SMS:
                code = actor.phone.latest_code()
            else:
                code = actor.mailbox.latest_code()
            completed = self.app.enrolment.confirm(session, started.token, code)
            self.app.login.sign_out(completed.session_token if completed else session)

    def change_settings(self, **changes: bool) -> None:
        with self.in_the_past():
            self.app.admin.change_settings(self._admin(), **changes)

    def _admin(self) -> str:
        if self._admin_session is None:
            name = "arrangement.admin@harness.invalid"
            self.app.admin.register_person(name, "Harness Administrator", "agent", "harness-only", is_admin=True)
            self._admin_session = self.app.login.begin(name, "harness-only").session_token
        return self._admin_session
