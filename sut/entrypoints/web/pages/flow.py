"""Where a person stands between requests, kept in the cookie: the login's progress, a set-up
under way, and the pages that show them."""

from __future__ import annotations

import segno
from flask import current_app, flash, redirect, render_template, session, url_for

from sut.domain import methods
from sut.domain.errors import TwoFactorError

ENROLMENT_KEYS = ("enrol", "enrol_method", "enrol_destination", "current_method", "current_destination")


def state():
    return current_app.extensions["twofa"]


def app():
    """The ``sut.bootstrap.App`` this web app serves."""
    return state().app


def refused(error: TwoFactorError) -> None:
    flash(error.message, "error")


def method_in(key: str):
    """The method whose id the cookie holds under ``key``, or None."""
    stored = session.get(key)
    return methods.by_id(stored) if stored else None


def qr_data_uri(uri: str) -> str:
    """The provisioning URI as a QR code PNG, big enough to scan from a screen or a screenshot."""
    return segno.make(uri, error="m", micro=False).png_data_uri(scale=6, border=4)


def follow(progress, *, confirmation: str | None = None):
    """Move the cookie to where the login now stands. A completed login gets a new cookie."""
    session.clear()
    if progress.status == "signed_in":
        session["token"] = progress.session_token
        if confirmation:
            flash(confirmation, "status")
        if progress.reminder:  # enforced, within the grace period: set up now, or skip
            return redirect(url_for("account.setup_reminder"))
        return redirect(url_for("account.home"))
    session["attempt"] = progress.attempt_token
    if progress.status == "code_required":
        session.update(stage="code", method=progress.method.value, destination=progress.destination)
        return redirect(url_for("login.code"))
    session.update(stage="setup", methods_offered=[m.value for m in progress.methods_offered], reason=progress.reason)
    return redirect(url_for("setup.choose"))


def attempt_over(error: TwoFactorError):
    """The attempt expired, was replaced or was ended: back to the password step."""
    session.clear()
    flash(error.message, "error")
    return redirect(url_for("login.login"))


def remember_enrolment(started) -> None:
    for key in ("current_method", "current_destination"):
        session.pop(key, None)
    session.update(enrol=started.token, enrol_method=started.method.value, enrol_destination=started.destination)
    if started.provisioning_uri:
        state().pending.put(started.token, started.provisioning_uri, started.key)


def forget_enrolment() -> None:
    state().pending.drop(session.get("enrol"))
    for key in ENROLMENT_KEYS:
        session.pop(key, None)


def resent(destination_key: str) -> None:
    flash(f"A new code was sent to {session.get(destination_key)}. Only the newest code works.", "status")


def confirm_page(*, forced: bool, status: int = 200):
    """The set-up's confirmation: the QR code and key of a new app, or where the first code went."""
    if not session.get("enrol"):
        return redirect(url_for("setup.choose" if forced else "account.two_factor"))
    method = method_in("enrol_method")
    pending = None if method.sends_codes else state().pending.get(session.get("enrol"))
    area = "setup" if forced else "account"
    return render_template(
        "confirm.html", forced=forced, method=method, destination=session.get("enrol_destination"),
        qr=qr_data_uri(pending.provisioning_uri) if pending else None, key=pending.key if pending else None,
        action=url_for(f"{area}.confirm_submit"), resend=url_for(f"{area}.resend"),
        restart=url_for("setup.choose" if forced else "account.enable"),
    ), status


def recovery_codes_page(codes, next_url: str):
    """The recovery codes, shown once (in this answer only: never in the cookie or on the server)."""
    text = "HaloPSA recovery codes. Each works once in place of a code.\n\n" + "\n".join(codes) + "\n"
    response = current_app.make_response(render_template("recovery_codes.html", step="codes", codes=codes, text=text,
                                                         next_url=next_url))
    response.headers["Cache-Control"] = "no-store"
    return response
