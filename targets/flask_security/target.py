"""Flask-Security as a target of the features: its world, its server, what it lacks, its words.

The app is ``create_app`` of this package, started in a thread of the test process so that
the scenario's frozen clock is its clock. The world is arranged the way the product documents
for an application's own admin code (``world.py``: ``create_person``, ``give_two_factor``,
``set_two_factor_required``); what the scenarios are about goes through the product's own JSON
API (``api_driver.py``). Email goes to the harness's SMTP server through Flask-Mail; texts to
the capturing SMS sender (``outbox.py``), which the people's phones read.

What it lacks is declared below, each with the requirements whose scenarios need it and the
reason (docs/targets.md, "What Flask-Security can express of our requirements"). Everything
else applies; a scenario that applies and fails is a finding about the product, recorded in
spec/deviations/flask-security.toml.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import pathlib
import threading

import pyotp
from werkzeug.serving import make_server

from targets.flask_security.app import ISSUER, create_app
from targets.flask_security.world import create_person, give_two_factor, outbox, set_two_factor_required
from targets.target import Lack

# The same keys for every app of a run: a restart keeps passwords, sessions and secrets.
_SECRET_KEY = "flask-security-target: harness only"
_TOTP_SECRETS = {"1": "flask-security-target-totp-key-for-the-harness-only"}


def _requirements(*ids: str) -> str:
    return " or ".join(f"@req-{i}" for i in ids)


LACKS = (
    Lack("per-role enforcement or allow switches, nor a security settings page",
         _requirements("ENF-1", "ENF-2", "ENF-5", "SET-1", "SET-2", "ALLOW-1", "ALLOW-2", "ALLOW-4"),
         "two-factor is open to everybody and SECURITY_TWO_FACTOR_REQUIRED is one switch for everybody, in configuration"),
    Lack("days to set up once two-factor is enforced (a grace period)",
         _requirements("GRACE-1", "GRACE-2", "GRACE-3", "GRACE-4"),
         "SECURITY_TWO_FACTOR_REQUIRED applies at the next sign-in; nothing gives people days to set up or lets them skip"),
    Lack("a driver for sign-in through an identity provider", _requirements("SSO-1", "SSO-2"),
         "the product signs in through OAuth providers (SECURITY_OAUTH_ENABLE, Authlib), but this target has no "
         "provider to sign with nor drives that path yet: a gap of the harness, not a finding about the product"),
    Lack("'email only as a last resort'", _requirements("ALLOW-3"),
         "every enabled method is offered to everybody"),
    Lack("lock after wrong codes", _requirements("LOCK-3", "LOCK-4", "LOCK-6", "NOTIFY-2"),
         "nothing counts wrong codes, so there is no count to clear, no lock to end or to tell of (LOCK-1 shows it)"),
    Lack("administrator pages (reset, unlock, people, the overview)",
         _requirements("RESET-1", "RESET-2", "ADMIN-1", "ADMIN-2", "ADMIN-3", "ADMIN-4"),
         "datastore.reset_user_access is a helper for an application's own admin code; no page or route calls it"),
    Lack("audit trail", _requirements("AUDIT-1"), "the product sends signals for an application to record"),
    Lack("driver for its recovery codes",
         _requirements("RECOVERY-1", "RECOVERY-2", "RECOVERY-3", "RECOVERY-4", "RECOVERY-5", "RECOVERY-6",
                       "RECOVERY-7", "CHANGE-3"),
         "the product has recovery codes (SECURITY_MULTI_FACTOR_RECOVERY_CODES), but this target does not drive "
         "them yet: a gap of the harness, not a finding about the product"),
    Lack("driver for its password reset",
         _requirements("PWRESET-1", "PWRESET-2", "PWRESET-3", "PWRESET-4", "PWRESET-5", "PWRESET-6",
                       "PWRESET-7"),
         "the product has a password reset by emailed link (SECURITY_RECOVERABLE), but this target's driver does not "
         "drive it yet: a gap of the harness, not a finding about the product"),
    Lack("driver for its remembered devices",
         _requirements("REMEMBER-1", "REMEMBER-2", "REMEMBER-3", "REMEMBER-4", "REMEMBER-5"),
         "the product can skip the second step on a device for a while (SECURITY_TWO_FACTOR_ALWAYS_VALIDATE off, "
         "its tf_validity cookie), but this target's driver does not drive it yet: a gap of the harness, not a "
         "finding about the product"),
    Lack("HaloPSA's click paths", _requirements("UI-1", "UI-2"),
         "its own path is the 'Two-Factor Setup' link; there is no profile picture menu or Configuration page"),
)


class FlaskSecurityTarget:
    name = "flask-security"
    drivers = {"api": "targets.flask_security.api_driver:FlaskSecurityApiDriver",
               "ui": "targets.flask_security.ui_driver:FlaskSecurityUiDriver"}
    lacks = LACKS
    # The product's words for the catalogue's messages, where it has a message of that meaning.
    messages = {"code-refused": "Invalid code"}
    topics = {
        # "Two-Factor Login", "Two-Factor Rescue": the same words for a code to sign in and one to set up
        "mail": {"code": "two-factor", "sign-in code": "two-factor", "set-up code": "two-factor"},
        "texts": {"sign-in code": "code to sign in", "set-up code": "code to sign in"},  # "Use this code to sign in: 123456"
    }
    deviations = "spec/deviations/flask-security.toml"  # its findings, each looked at (docs/targets.md)
    # Its world arranges nothing in the past but wrong codes and passwords, which are clock
    # steps: `--real-time` runs it on the wall clock as a deployed product would run.
    real_time = False
    can_run_in_real_time = True
    clock_packages = ("targets", "flask_security", "flask_login", "flask_principal", "flask_wtf", "wtforms",
                      "passlib", "flask_sqlalchemy", "sqlalchemy", "flask_mail")

    def __init__(self):
        self._worlds = itertools.count()

    def world(self, clock, smtp, folder: pathlib.Path, in_process: bool = False) -> "FlaskSecurityWorld":
        # Flask-Mail sends over SMTP whatever the driver: ``in_process`` allows a world to skip the socket, it does not oblige it.
        return FlaskSecurityWorld(folder / f"flask-security-{next(self._worlds)}.sqlite3", smtp, clock)

    def web_harness(self, folder: pathlib.Path, smtp) -> "ThreadServer":
        return ThreadServer()

    def mobile_number(self, number: str) -> str:
        """Flask-Security takes only numbers ``phonenumbers`` holds valid: Faker's last six digits in
        a UK mobile range where every number is (+44 7400, checked for all million)."""
        return "+447400" + number[-6:]


class Texts:
    """The phone network as the people's phones read it: the app's captured texts, by number."""

    def __init__(self, world: "FlaskSecurityWorld"):
        self._world = world

    def messages(self, number: str) -> list:
        return [_Text(t.body) for t in outbox(self._world.app).texts_to(number)]


class _Text:
    def __init__(self, text: str):
        self.text = text


class FlaskSecurityWorld:
    """One scenario's Flask-Security app and the back door for what the scenario takes for granted."""

    def __init__(self, database: pathlib.Path, smtp, clock):
        self._database, self._smtp, self.clock = database, (smtp.host, smtp.port), clock
        self.app = self._start(None)
        self.sms = Texts(self)
        self._restart_listeners = []

    def _start(self, kept_outbox):
        return create_app(self._database, smtp=self._smtp, secret_key=_SECRET_KEY, totp_secrets=_TOTP_SECRETS,
                          cheap_password_hashing=True, outbox=kept_outbox)

    def restart(self) -> None:
        self.app = self._start(outbox(self.app))
        for listener in self._restart_listeners:
            listener(self.app)

    def on_restart(self, listener) -> None:
        self._restart_listeners.append(listener)

    def close(self) -> None:
        pass  # SQLite files in the run's folder; nothing holds a thread

    # arrangement
    def register(self, actor) -> None:
        create_person(self.app, actor.identity.email, actor.identity.password, role=actor.role)

    def give_two_factor(self, actor, method, allow_for_users: bool = False) -> None:
        """The person set up ``method`` earlier (the product's datastore.tf_set): their phone
        or app holds what the set-up gave. Users need no allowing: the product allows everybody."""
        phone = actor.phone.number if method.needs_mobile else None
        key = give_two_factor(self.app, actor.identity.email, method.key, phone=phone)
        if key is not None:
            actor.authenticator.add_from_uri(pyotp.TOTP(key).provisioning_uri(name=actor.identity.email, issuer_name=ISSUER))

    def change_settings(self, **changes: bool) -> None:
        for setting, value in changes.items():
            if setting == "enforce_for_agents":  # the product's one switch: everybody, agents among them
                set_two_factor_required(self.app, value)
            elif setting.startswith("allow_") and value:
                pass  # every method is allowed for everybody already
            else:
                raise NotImplementedError(f"Flask-Security has no setting like {setting}={value} (a scenario that "
                                          "needs it should be declared not applicable in its target's lacks)")

    @contextlib.contextmanager
    def in_the_past(self, before: dt.timedelta):
        now = dt.datetime.now(dt.timezone.utc)
        self.clock.move_to(now - before)
        try:
            yield
        finally:
            self.clock.move_to(now)

    def wrong_codes_in_a_row(self, actor, count: int) -> None:
        """An hour ago, the person entered ``count`` wrong codes after their password (one attempt:
        the product never locks, so nothing makes them start again)."""
        with self.in_the_past(dt.timedelta(hours=1)):
            client = _Client(self.app)
            client.post("/login", {"email": actor.identity.email, "password": actor.identity.password})
            for code in actor.wrong_codes(count):
                client.post("/tf-validate", {"code": code})

    def wrong_passwords_for_accounts(self, stranger, count: int) -> None:
        client = _Client(self.app)
        for i in range(count):
            client.post("/login", {"email": f"nobody.{i}@accounts.invalid", "password": "not the password"})

    def wrong_passwords_for(self, victim, stranger, every: dt.timedelta, during: dt.timedelta,
                            from_many_networks: bool = False) -> None:
        """Wrong passwords for the victim, ``every`` apart for ``during``, the last one now (the
        product does not look at where a request comes from, so one client stands for many)."""
        tries = int(during / every)
        now = dt.datetime.now(dt.timezone.utc)
        self.clock.move_to(now - every * (tries - 1))
        client = _Client(self.app)
        try:
            for _ in range(tries):
                client.post("/login", {"email": victim.identity.email, "password": "not the password"})
                self.clock.advance(every.total_seconds())
        finally:
            self.clock.move_to(now)


class _Client:
    """The product's JSON API in-process (Flask's test client), with its CSRF token."""

    _JSON = {"Accept": "application/json"}

    def __init__(self, app):
        self._http = app.test_client()
        token = self._http.get("/login", headers=self._JSON).json["response"]["csrf_token"]
        self._headers = dict(self._JSON, **{"X-CSRF-Token": token})

    def post(self, path: str, body: dict) -> int:
        return self._http.post(path, json=body, headers=self._headers).status_code


class ThreadServer:
    """One HTTP server for the run, in a thread of the test process; each scenario points it at
    its own app (and again after a restart), so the scenario's frozen clock is the app's clock."""

    def __init__(self):
        self._app = None
        self._server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="flask-security-target", daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def _dispatch(self, environ, start_response):
        return self._app(environ, start_response)

    def serve(self, world: FlaskSecurityWorld) -> str:
        self._bind(world.app)
        world.on_restart(self._bind)
        return self.base_url

    def _bind(self, app) -> None:
        self._app = app

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
