"""A small app of Flask-Security 5 with two-factor authentication, configured as its docs say.

Two-factor by email, SMS (through a capturing test sender, see ``outbox``) and authenticator
app; multi-factor recovery codes; SQLite through Flask-SQLAlchemy and Flask-Security's fsqla
models; Flask-Security's default templates; its JSON API (every view answers JSON when asked
with ``Accept: application/json`` or a JSON body). Every setting not named here keeps the
product's default, because the point is to see what the product does, not what we would do.

The one addition is the clock. passlib's ``TOTP`` (which Flask-Security's ``Totp`` wraps)
binds ``time.time`` as a class attribute when it is imported, and freezegun patches modules,
not class attributes, so codes would follow the wall clock under a frozen scenario. The
product's documented seam, ``Security(totp_cls=...)``, takes a ``Totp`` subclass; ours hands
passlib a ``now`` that asks the injected clock at each call. Nothing else changes: the
window, the absence of replay protection (``get_last_counter`` returns None) and the
code format stay the product's.

Everything else in Flask-Security reads the time through ``datetime`` and ``time.time``
(itsdangerous tokens, freshness, timestamps), which freezegun controls directly; the clock
given here should therefore agree with freezegun (the default reads ``datetime.now``).
"""

from __future__ import annotations

import datetime as dt
import secrets as _secrets
from pathlib import Path
from typing import Protocol

from flask import Flask
from flask_mail import Mail
from flask_security import Security, SQLAlchemyUserDatastore, Totp, auth_required, current_user
from flask_wtf import CSRFProtect
from passlib.totp import TOTP

from targets.flask_security import outbox as _outbox
from targets.flask_security.models import Role, User, WebAuthn, db

ROLES = ("agent", "user")
METHODS = ("email", "sms", "authenticator")
ISSUER = "Flask-Security target"


class Clock(Protocol):
    def now(self) -> dt.datetime: ...  # timezone-aware


class SystemClock:
    """Reads ``datetime.now`` at each call, so a freezegun freeze moves it too."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


def totp_class_reading(clock: Clock) -> type[Totp]:
    """Flask-Security's ``Totp`` with passlib's time taken from ``clock`` (see module doc)."""

    class ClockedTotp(Totp):
        def __init__(self, secrets: dict, issuer: str):
            super().__init__(secrets, issuer)
            self._totp = TOTP.using(issuer=issuer, secrets=secrets, now=lambda: clock.now().timestamp())

    return ClockedTotp


def create_app(
    database_path: str | Path,
    *,
    clock: Clock | None = None,
    two_factor_required: bool = False,
    smtp: tuple[str, int] | None = None,
    secret_key: str | None = None,
    totp_secrets: dict[str, str] | None = None,
    generic_responses: bool = False,
    cheap_password_hashing: bool = False,
    outbox: _outbox.Outbox | None = None,
) -> Flask:
    """The Flask-Security app on the SQLite file ``database_path`` (tables made if missing).

    ``smtp`` (host, port) also sends every email to that SMTP server (Flask-Mail); email and
    texts are captured in ``outbox`` either way (a new one unless given, so that mail and
    phones can outlive a restart). ``secret_key`` and ``totp_secrets`` must be the same
    across restarts for passwords (the key also salts them), sessions and stored
    authenticator secrets to survive (random otherwise). ``generic_responses`` turns on
    SECURITY_RETURN_GENERIC_RESPONSES, which the product leaves off by default.
    ``cheap_password_hashing`` lowers Argon2's cost to its minimum through the documented
    SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS, for tests only (like the reference app's FAST).
    """
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or _secrets.token_urlsafe(32),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(database_path).resolve()}",
        # Flask-Security's recommended CSRF set-up: Flask-WTF's CSRFProtect, whose token a
        # JSON client reads from any GET (response.csrf_token) and sends as X-CSRF-Token.
        WTF_CSRF_TIME_LIMIT=None,
        SECURITY_PASSWORD_SALT=_secrets.token_urlsafe(16) if secret_key is None else f"salt:{secret_key}",
        SECURITY_TWO_FACTOR=True,
        SECURITY_TWO_FACTOR_ENABLED_METHODS=["email", "authenticator", "sms"],
        SECURITY_TWO_FACTOR_REQUIRED=two_factor_required,
        SECURITY_TOTP_SECRETS=totp_secrets or {"1": _secrets.token_urlsafe(32)},
        SECURITY_TOTP_ISSUER=ISSUER,
        SECURITY_SMS_SERVICE=_outbox.SMS_SERVICE,
        SECURITY_SMS_SERVICE_CONFIG={"PHONE_NUMBER": "+15005550006"},
        SECURITY_MULTI_FACTOR_RECOVERY_CODES=True,
        SECURITY_CHANGEABLE=True,
        SECURITY_RETURN_GENERIC_RESPONSES=generic_responses,
        # No DNS from a test machine: email_validator's documented switch for that.
        SECURITY_EMAIL_VALIDATOR_ARGS={"test_environment": True},
        SECURITY_EMAIL_SENDER="no-reply@flask-security.test",
    )
    if cheap_password_hashing:
        app.config["SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS"] = {
            "argon2__rounds": 1, "argon2__memory_cost": 64, "argon2__parallelism": 1,
        }
    if smtp:
        app.config.update(MAIL_SERVER=smtp[0], MAIL_PORT=smtp[1], MAIL_USE_TLS=False, MAIL_USE_SSL=False)
    Mail(app)
    CSRFProtect(app)
    db.init_app(app)
    app.extensions[_outbox.EXTENSION] = outbox if outbox is not None else _outbox.Outbox()
    datastore = SQLAlchemyUserDatastore(db, User, Role, WebAuthn)
    app.security = Security(
        app,
        datastore,
        totp_cls=totp_class_reading(clock or SystemClock()),
        mail_util_cls=_outbox.CapturingMailUtil,
    )
    with app.app_context():
        db.create_all()
        for name in ROLES:
            datastore.find_or_create_role(name)
        db.session.commit()

    @app.get("/")
    @auth_required()
    def home():
        # A page only a fully signed-in person reaches (Flask-Security's POST_LOGIN_VIEW).
        return {"signed_in_as": current_user.email}

    return app
