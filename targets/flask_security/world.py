"""Arranging the Flask-Security target's world directly, as its own admin code would.

These are the calls the product documents for an application's administrative needs
(``UserDatastore.create_user``, ``tf_set``, the ``SECURITY_TWO_FACTOR_REQUIRED`` setting);
they bypass the person's click path, the way the features' Given steps do. Each takes the
app and opens its own app context, and commits.
"""

from __future__ import annotations

import pyotp
from flask import Flask
from flask_security.utils import hash_password
from passlib.totp import TOTP

from targets.flask_security.app import METHODS, ROLES
from targets.flask_security.models import User, db
from targets.flask_security.outbox import EXTENSION, Outbox, code_in


def create_person(app: Flask, email: str, password: str, role: str = "agent") -> int:
    """A new active person with ``role`` ("agent" or "user"); returns their user id."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    with app.app_context():
        datastore = app.security.datastore
        if datastore.find_user(email=email) is not None:
            raise ValueError(f"a person with the email address {email} already exists")
        user = datastore.create_user(email=email, password=hash_password(password), roles=[role])
        db.session.commit()
        return user.id


def give_two_factor(
    app: Flask, email: str, method: str, phone: str | None = None, key: str | None = None
) -> str | None:
    """Turn on two-factor authentication by ``method`` for the person.

    The secret is a new one from the product, or the base32 ``key`` given (so that a test's
    codes are the same on every run). Returns the authenticator key (base32, what the
    set-up page shows) for "authenticator", else None; "sms" needs ``phone`` (E.164).
    Email and SMS codes are TOTP codes of the same per-person secret.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if method == "sms" and not phone:
        raise ValueError("two-factor by SMS needs a phone number")
    with app.app_context():
        security = app.security
        user = _person(app, email)
        secret = security.totp_factory.generate_totp_secret() if key is None else _stored_secret(app, key)
        security.datastore.tf_set(user, method, totp_secret=secret, phone=phone)
        db.session.commit()
        return security.totp_factory.get_totp_b32_key(secret) if method == "authenticator" else None


def two_factor_of(app: Flask, email: str) -> dict:
    """What the product stores of the person's two-factor set-up: method and phone (or None)."""
    with app.app_context():
        user = _person(app, email)
        return {"method": user.tf_primary_method, "phone": user.tf_phone_number}


def set_two_factor_required(app: Flask, required: bool) -> None:
    """SECURITY_TWO_FACTOR_REQUIRED: the product's one enforcement switch, for everyone."""
    app.config["SECURITY_TWO_FACTOR_REQUIRED"] = bool(required)


def outbox(app: Flask) -> Outbox:
    return app.extensions[EXTENSION]


def last_code_mailed(app: Flask, address: str) -> str:
    """The code in the newest email to ``address``; an error when none was sent."""
    mail = outbox(app).mail_to(address)
    if not mail:
        raise LookupError(f"no email was sent to {address}")
    return code_in(mail[-1])


def last_code_texted(app: Flask, number: str) -> str:
    """The code in the newest text to ``number``; an error when none was sent."""
    texts = outbox(app).texts_to(number)
    if not texts:
        raise LookupError(f"no text was sent to {number}")
    return code_in(texts[-1])


def authenticator_code(key: str, at_timestamp: float) -> str:
    """What an authenticator app shows at that time for the base32 ``key`` (RFC 6238)."""
    return pyotp.TOTP(key).at(at_timestamp)


def _stored_secret(app: Flask, key: str) -> str:
    # What Totp.generate_totp_secret stores (passlib's JSON, encrypted with the app's
    # SECURITY_TOTP_SECRETS), for a key of our choosing: the same passlib factory it builds.
    try:
        totp = TOTP.using(secrets=app.config["SECURITY_TOTP_SECRETS"])(key=key, format="base32")
    except (ValueError, TypeError) as error:
        raise ValueError(f"the key must be base32 of at least 80 bits: {error}") from None
    return totp.to_json(encrypt=True)


def _person(app: Flask, email: str) -> User:
    user = app.security.datastore.find_user(email=email)
    if user is None:
        raise LookupError(f"no person with the email address {email}")
    return user
