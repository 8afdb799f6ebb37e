"""The system under test as the harness holds it: the reference app, its outside world, and
the back door through which Given steps arrange what a scenario takes for granted.

Arrangement goes through the app's own use cases (never its tables), an hour in the
scenario's past, so that it leaves no time step used, no code sent and no count that the
scenario's own actions could trip over. What a scenario is about goes through the driver.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import pathlib

import pyotp

from sut import bootstrap
from sut.adapters.identity_provider import TestIdentityProvider
from sut.adapters.clock import SystemClock
from sut.adapters.email import MailboxEmailSender
from sut.adapters.passwords import FAST
from sut.adapters.sms import LocalSmsGateway
from sut.config import Config
from sut.domain import lockout
from sut.domain.clients import Client
from sut.domain.errors import TwoFactorError
from steps.methods import AUTHENTICATOR, SecondFactor

HARNESS_ADMIN = ("arrangement.admin@harness.invalid", "harness-only")


class SystemUnderTest:
    def __init__(self, database: pathlib.Path, key_file: pathlib.Path, smtp, clock, in_process: bool = False):
        """``in_process``: the scenario's driver calls the app in this process, so its mail is
        handed straight to the harness's mailbox (``smtp.deliver``), composed and read as over
        SMTP; else it goes over SMTP, as the deployed app's does."""
        self.config = Config(database=database, key_file=key_file, smtp_host=smtp.host, smtp_port=smtp.port,
                             password_cost=FAST)
        self.clock = clock
        self._mailbox = smtp if in_process else None
        self.sms = LocalSmsGateway(SystemClock())  # the phone network outlives app restarts
        # The identity provider this site trusts for single sign-on; it outlives app restarts too.
        self.identity_provider = TestIdentityProvider()
        self.app = self._build()
        self._admin_app: pyotp.TOTP | None = None  # the harness administrator's authenticator
        self._restart_listeners = []
        # Each arrangement happens at its own minute of the past hour: an authenticator code
        # used by one (the harness administrator's, at most two time steps) is never a
        # replay in the next.
        self._past_steps = itertools.count()

    def restart(self) -> None:
        """Stop the app and start it again on the same database and key file."""
        self.app.close()
        self.app = self._build()
        for listener in self._restart_listeners:
            listener(self.app)

    def _build(self):
        email = MailboxEmailSender(self._mailbox) if self._mailbox is not None else None  # None: SMTP, per config
        return bootstrap.build(self.config, email=email, sms=self.sms, identity_provider=self.identity_provider.verifier())

    def on_restart(self, listener) -> None:
        self._restart_listeners.append(listener)

    def close(self) -> None:
        self.app.close()

    # arrangement
    @contextlib.contextmanager
    def in_the_past(self, before: dt.timedelta = dt.timedelta(hours=1)):
        now = dt.datetime.now(dt.timezone.utc)
        self.clock.move_to(now - before + dt.timedelta(minutes=next(self._past_steps)))
        try:
            yield
        finally:
            self.clock.move_to(now)

    def register(self, actor) -> None:
        ident = actor.identity
        self.app.admin.register_person(ident.email, ident.name, actor.role, ident.password,
                                       is_admin=actor.handle == "administrator")

    def give_two_factor(self, actor, method: SecondFactor, allow_for_users: bool = False) -> None:
        """The person set up ``method`` earlier: their phone or app holds what the set-up gave.
        ``allow_for_users``: the administrator allowed it for users first (a user cannot otherwise)."""
        if allow_for_users:
            self.change_settings(allow_for_users=True)
        with self.in_the_past():
            progress = self.app.login.begin(actor.identity.email, actor.identity.password)
            # Under enforcement this is the forced set-up, held by the login attempt's token.
            session = progress.session_token or progress.attempt_token
            started = self.app.enrolment.start(session, method.key, password=actor.identity.password,
                                               mobile_number=actor.phone.number if method.needs_mobile else None)
            if method.scanned:
                actor.authenticator.add_from_uri(started.provisioning_uri)
            code = actor.reader(method).latest_code()
            completed = self.app.enrolment.confirm(session, started.token, code)
            actor.recovery_sheet.save(completed.recovery_codes)  # saved when shown, as a person does
            self.app.login.sign_out(completed.session_token or session)

    def change_settings(self, **changes: bool) -> None:
        with self.in_the_past():
            self.app.admin.change_settings(self._admin(), **changes)

    def _admin(self) -> str:
        """A fresh session of the harness's own administrator (password just entered, so
        their changes need nothing more), who has an authenticator app so that enforcing
        two-factor on all agents does not hold them at the set-up."""
        email, password = HARNESS_ADMIN
        if self._admin_app is None:
            self.app.admin.register_person(email, "Harness Administrator", "agent", password, is_admin=True)
            progress = self.app.login.begin(email, password)
            token = progress.session_token or progress.attempt_token
            started = self.app.enrolment.start(token, AUTHENTICATOR.key, password=password)
            self._admin_app = pyotp.TOTP(started.key)
            self.app.enrolment.confirm(token, started.token, self._admin_app.at(self.clock.now()))
            self.clock.advance(30)  # its first code is used
        progress = self.app.login.begin(email, password)
        return self.app.login.submit_code(progress.attempt_token, self._admin_app.at(self.clock.now())).session_token

    # what happened before the scenario, through the app's own use cases
    def wrong_codes_in_a_row(self, actor, count: int) -> None:
        """The person entered ``count`` wrong codes, logging in again after each lock had
        passed; the last lock is over by now."""
        locks = -(-count // lockout.MAX_WRONG_CODES)
        pause = lockout.LOCK_FOR + dt.timedelta(minutes=1)
        with self.in_the_past(before=pause * locks + dt.timedelta(hours=1)):
            left = count
            while left:
                attempt = self.app.login.begin(actor.identity.email, actor.identity.password).attempt_token
                for code in actor.wrong_codes(min(left, lockout.MAX_WRONG_CODES)):
                    try:
                        self.app.login.submit_code(attempt, code)
                    except TwoFactorError:
                        left -= 1
                self.clock.advance(pause.total_seconds())

    def wrong_passwords_for_accounts(self, stranger, count: int) -> None:
        """Just now, the stranger's device tried a wrong password for each of ``count`` accounts."""
        emails = [f"nobody.{i}@accounts.invalid" for i in range(count)]
        self._wrong_passwords([(_client_of(stranger), email) for email in emails], dt.timedelta(0))

    def reset_links_asked(self, person, count: int, for_their_address: bool, from_their_network: bool) -> None:
        """Just now, ``count`` links to reset a password were asked for: for the person's address or
        each for another address that no account uses; from their device's network or each from
        another. Every one must be sent: an arrangement the limits refuse is a mistake, and raises."""
        emails = [person.identity.email] * count if for_their_address else \
            [f"nobody.{i}@accounts.invalid" for i in range(count)]
        clients = [_client_of(person)] * count if from_their_network else [_network(i) for i in range(count)]
        for email, client in zip(emails, clients):
            self.app.password_reset.request(email, client)

    def wrong_passwords_for(self, victim, stranger, every: dt.timedelta, during: dt.timedelta,
                            from_many_networks: bool = False) -> None:
        """Wrong passwords for the victim's account, ``every`` apart for ``during``, the last one now:
        all from the stranger's device, or each from another network (a distributed guesser)."""
        tries = int(during / every)
        clients = [_network(i) for i in range(tries)] if from_many_networks else [_client_of(stranger)] * tries
        self._wrong_passwords([(client, victim.identity.email) for client in clients], every)

    def _wrong_passwords(self, tries: list[tuple[Client, str]], every: dt.timedelta) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        self.clock.move_to(now - every * (len(tries) - 1))
        try:
            for client, email in tries:
                try:
                    self.app.login.begin(email, "not the password", client)
                except TwoFactorError:
                    pass
                self.clock.advance(every.total_seconds())
        finally:
            self.clock.move_to(now)


def _network(i: int) -> Client:
    """The i-th of many networks a distributed guesser uses (TEST-NET-2 and -3, RFC 5737)."""
    return Client(f"{('198.51.100', '203.0.113')[i // 250]}.{i % 250 + 1}", "a guessing script")


def _client_of(actor) -> Client:
    """Where the person's device is: its address and user agent."""
    return Client(actor.device.address, actor.device.user_agent)
