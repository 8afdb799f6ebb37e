"""Wires the adapters to the use cases: the one place that knows the concrete classes."""

from __future__ import annotations

import dataclasses

from sut.adapters.clock import SystemClock
from sut.adapters.email import SmtpEmailSender
from sut.adapters.keys import Keys, load_or_create_master_key
from sut.adapters.passwords import HashingGate, PasswordHasher
from sut.adapters.sms import LocalSmsGateway
from sut.adapters.sqlite_store import SqliteStore
from sut.config import Config
from sut.service_layer.administration import Administration
from sut.service_layer.ports import Dependencies
from sut.service_layer.enrolment import Enrolment
from sut.service_layer.login import Login
from sut.service_layer.password_reset import PasswordReset
from sut.service_layer.sso import SingleSignOn


@dataclasses.dataclass
class App:
    """The reference app's use cases, ready to call."""

    config: Config
    deps: Dependencies
    login: Login
    enrolment: Enrolment
    admin: Administration
    password_reset: PasswordReset
    sso: SingleSignOn

    @property
    def sms(self):
        return self.deps.sms

    def close(self) -> None:
        self.deps.store.close()
        close_email = getattr(self.deps.email, "close", None)
        if close_email:
            close_email()


def build(config: Config, *, email=None, sms=None, clock=None, store=None, identity_provider=None) -> App:
    """The app on ``config``; ``store`` instead of the SQLite database (a ``MemoryStore``, say);
    ``identity_provider``: the one it trusts for single sign-on (an ``AssertionVerifier``), None: none."""
    clock = clock or SystemClock()
    deps = Dependencies(
        store=store or SqliteStore(config.database),
        clock=clock,
        passwords=PasswordHasher(config.password_cost,
                                 HashingGate(config.password_checks_at_once, config.password_checks_waiting)),
        keys=Keys(load_or_create_master_key(config.key_path)),
        email=email or SmtpEmailSender(config.smtp_host, config.smtp_port),
        sms=sms or LocalSmsGateway(clock),
        sessions=config.session_policy,
        public_url=config.public_url,
        identity_provider=identity_provider,
    )
    login = Login(deps)
    return App(config=config, deps=deps, login=login, enrolment=Enrolment(deps, login), admin=Administration(deps),
               password_reset=PasswordReset(deps, login), sso=SingleSignOn(deps, login))
