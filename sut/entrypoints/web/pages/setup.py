"""The set-up a login is held at (enforcement, or a method no longer allowed), right after the
password step or from a session opened before it became necessary."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for

from sut.domain import methods
from sut.domain.errors import TwoFactorError
from sut.service_layer.common import NotSignedIn

from ..http_errors import client, status_for
from .flow import (app, attempt_over, confirm_page, follow, recovery_codes_page, refused, remember_enrolment, resent,
                   state)
from .guards import attempt

pages = Blueprint("setup", __name__)


def _choice_page(mobile_number: str = "", status: int = 200):
    return render_template("enable.html", forced=True, reason=session.get("reason"),
                           methods=[methods.by_id(v) for v in session.get("methods_offered", [])],
                           ask_password=session.get("setup_password"), mobile_number=mobile_number,
                           action=url_for("setup.choose_submit")), status


@pages.get("/login/setup")
@attempt("setup")
def choose():
    return _choice_page()


@pages.post("/login/setup")
@attempt("setup")
def choose_submit():
    try:
        started = app().enrolment.start(session["attempt"], request.form.get("method", ""),
                                        password=request.form.get("password") or None,
                                        mobile_number=request.form.get("mobile_number") or None, client=client())
    except NotSignedIn as error:
        return attempt_over(error)
    except TwoFactorError as error:
        refused(error)
        return _choice_page(request.form.get("mobile_number", ""), status_for(error))
    remember_enrolment(started)
    return redirect(url_for("setup.confirm"))


@pages.get("/login/setup/confirm")
@attempt("setup")
def confirm():
    return confirm_page(forced=True)


@pages.post("/login/setup/confirm")
@attempt("setup")
def confirm_submit():
    enrol = session.get("enrol")
    try:
        progress = app().enrolment.confirm(session["attempt"], enrol, request.form.get("code", ""), client())
    except NotSignedIn as error:
        return attempt_over(error)
    except TwoFactorError as error:
        refused(error)
        return confirm_page(forced=True, status=status_for(error))
    state().pending.drop(enrol)
    answer = follow(progress, confirmation="Two-factor authentication is on.")
    if progress.recovery_codes:  # signed in now (the new cookie is set): the codes first, then home
        return recovery_codes_page(progress.recovery_codes, url_for("account.home"))
    return answer


@pages.post("/login/setup/resend")
@attempt("setup")
def resend():
    try:
        app().enrolment.resend(session["attempt"], session.get("enrol"), client())
        resent("enrol_destination")
    except NotSignedIn as error:
        return attempt_over(error)
    except TwoFactorError as error:
        refused(error)
    return redirect(url_for("setup.confirm"))
